"""`kg report`: one self-contained offline HTML page of the store (map, timeline, actor network,
control, disputed events). data.py reads the store, page.py writes the page."""

from kg.ops.report.data import Filters, ReportInputError, report_data
from kg.ops.report.page import ReportSummary, render_page, write_report

__all__ = ["Filters", "ReportInputError", "ReportSummary", "render_page", "report_data", "write_report"]
