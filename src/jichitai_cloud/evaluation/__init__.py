"""Proposal evaluation (総合評価): price and technical points, rounds, ties, and how robust the winner is.

Kernels (numpy arrays in, arrays out; a leading scenario axis broadcasts):

- price: :func:`price_points`, :func:`qualify` (codes: :class:`BidStatus`),
  :func:`investigation_threshold`, :func:`floating_threshold`, :func:`lottery`
- division method (除算方式): :func:`division_values` (also the reference value: base points over
  the ceiling), :func:`division_qualify`; exact rounding: :func:`round_points`
- technical points: :func:`grade_scores`, :func:`aggregate_judges`, :func:`criterion_points`,
  :func:`technical_points`, :func:`mandatory_pass`, :func:`kendalls_w`, :func:`judge_deviation`,
  :func:`outlying_judges`
- ranking: :func:`rank` (ranks and tie groups), :func:`outcome_counts` (rank counts over samples)
- robustness: :func:`sample_weights`, :func:`monte_carlo` (:class:`MonteCarloOutcome`),
  :func:`weight_sensitivity` (:class:`Sensitivity`)

Domain: :func:`evaluate` (also ``jichitai_cloud.evaluate``) a :class:`~jichitai_cloud.Procurement`
or proposals and a scheme into an :class:`EvaluationResult` (ranking, validity, winner, ties,
judges' consistency :class:`JudgeReport`, :meth:`EvaluationResult.robustness` →
:class:`Robustness`, the evaluation sheet :meth:`EvaluationResult.tables`);
:func:`scores_from_grades`.  The bundled Toyama evaluation is
``jichitai_cloud.examples.toyama_evaluation()``; a procurement file reads with
``jichitai_cloud.io.load_procurement(path)``; the sheet writes with
``jichitai_cloud.report.to_excel(result, path)``.
"""

from ._evaluate import evaluate
from ._inputs import scores_from_grades
from ._judges import JudgeReport
from ._kernels.division import division_qualify, division_values, round_points
from ._kernels.price import (
    BidStatus,
    floating_threshold,
    investigation_threshold,
    lottery,
    price_points,
    qualify,
)
from ._kernels.ranking import outcome_counts, rank
from ._kernels.robustness import sample_weights
from ._kernels.technical import (
    aggregate_judges,
    criterion_points,
    grade_scores,
    judge_deviation,
    kendalls_w,
    mandatory_pass,
    outlying_judges,
    technical_points,
)
from ._result import EvaluationResult, ProposalResult
from ._robustness import MonteCarloOutcome, Robustness, Sensitivity, monte_carlo, weight_sensitivity

__all__ = [
    "BidStatus",
    "EvaluationResult",
    "JudgeReport",
    "MonteCarloOutcome",
    "ProposalResult",
    "Robustness",
    "Sensitivity",
    "aggregate_judges",
    "criterion_points",
    "division_qualify",
    "division_values",
    "evaluate",
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
    "rank",
    "round_points",
    "sample_weights",
    "scores_from_grades",
    "technical_points",
    "weight_sensitivity",
]
