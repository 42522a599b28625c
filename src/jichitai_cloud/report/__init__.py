"""Outputs at the edge: exports of any result and plots (matplotlib, lazily).

One function per format, for every result of the package, built from its declared tables
(``result.views()``): :func:`to_excel`, :func:`to_html`, :func:`to_csv`, :func:`to_json`,
:func:`to_markdown`, :func:`to_text`.  :func:`council_report` lays every result out as one report
for the council.  :func:`page` and :func:`tables_html` are the one HTML page shell every page of
the package uses; :func:`write_workbook` the one spreadsheet writer.  Plots live in
:mod:`jichitai_cloud.report.plots` (the ``plot`` extra).
"""

from ._page import PAGE_CSS, PAGE_WIDTH, page, summary_html, tables_html
from .council import CouncilReport, ReportSheet, council_report
from .tables import Tabular, json_data, to_csv, to_excel, to_html, to_json, to_markdown, to_text
from .workbook import number_format, sheet_names, write_workbook

__all__ = [
    "PAGE_CSS",
    "PAGE_WIDTH",
    "CouncilReport",
    "ReportSheet",
    "Tabular",
    "council_report",
    "json_data",
    "number_format",
    "page",
    "sheet_names",
    "summary_html",
    "tables_html",
    "to_csv",
    "to_excel",
    "to_html",
    "to_json",
    "to_markdown",
    "to_text",
    "write_workbook",
]
