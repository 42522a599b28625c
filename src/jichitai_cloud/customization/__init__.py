"""Customization requests (カスタマイズ要望): shared quotes, the comparison table, who stays in.

Kernels (pure numpy, vectorised over requests, members and a leading batch axis):
:func:`share_quotes` (each adopter's equal share of the quote for their count, exact to the yen),
:func:`stable_adopters` and :func:`drop_out_rounds` (who stays in when every adopter pays its equal
share), :func:`would_rejoin` (a check of maximality); :func:`quote_matrix` turns requests into their
``quotes`` argument.

Domain functions and results: :func:`comparison_table` (カスタマイズ要望比較一覧表,
:class:`ComparisonTable`), :func:`stable_adoption` (:class:`StableAdoption`), :func:`decision_summary`
(the decision record, :class:`DecisionSummary`), :func:`subcommittee_summary` (meetings, attendance,
fit & gap, :class:`SubcommitteeSummary`); :func:`register_of` (the register behind a council).  Every
result shows itself as named tables (text, HTML, pandas) and exports through
:mod:`jichitai_cloud.report` (``report.to_excel(result, path)``, ``report.to_csv(result, path)``).
Files are read by :func:`jichitai_cloud.io.load_register` and :func:`jichitai_cloud.io.read_requests_csv`;
the bundled example is :func:`jichitai_cloud.examples.toyama_customization`.

>>> from jichitai_cloud import customization, examples
>>> council = examples.toyama_customization().apply_to(examples.toyama())
>>> customization.decision_summary(council).outcome_counts()["implemented"]
17
"""

from ._comparison import ComparisonTable, comparison_table
from ._decisions import DecisionSummary, decision_summary
from ._domain import quote_matrix, register_of
from ._kernels import MAX_YEN, drop_out_rounds, share_quotes, stable_adopters, would_rejoin
from ._stable import Dropout, StableAdoption, stable_adoption
from ._subcommittees import SubcommitteeRow, SubcommitteeSummary, subcommittee_summary

__all__ = [
    "MAX_YEN",
    "ComparisonTable",
    "DecisionSummary",
    "Dropout",
    "StableAdoption",
    "SubcommitteeRow",
    "SubcommitteeSummary",
    "comparison_table",
    "decision_summary",
    "drop_out_rounds",
    "quote_matrix",
    "register_of",
    "share_quotes",
    "stable_adopters",
    "stable_adoption",
    "subcommittee_summary",
    "would_rejoin",
]
