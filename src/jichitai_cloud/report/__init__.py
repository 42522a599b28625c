"""Outputs at the edge: exports of any result (Excel, CSV, HTML) and plots (matplotlib, lazily).

:func:`to_excel`, :func:`to_csv` and :func:`to_html` work on every result of the package through
its tables; :func:`council_report` lays every result out as one report for the council;
plots live in :mod:`jichitai_cloud.report.plots` (the ``plot`` extra).
"""

from .council import CouncilReport, ReportSheet, council_report
from .tables import Tabular, to_csv, to_excel, to_html

__all__ = ["CouncilReport", "ReportSheet", "Tabular", "council_report", "to_csv", "to_excel", "to_html"]
