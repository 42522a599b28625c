"""Customization requests (カスタマイズ要望): shared quotes, the comparison table, who stays in.

Kernels (pure numpy, vectorised over requests, members and a leading batch axis):
:func:`share_quotes` (each adopter's equal share of the quote for their count, exact to the yen),
:func:`stable_adopters` and :func:`drop_out_rounds` (who stays in when every adopter pays its equal
share), :func:`would_rejoin` (a check of maximality).

Domain functions and results: :func:`comparison_table` (カスタマイズ要望比較一覧表,
:class:`ComparisonTable`), :func:`stable_adoption` (:class:`StableAdoption`), :func:`decision_summary`
(the decision record, :class:`DecisionSummary`), :func:`subcommittee_summary` (meetings, attendance,
fit & gap, :class:`SubcommitteeSummary`).  Files: :func:`load_source`, :func:`load_register`,
:func:`read_requests_csv`; the bundled example :func:`example_register`.

>>> from jichitai_cloud import customization, examples
>>> register = customization.example_register("toyama")
>>> council = register.apply_to(examples.toyama())
>>> customization.decision_summary(council).outcome_counts()["implemented"]
17
"""

from ._domain import (
    ComparisonTable,
    DecisionSummary,
    Dropout,
    StableAdoption,
    comparison_table,
    decision_summary,
    quote_matrix,
    register_of,
    stable_adoption,
)
from ._files import REQUEST_COLUMN_ALIASES, example_register, load_register, load_source, read_requests_csv
from ._kernels import MAX_YEN, drop_out_rounds, share_quotes, stable_adopters, would_rejoin
from ._subcommittees import SubcommitteeRow, SubcommitteeSummary, subcommittee_summary

__all__ = [
    "MAX_YEN",
    "REQUEST_COLUMN_ALIASES",
    "ComparisonTable",
    "DecisionSummary",
    "Dropout",
    "StableAdoption",
    "SubcommitteeRow",
    "SubcommitteeSummary",
    "comparison_table",
    "decision_summary",
    "drop_out_rounds",
    "example_register",
    "load_register",
    "load_source",
    "quote_matrix",
    "read_requests_csv",
    "register_of",
    "share_quotes",
    "stable_adopters",
    "stable_adoption",
    "subcommittee_summary",
    "would_rejoin",
]
