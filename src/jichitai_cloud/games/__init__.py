"""Fairness and stability of a cost allocation: cooperative cost games (協力ゲーム).

Kernels on a coalition cost vector indexed by bitmask (bit ``i`` set = member ``i`` in the
coalition): :func:`shapley` (シャープレイ値), :func:`nucleolus` (仁), :func:`core_violation`
(コア), :func:`scrb` and :func:`sampled_shapley`; coalition cost models (:class:`QuoteTable`,
:class:`ScaleEconomyModel`); and the domain reports :func:`fairness_report`,
:func:`leaving_report` and :func:`joining_report`.
"""

from ._costmodels import (
    COMPLETION_RULES,
    CoalitionCosts,
    CostModel,
    GroupQuote,
    QuoteTable,
    ScaleEconomyModel,
    SizeQuote,
    cost_model_from_data,
    load_cost_model,
)
from ._domain import (
    DEFAULT_RATIO,
    NUCLEOLUS_MAX_MEMBERS,
    FairnessReport,
    JoiningReport,
    LeavingReport,
    allocation_array,
    fairness_report,
    joining_report,
    leaving_report,
    parse_ratio,
    ratio_shares,
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
    "DEFAULT_RATIO",
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
    "allocation_array",
    "coalition_sums",
    "complete_partition",
    "core_violation",
    "cost_model_from_data",
    "fairness_report",
    "fit_power_cost",
    "joining_report",
    "leaving_report",
    "load_cost_model",
    "members_of",
    "nucleolus",
    "parse_ratio",
    "ratio_shares",
    "relabel",
    "restrict",
    "sampled_shapley",
    "scrb",
    "shapley",
]
