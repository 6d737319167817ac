"""Places: the offline GeoNames gazetteer, name normalisation and place resolution."""

from kg.geo.gazetteer import GazPlace, Gazetteer, GazetteerError, place_iri_suffix
from kg.geo.normalise import normalise_place
from kg.geo.resolve import resolve_place, split_level

__all__ = [
    "GazPlace",
    "Gazetteer",
    "GazetteerError",
    "normalise_place",
    "place_iri_suffix",
    "resolve_place",
    "split_level",
]
