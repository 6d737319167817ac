"""Places: the offline GeoNames gazetteer, name normalisation and place resolution."""

from .gazetteer import GazPlace, Gazetteer, GazetteerError, place_iri_suffix
from .normalise import normalise_place
from .resolve import resolve_place, split_level

__all__ = [
    "GazPlace",
    "Gazetteer",
    "GazetteerError",
    "normalise_place",
    "place_iri_suffix",
    "resolve_place",
    "split_level",
]
