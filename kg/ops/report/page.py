"""One self-contained HTML file from the report's data: the page template of kg/data/report/ with
the vendored Leaflet, topojson-client and Natural Earth outlines (kg/data/report/vendor/, refreshed
by scripts/refresh_report_assets.sh) and the page's own script and style inlined, and the data as
JSON inside `<script type="application/json">`.

Why inline everything: the report is opened where there may be no network (no CDN, tile server or
font service), so nothing may be fetched; the page's Content-Security-Policy (`default-src 'none'`)
makes that a rule the browser enforces. Why JSON in a data block: news text goes into the page only
as data (`<`, `>`, `&` and the JavaScript line separators escaped, so no `</script>` can close the
block) and the page's script writes it with textContent, never as markup.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import __version__
from kg.ops.report.data import Filters, report_data
from kg.runtime.resources import data_file
from kg.store.base import Store

_FILL = re.compile(r"\{\{([A-Z_]+)\}\}")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass
class ReportSummary:
    """What `kg report` wrote, for its one-line message."""

    path: Path
    events: int
    located: int
    bytes: int


def _asset(*parts: str) -> str:
    return data_file("report").joinpath(*parts).read_text(encoding="utf-8")


def json_for_script(value: Any) -> str:
    """JSON that is safe inside a `<script>` element: no `</script>`, `<!--` or line separator."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def _script(text: str, name: str) -> str:
    if re.search(r"</script", text, re.IGNORECASE):  # would end the inline element early
        raise ValueError(f"vendored {name} contains '</script'; cannot be inlined")
    return text


def _offline_css(css: str) -> str:
    """Leaflet's stylesheet without its image URLs (marker and layer icons the report never shows):
    an unused rule fetches nothing, but a relative URL is a request the page must not make."""
    return re.sub(r"url\((?!data:)[^)]*\)", "none", css)


def render_page(data: dict[str, Any], *, title: str = "Conflict report",
                generated: dt.datetime | None = None) -> str:
    """The report page for `data` (as made by report_data), one string of HTML."""
    when = (generated or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    esc = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
    fills = {
        "TITLE": re.sub(r'[&<>"]', lambda m: esc[m.group(0)], title),
        "VERSION": __version__,
        "GENERATED": when,
        "LEAFLET_CSS": _offline_css(_asset("vendor", "leaflet.css")),
        "REPORT_CSS": _asset("report.css"),
        "DATA": json_for_script(data),
        "TOPO": json_for_script(json.loads(_asset("vendor", "countries-50m.json"))),
        "LEAFLET_JS": _script(_asset("vendor", "leaflet.js"), "leaflet.js"),
        "TOPOJSON_JS": _script(_asset("vendor", "topojson-client.min.js"), "topojson-client.min.js"),
        "REPORT_JS": _script(_asset("report.js"), "report.js"),
    }
    return _FILL.sub(lambda m: fills[m.group(1)], _asset("template.html"))


def _title(f: Filters) -> str:
    parts = [f"in {f.place}" if f.place else "", f"involving {f.actor}" if f.actor else "",
             f"from {f.date_from.isoformat()}" if f.date_from else "", f"to {f.date_to.isoformat()}" if f.date_to else ""]
    return " ".join(["Conflict report", *[p for p in parts if p]])


def write_report(store: Store, out: str | Path, filters: Filters | None = None) -> ReportSummary:
    """Read the store, render the page and write it to `out` whole or not at all (a temporary file
    beside it, renamed over it)."""
    f = filters or Filters()
    data = report_data(store, f)
    html = render_page(data, title=_title(f)).encode("utf-8")
    path = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=".kg-report-", suffix=".html", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(html)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return ReportSummary(path, data["counts"]["events"], data["counts"]["located"], len(html))
