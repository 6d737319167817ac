"""An RFC 7946 FeatureCollection of the events: one Feature per merged event (or account),
geometry a Point [longitude, latitude] in WGS 84 (the GeoNames coordinates of its place), the
ACLED columns as properties. An event whose place has no coordinates (an unresolved name) is
kept with `"geometry": null`, which RFC 7946 allows for an unlocated feature, rather than dropped.
"""

from __future__ import annotations

import json

from kg.ops.exports.acled import acled_rows
from kg.ops.exports.rows import EventRow

NUMBERS = {"year", "time_precision", "iso", "latitude", "longitude", "geo_precision", "fatalities", "timestamp"}
CODES = {"inter1", "inter2", "interaction"}  # numbers only with --acled-numeric


def typed(props: dict[str, str], numeric: bool) -> dict[str, object]:
    """The ACLED columns with numbers as JSON numbers and empty cells as null."""
    out: dict[str, object] = {}
    for k, v in props.items():
        if v == "":
            out[k] = None
        elif k in NUMBERS or (numeric and k in CODES):
            out[k] = float(v) if "." in v else int(v)
        else:
            out[k] = v
    return out


def feature_collection(events: list[EventRow], *, numeric: bool = False) -> dict:
    features = []
    for ev, props in zip(events, acled_rows(events, numeric=numeric)):
        p = ev.place
        geometry = {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]} if p and ev.located() else None
        features.append({"type": "Feature", "id": ev.iri, "geometry": geometry, "properties": typed(props, numeric)})
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(events: list[EventRow], *, numeric: bool = False) -> bytes:
    return (json.dumps(feature_collection(events, numeric=numeric), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
