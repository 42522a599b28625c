"""The pure numpy kernels of :mod:`jichitai_cloud.evaluation`, gathered in one place.

They live in :mod:`._price` (price points, qualification, thresholds, lottery),
:mod:`._division` (division method, exact rounding), :mod:`._technical` (judges' scores) and
:mod:`._robustness` (Monte Carlo, weight sensitivity).  Kernels import only numpy and
:mod:`jichitai_cloud.errors`; they never see a domain type.
"""

from ._division import (
    ROUNDING_MODES,
    RoundingMode,
    division_qualify,
    division_reference,
    division_values,
    round_points,
)
from ._price import (
    PRICE_METHODS,
    BidStatus,
    PriceMethod,
    floating_threshold,
    investigation_threshold,
    lottery,
    price_points,
    qualify,
)
from ._robustness import (
    MonteCarloOutcome,
    Sensitivity,
    bootstrap_counts,
    monte_carlo,
    outcome_counts,
    sample_weights,
    weight_sensitivity,
    weighted_totals,
)
from ._technical import (
    AGGREGATIONS,
    DEFAULT_GRADE_MULTIPLIERS,
    JudgeAggregation,
    aggregate_judges,
    criterion_points,
    grade_scores,
    judge_deviation,
    kendalls_w,
    mandatory_pass,
    outlying_judges,
    technical_points,
)

__all__ = [
    "AGGREGATIONS",
    "DEFAULT_GRADE_MULTIPLIERS",
    "PRICE_METHODS",
    "ROUNDING_MODES",
    "BidStatus",
    "JudgeAggregation",
    "MonteCarloOutcome",
    "PriceMethod",
    "RoundingMode",
    "Sensitivity",
    "aggregate_judges",
    "bootstrap_counts",
    "criterion_points",
    "division_qualify",
    "division_reference",
    "division_values",
    "floating_threshold",
    "grade_scores",
    "investigation_threshold",
    "judge_deviation",
    "kendalls_w",
    "lottery",
    "mandatory_pass",
    "monte_carlo",
    "outcome_counts",
    "outlying_judges",
    "price_points",
    "qualify",
    "round_points",
    "sample_weights",
    "technical_points",
    "weight_sensitivity",
    "weighted_totals",
]
