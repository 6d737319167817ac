"""Analyst exports of the merged events (or accounts): ACLED's CSV columns, UCDP GED's, and a
GeoJSON FeatureCollection (`kg export --format acled-csv|ucdp-csv|geojson`; docs/exports.md).
Every format is made from the same records (rows.py), so the filters and the facts agree."""

from __future__ import annotations

import csv
import io

from kg.ops.exports.rows import ExportError, Filters, read_events
from kg.store.base import Store

FORMATS = ("acled-csv", "ucdp-csv", "geojson")

__all__ = ["FORMATS", "ExportError", "Filters", "export_table", "read_events"]


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def export_table(store: Store, fmt: str, filters: Filters = Filters(), *, accounts: bool = False,
                 numeric: bool = False) -> bytes:
    """The bytes of one analyst export of the store: fmt one of FORMATS."""
    from kg.ops.exports import acled, geojson, ucdp

    events = read_events(store, filters, accounts=accounts)
    if fmt == "acled-csv":
        return _csv(acled.COLUMNS + acled.EXTRA, acled.acled_rows(events, numeric=numeric))
    if fmt == "ucdp-csv":
        return _csv(ucdp.COLUMNS, [ucdp.ucdp_row(ev) for ev in events])
    if fmt == "geojson":
        return geojson.geojson_bytes(events, numeric=numeric)
    raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
