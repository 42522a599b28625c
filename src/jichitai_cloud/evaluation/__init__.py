"""Proposal evaluation (総合評価): price and technical points, rounds, ties, and how robust the winner is.

Kernels (numpy arrays in, arrays out; a leading scenario axis broadcasts):

- price: :func:`price_points`, :func:`qualify`, :func:`investigation_threshold`,
  :func:`floating_threshold`, :func:`lottery`
- division method (除算方式): :func:`division_values`, :func:`division_reference`,
  :func:`division_qualify`; exact rounding: :func:`round_points`
- technical points: :func:`grade_scores`, :func:`aggregate_judges`, :func:`criterion_points`,
  :func:`technical_points`, :func:`mandatory_pass`, :func:`kendalls_w`, :func:`judge_deviation`,
  :func:`outlying_judges`
- robustness: :func:`sample_weights`, :func:`bootstrap_counts`, :func:`weighted_totals`,
  :func:`outcome_counts`, :func:`monte_carlo`, :func:`weight_sensitivity`

Domain: :func:`evaluate` (also ``jichitai_cloud.evaluate``) a :class:`~jichitai_cloud.Procurement`
or proposals and a scheme into an :class:`EvaluationResult` (ranking, validity, winner, ties,
judges' consistency, :meth:`EvaluationResult.robustness`, :meth:`EvaluationResult.to_excel`);
:func:`scores_from_grades`; :func:`example` (the bundled Toyama evaluation, illustrative).
"""

from ._domain import (
    BID_STATUS_NAMES,
    EvaluationResult,
    JudgeReport,
    ProposalResult,
    Robustness,
    evaluate,
    scores_from_grades,
)
from ._examples import example, example_names
from ._kernels import (
    AGGREGATIONS,
    DEFAULT_GRADE_MULTIPLIERS,
    PRICE_METHODS,
    ROUNDING_MODES,
    BidStatus,
    JudgeAggregation,
    MonteCarloOutcome,
    PriceMethod,
    RoundingMode,
    Sensitivity,
    aggregate_judges,
    bootstrap_counts,
    criterion_points,
    division_qualify,
    division_reference,
    division_values,
    floating_threshold,
    grade_scores,
    investigation_threshold,
    judge_deviation,
    kendalls_w,
    lottery,
    mandatory_pass,
    monte_carlo,
    outcome_counts,
    outlying_judges,
    price_points,
    qualify,
    round_points,
    sample_weights,
    technical_points,
    weight_sensitivity,
    weighted_totals,
)

__all__ = [
    "AGGREGATIONS",
    "BID_STATUS_NAMES",
    "DEFAULT_GRADE_MULTIPLIERS",
    "PRICE_METHODS",
    "ROUNDING_MODES",
    "BidStatus",
    "EvaluationResult",
    "JudgeAggregation",
    "JudgeReport",
    "MonteCarloOutcome",
    "PriceMethod",
    "ProposalResult",
    "Robustness",
    "RoundingMode",
    "Sensitivity",
    "aggregate_judges",
    "bootstrap_counts",
    "criterion_points",
    "division_qualify",
    "division_reference",
    "division_values",
    "evaluate",
    "example",
    "example_names",
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
    "scores_from_grades",
    "technical_points",
    "weight_sensitivity",
    "weighted_totals",
]
