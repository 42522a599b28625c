"""Fairness and stability of a cost allocation: cooperative cost games (協力ゲーム).

Kernels on a coalition cost vector indexed by bitmask (bit ``i`` set = member ``i`` in the
coalition): :func:`shapley` (シャープレイ値), :func:`nucleolus` (仁), :func:`core_violation`
(コア), :func:`scrb` and :func:`sampled_shapley`; coalition cost models (:class:`QuoteTable`,
:class:`ScaleEconomyModel`; their files are read by :func:`jichitai_cloud.io.load_cost_model`); and
the domain reports :func:`fairness_report`, :func:`leaving_report` and :func:`joining_report`, which
split a fee by the allocation module's rule (:class:`~jichitai_cloud.allocation.AllocationRule`).
"""

from ._costmodels import (
    COMPLETION_RULES,
    CoalitionCosts,
    CostModel,
    GroupQuote,
    QuoteTable,
    ScaleEconomyModel,
    SizeQuote,
)
from ._domain import (
    NUCLEOLUS_MAX_MEMBERS,
    FairnessReport,
    JoiningReport,
    LeavingReport,
    fairness_report,
    joining_report,
    leaving_report,
)
from ._kernels import (
    SampledShapley,
    coalition_sums,
    complete_partition,
    core_violation,
    fit_power_cost,
    members_of,
    nucleolus,
    relabel,
    restrict,
    sampled_shapley,
    scrb,
    shapley,
)

__all__ = [
    "COMPLETION_RULES",
    "NUCLEOLUS_MAX_MEMBERS",
    "CoalitionCosts",
    "CostModel",
    "FairnessReport",
    "GroupQuote",
    "JoiningReport",
    "LeavingReport",
    "QuoteTable",
    "SampledShapley",
    "ScaleEconomyModel",
    "SizeQuote",
    "coalition_sums",
    "complete_partition",
    "core_violation",
    "fairness_report",
    "fit_power_cost",
    "joining_report",
    "leaving_report",
    "members_of",
    "nucleolus",
    "relabel",
    "restrict",
    "sampled_shapley",
    "scrb",
    "shapley",
]
