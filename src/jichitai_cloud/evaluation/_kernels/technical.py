"""Technical points (技術点): judges' scores aggregated, weighted and scaled; judge consistency.

Scores have shape ``(..., J, P, C)``: judges, proposals, criteria, with any leading scenario axes.
A judge's score on a criterion lies between 0 and that criterion's maximum.  **NaN marks an
absent score** (a judge who did not score that proposal or criterion); the domain layer creates
it from ``None`` and nothing else may: infinity or a negative score raises, and every
aggregation says what it does with absent scores.  No other kernel of this package accepts NaN.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric._checks import as_fraction, nonnegative_reals, scores_array
from ...errors import ValidationError

__all__ = [
    "AGGREGATIONS",
    "DEFAULT_GRADE_MULTIPLIERS",
    "JudgeAggregation",
    "aggregate_judges",
    "criterion_points",
    "exact_order",
    "grade_scores",
    "judge_deviation",
    "kendalls_w",
    "mandatory_pass",
    "outlying_judges",
    "technical_points",
]

JudgeAggregation = Literal["mean", "median", "trimmed"]
AGGREGATIONS: tuple[JudgeAggregation, ...] = get_args(JudgeAggregation)

DEFAULT_GRADE_MULTIPLIERS: tuple[float, ...] = (1.0, 0.75, 0.5, 0.25, 0.0)
"""Multipliers of the five grades A–E (特に優れている 1.00, 優れている 0.75, 普通 0.50,
やや劣る 0.25, 劣る 0.00): a common table of prefectural 落札者決定基準; set your scheme's own."""


def _scores(scores: ArrayLike, name: str = "scores", ndim: int = 3) -> NDArray[np.float64]:
    x = scores_array(scores, name)
    if x.ndim < ndim:
        raise ValidationError(f"{name} must have at least {ndim} axes (judges, proposals, criteria), got shape {x.shape}")
    return x


def grade_scores(grades: ArrayLike, max_scores: ArrayLike, *,
                 multipliers: ArrayLike = DEFAULT_GRADE_MULTIPLIERS) -> NDArray[np.float64]:
    """Scores from grades on a five-level (or any-level) scale: ``multiplier[grade] × max score``.

    Parameters
    ----------
    grades
        Grade indices, shape ``(..., C)``: 0 for the best grade (A), 1 for B, …; -1 for absent.
    max_scores
        Maximum score (配点) of each criterion, shape ``(C,)``. [points]
    multipliers
        Multiplier of each grade, best first, each between 0 and 1. [1]

    Returns
    -------
    numpy.ndarray of float64, shape ``(..., C)``
        Scores; NaN where the grade is -1 (absent). [points]

    References
    ----------
    .. [1] e.g. 長崎県, 落札者決定基準 (5段階評価: A 特に優れている 配点×1.00 …),
       https://expydoc.com/doc/7750129/
    """
    g = np.asarray(grades)
    if not np.issubdtype(g.dtype, np.integer):
        raise ValidationError(f"grades must be integer grade indices (0 = best, -1 = absent), got {g.dtype}")
    mult = nonnegative_reals(multipliers, "multipliers")
    if mult.ndim != 1 or mult.size == 0 or np.any(mult > 1):
        raise ValidationError(f"multipliers must be a list of ratios between 0 and 1, got {mult.tolist()}")
    bad = (g < -1) | (g >= mult.size)
    if bad.any():
        raise ValidationError(f"grades must lie in -1..{mult.size - 1}; got {g[bad].ravel()[0]}")
    mx = nonnegative_reals(max_scores, "max_scores", positive=True, unit="points")
    out = mult[np.clip(g, 0, None)] * mx
    return np.where(g < 0, np.nan, out)


def aggregate_judges(scores: ArrayLike, *, method: JudgeAggregation = "mean") -> NDArray[np.float64]:
    """Aggregate judges' scores of each proposal on each criterion.

    ``"mean"`` — the mean of the judges present (全審査員の平均点, the documented practice).
    ``"median"`` — the median of the judges present.
    ``"trimmed"`` — drop the single highest and the single lowest score, then take the mean of
    the rest (needs at least three judges present).

    Absent judges (NaN) are left out of that proposal's and criterion's aggregate; the number of
    judges present may differ between cells.  A cell that no judge scored raises (there is no
    score to report), as does ``"trimmed"`` with fewer than three judges present.

    Parameters
    ----------
    scores
        Shape ``(..., J, P, C)``; NaN = absent. [points]
    method
        One of :data:`AGGREGATIONS`.

    Returns
    -------
    numpy.ndarray of float64, shape ``(..., P, C)`` [points]
    """
    if method not in AGGREGATIONS:
        raise ValidationError(f"method must be one of {AGGREGATIONS}, got {method!r}")
    x = _scores(scores)
    present = ~np.isnan(x)
    n = present.sum(axis=-3)
    if np.any(n == 0):
        p, c = np.argwhere(n == 0)[0][-2:]
        raise ValidationError(f"no judge scored proposal index {p} on criterion index {c}: nothing to aggregate")
    if method == "mean":
        return np.asarray(np.where(present, x, 0.0).sum(axis=-3) / n, dtype=np.float64)
    if method == "median":
        return np.nanmedian(x, axis=-3)
    if np.any(n < 3):
        p, c = np.argwhere(n < 3)[0][-2:]
        raise ValidationError(
            f"trimmed aggregation drops the highest and lowest judge and needs >= 3 judges; "
            f"proposal index {p}, criterion index {c} has {int(n[(..., p, c)].min())}"
        )
    total = np.where(present, x, 0.0).sum(axis=-3)
    hi = np.where(present, x, -np.inf).max(axis=-3)
    lo = np.where(present, x, np.inf).min(axis=-3)
    # clipped into [lowest, highest]: the exact value lies there, float cancellation may not
    return np.asarray(np.clip((total - hi - lo) / (n - 2), lo, hi), dtype=np.float64)


def _criteria(max_scores: ArrayLike, weights: ArrayLike | None, c: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    mx = nonnegative_reals(max_scores, "max_scores", positive=True, unit="points")
    w = np.ones(c) if weights is None else nonnegative_reals(weights, "weights")
    if mx.shape[-1:] != (c,) or w.shape[-1:] != (c,):
        raise ValidationError(f"max_scores {mx.shape} and weights {w.shape} must have one entry per criterion ({c})")
    if np.any(w.sum(axis=-1) <= 0):
        raise ValidationError("weights must not all be zero")
    return mx, w


def criterion_points(aggregated: ArrayLike, *, max_scores: ArrayLike, weights: ArrayLike | None = None,
                     points: ArrayLike = 1.0) -> NDArray[np.float64]:
    r"""Points each criterion contributes to a component: :math:`P_c \, w_k / \sum w \cdot a_k / m_k`.

    Parameters
    ----------
    aggregated
        Aggregated scores, shape ``(..., P, C)``. [points]
    max_scores
        Maximum score of each criterion, shape ``(C,)``. [points]
    weights
        Relative weight of each criterion within the component, shape ``(C,)`` (default equal). [1]
    points
        Points allotted to the component (配点), scalar or shape ``(...)``. [points]

    Returns
    -------
    numpy.ndarray of float64, shape ``(..., P, C)``
        Summing over the last axis gives the component's technical points; full marks on
        every criterion give exactly ``points``. [points]
    """
    a = nonnegative_reals(aggregated, "aggregated", unit="points")
    if a.ndim < 2:
        raise ValidationError(f"aggregated must have shape (..., P, C), got {a.shape}")
    mx, w = _criteria(max_scores, weights, a.shape[-1])
    over = a > mx * (1 + 1e-12)
    if over.any():
        p, c = np.argwhere(over)[0][-2:]
        raise ValidationError(
            f"score {a[(..., p, c)].ravel()[0]!r} of proposal index {p} on criterion index {c} exceeds "
            f"its maximum {mx[..., c].ravel()[0]!r} [points]"
        )
    pts = nonnegative_reals(points, "points", unit="points")
    share = w / w.sum(axis=-1, keepdims=True)
    out = np.asarray(pts)[..., None, None] * share[..., None, :] * (a / mx[..., None, :])
    return np.asarray(out, dtype=np.float64)


def technical_points(scores: ArrayLike, *, max_scores: ArrayLike, weights: ArrayLike | None = None,
                     points: ArrayLike = 1.0, aggregation: JudgeAggregation = "mean") -> NDArray[np.float64]:
    r"""A component's technical points: judges aggregated, criteria weighted, scaled to its points.

    :math:`T_p = P_c \sum_k \frac{w_k}{\sum_l w_l} \frac{a_{pk}}{m_k}` with :math:`a_{pk}` the
    aggregate over judges (:func:`aggregate_judges`) of the scores of proposal :math:`p` on
    criterion :math:`k`, :math:`m_k` its maximum score and :math:`P_c` the component's points.

    Parameters
    ----------
    scores
        Judges' scores, shape ``(..., J, P, C)``; NaN = absent. [points]
    max_scores
        Maximum score of each criterion, shape ``(C,)``. [points]
    weights
        Relative weight of each criterion, shape ``(C,)`` (default equal). [1]
    points
        Points allotted to the component. [points]
    aggregation
        How judges are aggregated (see :func:`aggregate_judges`).

    Returns
    -------
    numpy.ndarray of float64, shape ``(..., P)`` [points]
    """
    a = aggregate_judges(scores, method=aggregation)
    pts = criterion_points(a, max_scores=max_scores, weights=weights, points=points)
    return np.asarray(pts.sum(axis=-1), dtype=np.float64)


def mandatory_pass(passes: ArrayLike) -> NDArray[np.bool_]:
    """Mandatory pass/fail items (必須項目) decided by a majority of the judges present.

    An item fails when more than half of the judges present for it judged it failed
    (「過半数を超える審査員が最低限の要求水準を満たしていないとした場合 … 不合格」); a proposal
    passes when it passes every item.  A tie (exactly half) passes.

    Parameters
    ----------
    passes
        Shape ``(..., J, P, M)``: 1 (or True) pass, 0 fail, NaN absent.

    Returns
    -------
    numpy.ndarray of bool, shape ``(..., P)``

    Raises
    ------
    ValidationError
        If a value is not 0, 1 or NaN, or an item has no judge present.

    References
    ----------
    .. [1] e.g. 落札者決定基準 (必須項目の審査), https://expydoc.com/doc/9626171/
    """
    x = _scores(passes, "passes")
    present = ~np.isnan(x)
    if np.any(present & (x != 0) & (x != 1)):
        raise ValidationError("passes must be 1 (pass), 0 (fail) or NaN (absent)")
    n = present.sum(axis=-3)
    if np.any(n == 0):
        p, m = np.argwhere(n == 0)[0][-2:]
        raise ValidationError(f"no judge decided mandatory item index {m} of proposal index {p}")
    fails = (present & (x == 0)).sum(axis=-3)
    return np.asarray(np.all(2 * fails <= n, axis=-1), dtype=bool)


def _average_ranks(x: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Average ranks (1 = lowest) along the last axis and the tie term sum(t^3 - t) per row."""
    less = (x[..., None, :] < x[..., :, None]).sum(axis=-1)
    equal = (x[..., None, :] == x[..., :, None]).sum(axis=-1)
    ranks = less + (equal + 1) / 2.0
    ties = (equal.astype(np.float64) ** 2 - 1).sum(axis=-1)
    return ranks, ties


def _fraction(x: float) -> Fraction:
    return as_fraction(x, "points")


_FRACTION = np.frompyfunc(_fraction, 1, 1)


def exact_order(scores: ArrayLike, *, max_scores: ArrayLike, weights: ArrayLike) -> NDArray[np.float64]:
    r"""Each judge's weighted points of each proposal, in exact arithmetic, as order-preserving codes.

    The weighted points :math:`\sum_k x_{jpk} / m_k \cdot w_k / \sum w` are computed in fractions
    (every score, maximum and weight read as the decimal it is written as), so two proposals a judge
    gave the same weighted points are equal, however float64 would round the two sums.  The result
    replaces each total by its rank among all distinct totals (0, 1, 2, …): the same order and the
    same ties, which is all a rank statistic (:func:`kendalls_w`) looks at.

    Parameters
    ----------
    scores
        Shape ``(J, P, C)``, complete (no NaN). [points]
    max_scores
        Maximum of each criterion, shape ``(C,)``. [points]
    weights
        Weight of each criterion, shape ``(C,)``. [1]

    Returns
    -------
    numpy.ndarray of float64, shape ``(J, P)``
        Codes ordered and tied exactly like the exact weighted points. [1]

    Examples
    --------
    >>> exact_order([[[0, 0, 4], [0, 4, 1]]], max_scores=[10, 10, 10], weights=[30, 30, 40]).tolist()
    [[0.0, 0.0]]
    """
    x = scores_array(scores, "scores")
    if x.ndim != 3 or np.isnan(x).any():
        raise ValidationError(f"scores must be complete, shape (J, P, C), got shape {x.shape}")
    mx: NDArray[np.object_] = np.asarray(_FRACTION(np.asarray(max_scores, dtype=np.float64)), dtype=object)
    wt: NDArray[np.object_] = np.asarray(_FRACTION(np.asarray(weights, dtype=np.float64)), dtype=object)
    if np.any(mx <= 0) or np.any(wt < 0):
        raise ValidationError("max_scores must be > 0 and weights >= 0")
    coef = wt / mx  # (C,) exact; the common factor 1 / sum(w) changes no order
    totals: NDArray[np.object_] = (np.asarray(_FRACTION(x), dtype=object) * coef).sum(axis=-1)  # (J, P)
    _, codes = np.unique(totals.reshape(-1), return_inverse=True)
    return np.asarray(codes, dtype=np.float64).reshape(totals.shape)


def kendalls_w(totals: ArrayLike) -> NDArray[np.float64]:
    r"""Kendall's coefficient of concordance W of judges ranking proposals, with the tie correction.

    :math:`W = \frac{12 S}{m^2 (n^3 - n) - m \sum_j T_j}`, :math:`S = \sum_i (R_i - \bar R)^2`,
    where judge :math:`j` ranks the :math:`n` proposals by its scores (average ranks for ties,
    :math:`T_j = \sum (t^3 - t)` over its tie groups) and :math:`R_i` is the sum of proposal
    :math:`i`'s ranks over the :math:`m` judges.  W = 1: every judge ranks alike; W = 0: no
    agreement.  :math:`\chi^2 = m (n - 1) W` is approximately chi-squared with :math:`n - 1`
    degrees of freedom for the test of no agreement.

    Parameters
    ----------
    totals
        Each judge's score of each proposal, shape ``(..., J, P)``; complete (no NaN): pass only
        the judges who scored every proposal. [points]

    Returns
    -------
    numpy.ndarray of float64, shape ``(...)``
        W in [0, 1]; NaN only if every judge gave every proposal the same score (W undefined).

    References
    ----------
    .. [1] Kendall, M. G. and Babington Smith, B. (1939). The problem of m rankings. *Annals of
       Mathematical Statistics* 10(3), 275–287.
    .. [2] Siegel, S. and Castellan, N. J. (1988). *Nonparametric Statistics for the Behavioral
       Sciences*, 2nd ed., §9.4 (tie correction).
    """
    x = scores_array(totals, "totals")
    if x.ndim < 2 or x.shape[-1] < 2 or x.shape[-2] < 2:
        raise ValidationError(f"totals must have shape (..., J >= 2, P >= 2), got {x.shape}")
    if np.isnan(x).any():
        raise ValidationError("totals must be complete (no absent judge); pass only judges who scored every proposal")
    m, n = x.shape[-2], x.shape[-1]
    ranks, ties = _average_ranks(x)
    R = ranks.sum(axis=-2)
    S = ((R - R.mean(axis=-1, keepdims=True)) ** 2).sum(axis=-1)
    denom = m**2 * (n**3 - n) - m * ties.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, 12.0 * S / np.where(denom > 0, denom, 1.0), np.nan)


def judge_deviation(scores: ArrayLike, *, max_scores: ArrayLike) -> NDArray[np.float64]:
    r"""How far each judge stands from the other judges: mean absolute deviation from their mean.

    For judge :math:`j`: the mean over the cells (proposal, criterion) it scored of
    :math:`|x_{jpk} - \bar x_{-j,pk}| / m_k`, where :math:`\bar x_{-j}` is the mean of the other
    judges present.  Scores are divided by each criterion's maximum, so the deviation is a share
    of the scale (0.25 = a quarter of the range on average).

    Parameters
    ----------
    scores
        Shape ``(..., J, P, C)``; NaN = absent. [points]
    max_scores
        Maximum score of each criterion, shape ``(C,)``. [points]

    Returns
    -------
    numpy.ndarray of float64, shape ``(..., J)`` [1]
        NaN for a judge who shares no scored cell with another judge.
    """
    x = _scores(scores)
    mx = nonnegative_reals(max_scores, "max_scores", positive=True, unit="points")
    z = x / mx
    present = ~np.isnan(z)
    zz = np.where(present, z, 0.0)
    total = zz.sum(axis=-3, keepdims=True)
    n = present.sum(axis=-3, keepdims=True)
    others = n - present
    usable = present & (others > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        loo = (total - zz) / np.where(others > 0, others, 1)
        dev = np.where(usable, np.abs(zz - loo), 0.0).sum(axis=(-2, -1))
        cnt = usable.sum(axis=(-2, -1))
        return np.where(cnt > 0, dev / np.where(cnt > 0, cnt, 1), np.nan)


def outlying_judges(deviation: ArrayLike, *, cutoff: float = 3.5) -> NDArray[np.bool_]:
    r"""Flag judges whose deviation stands far from the other judges' (modified z-score).

    :math:`M_j = 0.6745 (d_j - \tilde d) / \mathrm{MAD}` with :math:`\tilde d` the median of the
    deviations and MAD their median absolute deviation; a judge is flagged when
    :math:`M_j > ` ``cutoff`` (3.5, as recommended by Iglewicz and Hoaglin).  When MAD is 0 the
    mean absolute deviation times 1.2533 replaces it; when that is 0 too, nobody is flagged.
    Flagged judges are **reported, never dropped**: whether to hear or set aside a judge is the
    committee's decision.

    Parameters
    ----------
    deviation
        Per-judge deviations from :func:`judge_deviation`, shape ``(..., J)``; NaN (no shared
        cell) is never flagged. [1]
    cutoff
        Modified z-score above which a judge is flagged. [1]

    Returns
    -------
    numpy.ndarray of bool, shape ``(..., J)``

    References
    ----------
    .. [1] Iglewicz, B. and Hoaglin, D. C. (1993). *How to Detect and Handle Outliers*. ASQC
       Quality Press (modified z-score, cutoff 3.5).
    """
    d = np.asarray(deviation, dtype=np.float64)
    if np.isinf(d).any() or np.any(d < 0):
        raise ValidationError("deviation must be finite and >= 0 (NaN allowed for judges with no shared cell)")
    if not np.isfinite(cutoff) or cutoff <= 0:
        raise ValidationError(f"cutoff must be a finite number > 0, got {cutoff!r}")
    with np.errstate(all="ignore"):
        med = np.nanmedian(d, axis=-1, keepdims=True)
        mad = np.nanmedian(np.abs(d - med), axis=-1, keepdims=True)
        meanad = np.nanmean(np.abs(d - med), axis=-1, keepdims=True) * 1.2533
        spread = np.where(mad > 0, mad / 0.6745, meanad)
        z = np.where(spread > 0, (d - med) / np.where(spread > 0, spread, 1.0), 0.0)
    return np.asarray(np.nan_to_num(z, nan=0.0) > cutoff)
