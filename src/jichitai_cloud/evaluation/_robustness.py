"""How robust the winner is: Monte Carlo over weights and judges, and the least weight shift.

:func:`monte_carlo` and :func:`weight_sensitivity` wrap the kernels of
:mod:`._kernels.robustness` in their result types; :func:`assess` turns an evaluation into their
arrays and their answers into a :class:`Robustness` (what :meth:`EvaluationResult.robustness`
returns).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._display import Column, DataTable, Lang, TableView, check_lang, col, shown_text
from .._frozenmap import FrozenMap
from .._numeric._checks import whole_number
from .._numeric._dask import is_dask, map_scenarios
from .._numeric._limits import MAX_SAMPLES, check_work
from .._numeric._threads import single_blas_thread
from ..errors import ValidationError
from ._inputs import component_arrays
from ._kernels.robustness import SeedLike, least_weight_shift, rank_acceptability
from ._kernels.technical import JudgeAggregation, aggregate_judges

if TYPE_CHECKING:  # pragma: no cover

    from ._result import EvaluationResult

__all__ = ["MonteCarloOutcome", "Robustness", "Sensitivity", "assess", "monte_carlo", "weight_sensitivity"]


SECONDS_PER_SAMPLE_CELL = 3e-9
"""Time per sample and (judge x proposal x criterion) cell on a laptop, measured. [s]"""

MAX_SEED = 2**63 - 1
"""The largest seed accepted (seeds are whole numbers from 0). [1]"""


class MonteCarloOutcome(NamedTuple):
    """What :func:`monte_carlo` returns."""

    rank_probability: NDArray[np.float64]
    """``[p, r]``: probability that proposal ``p`` has rank ``r + 1``; rows and columns add up to 1."""
    win_probability: NDArray[np.float64]
    """Probability that each proposal wins (column 0 of ``rank_probability``); adds up to 1."""
    samples: int
    """Number of samples drawn."""
    lottery_samples: int
    """Samples whose winner or ranking would need a lottery (shared equally in the probabilities)."""
    fallback_cells: int
    """(Sample, proposal, criterion) cells where the resampled judges all were absent, so the
    all-judge aggregate was used instead."""


def monte_carlo(scores: ArrayLike, nominal: ArrayLike, *, samples: int = 10_000, concentration: float | None = 100.0,
                weights: ArrayLike | None = None, fixed: ArrayLike | None = None, groups: ArrayLike | None = None,
                bootstrap: bool = True, aggregation: JudgeAggregation = "mean", seed: SeedLike = None,
                chunk_size: int = 8192) -> MonteCarloOutcome:
    r"""Win and rank probabilities under uncertain weights and judges.

    Each sample draws weights from a Dirichlet distribution around the nominal weights
    (:func:`sample_weights`; or takes them from ``weights``; or keeps the nominal weights if
    ``concentration`` is ``None``) and, when scores keep the judge axis and ``bootstrap`` is
    true, resamples the judges of each group with replacement (within its group) and
    re-aggregates their scores; then it ranks the proposals by total points, ties by the judged
    (technical) points, remaining ties shared equally (:func:`outcome_counts`).  Samples are
    processed ``chunk_size`` at a time, so memory stays bounded whatever ``samples`` is; nothing
    loops over samples, judges or proposals in Python.

    Parameters
    ----------
    scores
        Normalised judged scores: ``(P, K)`` already aggregated, or ``(J, P, K)`` per judge with
        NaN for absent scores. [1]
    nominal
        Nominal weights of the ``K`` judged columns followed by the ``F`` fixed columns,
        shape ``(K + F,)``. [points]
    samples
        Number of Monte Carlo samples (ignored when ``weights`` is given).
    concentration
        Dirichlet concentration of the weights (larger = closer to nominal); ``None`` keeps the
        nominal weights. [1]
    weights
        Explicit weight vectors to evaluate instead of drawing them, shape ``(S, K + F)``; may be a
        dask array chunked along the samples (the ``scale`` extra): each chunk is ranked where it
        lies (threads, or the workers of a ``dask.distributed`` cluster) and only the rank counts
        come back; the judges are then not resampled (``bootstrap=False`` or ``(P, K)`` scores). [points]
    fixed
        Normalised scores without judges (e.g. price points / their maximum), shape ``(P, F)``. [1]
    groups
        Group of each judge for the bootstrap (judges are resampled within their group),
        shape ``(J,)`` (default: one group).
    bootstrap
        Resample judges (needs ``(J, P, K)`` scores).
    aggregation
        How (resampled) judges are aggregated: ``"mean"``, ``"median"`` or ``"trimmed"``.
    seed
        Seed or numpy Generator; the same seed gives the same result for any ``chunk_size``.
    chunk_size
        Samples per chunk (memory bound; median and trimmed aggregation use smaller chunks).

    Returns
    -------
    MonteCarloOutcome

    Notes
    -----
    The matrix products run with one BLAS thread (:mod:`jichitai_cloud._numeric._threads`), so a
    busy neighbour on the machine does not slow them many-fold.

    References
    ----------
    .. [1] Efron, B. and Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
    .. [2] Lahdelma, R., Hokkanen, J. and Salminen, P. (1998). SMAA — Stochastic multiobjective
       acceptability analysis. *European Journal of Operational Research* 106(1), 137–143
       (rank acceptability indices).
    """
    if is_dask(weights):
        return _monte_carlo_dask(scores, nominal, weights, fixed=fixed, groups=groups, bootstrap=bootstrap,
                                 aggregation=aggregation, seed=seed, chunk_size=chunk_size)
    with single_blas_thread():
        prob, n, lottery, fallback = rank_acceptability(
            scores, nominal, samples=samples, concentration=concentration, weights=weights, fixed=fixed,
            groups=groups, bootstrap=bootstrap, aggregation=aggregation, seed=seed, chunk_size=chunk_size)
    return MonteCarloOutcome(prob, prob[:, 0].copy(), n, lottery, fallback)


def _monte_carlo_dask(scores: ArrayLike, nominal: ArrayLike, weights: Any, *, fixed: ArrayLike | None,
                      groups: ArrayLike | None, bootstrap: bool, aggregation: JudgeAggregation, seed: SeedLike,
                      chunk_size: int) -> MonteCarloOutcome:
    """:func:`monte_carlo` with the weight vectors a dask array ``(S, K + F)``: each chunk of samples is
    ranked where it lies and only the ``(P, P)`` rank counts come back."""
    x = np.asarray(scores, dtype=np.float64)
    if x.ndim == 3 and bootstrap and x.shape[0] > 0:
        raise ValidationError("with dask weights the judges cannot be resampled (the bootstrap draws follow the "
                              "samples in order); pass bootstrap=False or (P, K) aggregated scores, or numpy weights")
    if weights.ndim != 2 or weights.shape[0] == 0:
        raise ValidationError(f"weights must have shape (S, K + F), got {tuple(weights.shape)}")
    p = x.shape[-2]

    def counts(s0: int, w: NDArray[np.float64]) -> NDArray[np.float64]:
        del s0
        with single_blas_thread():
            prob, m, lottery, fallback = rank_acceptability(
                x, nominal, weights=w, fixed=fixed, groups=groups, bootstrap=bootstrap, aggregation=aggregation,
                seed=seed, chunk_size=chunk_size)
        return np.concatenate([(prob * m).ravel(), [lottery, fallback]])[None]

    part = map_scenarios(counts, (weights,), ("weights",), out_tail=(p * p + 2,), dtype=np.float64, per_block=True)
    total = np.asarray(part.sum(axis=0).compute())
    n = int(weights.shape[0])
    prob = total[:-2].reshape(p, p) / n
    return MonteCarloOutcome(prob, prob[:, 0].copy(), n, round(float(total[-2])), round(float(total[-1])))


class Sensitivity(NamedTuple):
    """What :func:`weight_sensitivity` returns."""

    winner: int
    """Index of the nominal winner."""
    shift: NDArray[np.float64]
    """``[q]``: the least total weight that must move between columns for rival ``q`` to tie the
    winner (0 for the winner itself; inf if no reweighting can do it). [points]"""
    share: NDArray[np.float64]
    """``shift`` as a share of the total weight. [1]"""
    weights: NDArray[np.float64]
    """``[q, k]``: the shifted weights at which rival ``q`` ties the winner (nominal for the
    winner and for rivals that cannot tie). [points]"""
    gains: NDArray[np.intp]
    """``[q]``: the column that receives the moved weight. """


def weight_sensitivity(scores: ArrayLike, weights: ArrayLike, *, winner: int | None = None) -> Sensitivity:
    r"""The smallest change of weights that changes the winner.

    For the winner :math:`w^*` and a rival :math:`q` with score difference
    :math:`\delta = x_{w^*} - x_q` per column, the margin is :math:`D = \sum_k w_k \delta_k`.
    Moving weight from columns where the winner leads most to the column where the rival leads
    most (:math:`\arg\min \delta`) closes the margin fastest; keeping every weight >= 0 and the
    total fixed, the least total weight moved (the L1 change divided by two) that makes the rival
    tie is found greedily — a fractional knapsack, exact for this linear program.

    Parameters
    ----------
    scores
        Normalised scores (score / maximum), shape ``(P, K)``. [1]
    weights
        Nominal weights, shape ``(K,)``. [points]
    winner
        Index of the winner (default: the highest total; the first if tied).

    Returns
    -------
    Sensitivity
        The minimal shift for each rival, and the weights after it.

    References
    ----------
    .. [1] Triantaphyllou, E. and Sánchez, A. (1997). A sensitivity analysis approach for some
       deterministic multi-criteria decision-making methods. *Decision Sciences* 28(1), 151–194.
    """
    return Sensitivity(*least_weight_shift(scores, weights, winner=winner))


_PERCENT = Column("p", "割合", "Share", "percent")


def _fmt_pct(x: float) -> str:
    return shown_text(x, _PERCENT)


@attrs.frozen(kw_only=True, slots=True)
class Robustness(TableView):
    """How sure the committee can be of its winner (see :meth:`EvaluationResult.robustness`).

    Parameters
    ----------
    vendors
        The ranked proposals, in the order of the evaluation.
    win_probability
        Probability that each wins when weights and judges vary; adds up to 1. [1]
    rank_probability
        ``[i][r]``: probability that vendor ``i`` is ranked ``r + 1``. [1]
    winner
        The nominal winner (``None`` if a lottery decides it).
    samples, concentration, bootstrap, seed, aggregation
        How the Monte Carlo was run.
    lottery_samples
        Samples in which a tie would have gone to a lottery (counted as shared).
    columns
        The weighted columns: ``"price"`` and ``"component/criterion"``.
    nominal_weights
        Their nominal weights (points each column is worth). [points]
    shifts
        For each rival, the least share of the total weight that must move between columns for
        it to tie the winner (``inf``: no reweighting can). [1]
    closest_rival
        The rival needing the least shift.
    shift_from, shift_to
        For the closest rival: the columns losing weight (most first) and the column gaining it.
    """

    vendors: tuple[str, ...]
    win_probability: tuple[float, ...]
    rank_probability: tuple[tuple[float, ...], ...]
    winner: str | None
    samples: int
    concentration: float | None
    bootstrap: bool
    seed: int | None
    aggregation: str
    lottery_samples: int
    columns: tuple[str, ...]
    nominal_weights: tuple[float, ...]
    shifts: FrozenMap[float]
    closest_rival: str | None
    shift_from: tuple[str, ...]
    shift_to: str | None

    @property
    def weight_shift(self) -> float | None:
        """The least share of the total weight whose move changes the winner. [1]"""
        if self.closest_rival is None:
            return None
        return self.shifts[self.closest_rival]

    def views(self) -> tuple[DataTable, ...]:
        """One row per vendor: the probability of winning and of each rank when the weights and
        the judges vary, and the least share of the total weight whose move makes it tie the winner."""
        n = len(self.vendors)
        columns = (col("vendor"), Column("win_probability", "最優秀となる確率", "P(win)", "percent"),
                   *[Column(f"rank_{r + 1}", f"{r + 1}位となる確率", f"P(rank {r + 1})", "percent")
                     for r in range(n)],
                   Column("weight_shift", "同点に必要な重みの移動", "Weight shift to tie", "percent"))
        rows = []
        never = False
        for i, v in enumerate(self.vendors):
            shift = self.shifts.get(v)
            never = never or (shift is not None and math.isinf(shift))
            rows.append([v, self.win_probability[i], *self.rank_probability[i],
                         None if shift is None or math.isinf(shift) else shift])
        notes = ["同点に必要な重みの移動: 配点 (重み) の合計のうち、その事業者が最優秀業者と同点になるまでに"
                 "評価項目の間で移す必要のある最小の割合。"]
        notes_en = ["Weight shift to tie: the least share of the total weight that must move between the "
                    "criteria for the vendor to tie the winner."]
        if never:
            notes.append("空欄の事業者 (最優秀業者を除く) は、重みをどう変えても最優秀業者に並びません。")
            notes_en.append("A blank shift (other than the winner's) means no reweighting makes the vendor tie.")
        return (DataTable(key="robustness", title="頑健性", title_en="Robustness of the winner", columns=columns,
                          rows=rows, sheet="頑健性", sheet_en="Robustness", index="vendor",
                          notes=notes, notes_en=notes_en),)

    def summary(self, lang: Lang = "ja") -> str:
        """One paragraph for the minutes, in Japanese (``lang="en"``: English)."""
        ja = check_lang(lang) == "ja"
        judges = self.bootstrap and any(c != "price" for c in self.columns)
        if ja:
            how = (f"{self.samples:,} 回の試行、重みは公称値を中心とするディリクレ分布"
                   + (f" (集中度 {self.concentration:g})" if self.concentration is not None else " (固定)")
                   + ("、審査員はブートストラップで再抽出" if judges else ""))
        else:
            how = (f"{self.samples:,} samples, weights Dirichlet around nominal"
                   + (f" (concentration {self.concentration:g})" if self.concentration is not None else " (fixed)")
                   + (", judges resampled (bootstrap)" if judges else ""))
        if self.winner is None:
            return f"単独の最優秀業者なし (くじで決定)。{how}。" if ja else f"No single winner (a lottery decides). {how}."
        p = _fmt_pct(self.win_probability[self.vendors.index(self.winner)])
        text = f"{self.winner} が最優秀となるのは {p} ({how})。" if ja else f"{self.winner} wins in {p} of {how}."
        shift = self.weight_shift
        if self.closest_rival is not None and shift is not None and math.isfinite(shift):
            if ja:
                text += (f"最優秀業者が変わる最小の重みの変更は、合計の {_fmt_pct(shift)} を "
                         f"{'、'.join(self.shift_from[:3])} から {self.shift_to} へ移すもので、"
                         f"{self.closest_rival} が同点になります。")
            else:
                text += (f" The smallest change of weights that changes the winner moves {_fmt_pct(shift)} "
                         f"of the total weight from {', '.join(self.shift_from[:3])} to {self.shift_to}, "
                         f"making {self.closest_rival} tie.")
        elif self.closest_rival is not None:
            text += "重みをどう変えても最優秀業者は変わりません。" if ja else " No reweighting of the criteria changes the winner."
        return text

    def __repr__(self) -> str:
        return f"Robustness(winner={self.winner!r}, win_probability={dict(zip(self.vendors, self.win_probability, strict=True))})"


def assess(result: EvaluationResult, *, samples: int = 10_000, concentration: float | None = 100.0,
           bootstrap: bool = True, seed: int | None = 0, chunk_size: int = 8192, limit: bool = True) -> Robustness:
    """How robust ``result``'s winner is: what :meth:`EvaluationResult.robustness` returns (see there).

    Monte Carlo (:func:`monte_carlo`) among the ranked proposals and the least weight shift that
    makes a rival tie the winner (:func:`weight_sensitivity`); points are not rounded here.
    """
    samples = whole_number(samples, "samples")
    if seed is not None:
        whole_number(seed, "seed", low=0, high=MAX_SEED)
    data = robustness_arrays(result)
    vendors = data.vendors
    if len(vendors) == 0:
        raise ValidationError("no ranked proposal: nothing to assess")
    if limit:
        memory, seconds = _cost(data, samples, chunk_size)
        check_work("samples", samples, limit=MAX_SAMPLES, memory=memory, seconds=seconds)
    out = monte_carlo(data.scores, data.nominal, samples=samples, concentration=concentration,
                      fixed=data.fixed, groups=data.groups, bootstrap=bootstrap,
                      aggregation=result.scheme.aggregation, seed=seed, chunk_size=chunk_size)  # type: ignore[arg-type]
    shifts: dict[str, float] = {}
    closest = None
    shift_from: tuple[str, ...] = ()
    shift_to = None
    if result.winner is not None and len(vendors) > 1:
        agg = np.concatenate([data.averaged, data.fixed], axis=1)
        sens = weight_sensitivity(agg, data.nominal, winner=vendors.index(result.winner))
        for i, v in enumerate(vendors):
            if v != result.winner:
                shifts[v] = float(sens.share[i])
        closest = min(shifts, key=lambda v: shifts[v])
        qi = vendors.index(closest)
        if math.isfinite(shifts[closest]):
            moved = data.nominal - sens.weights[qi]
            srcs = np.argsort(-moved, kind="stable")
            shift_from = tuple(data.columns[k] for k in srcs if moved[k] > 1e-12 * data.nominal.sum())
            shift_to = data.columns[int(sens.gains[qi])]
    return Robustness(
        vendors=vendors, win_probability=tuple(float(p) for p in out.win_probability),
        rank_probability=tuple(tuple(float(p) for p in row) for row in out.rank_probability),
        winner=result.winner, samples=out.samples, concentration=concentration, bootstrap=bootstrap,
        seed=seed, aggregation=result.scheme.aggregation, lottery_samples=out.lottery_samples,
        columns=data.columns, nominal_weights=tuple(float(w) for w in data.nominal),
        shifts=FrozenMap(shifts), closest_rival=closest, shift_from=shift_from, shift_to=shift_to,
    )


def _cost(data: _RobustnessArrays, samples: int, chunk_size: int) -> tuple[float, float]:
    cells = max(1, data.scores.size + data.fixed.size)
    j, p = (data.scores.shape[0] if data.scores.ndim == 3 else 1), len(data.vendors)
    per_sample = 6 * (4 * j + 8 * p * data.nominal.size + 8 * data.nominal.size)  # the chunk's arrays
    return (min(samples, chunk_size) * per_sample + 4 * data.scores.nbytes,
            samples * cells * SECONDS_PER_SAMPLE_CELL)


def robustness_cost(result: EvaluationResult, samples: int, chunk_size: int = 8192) -> tuple[float, float]:
    """Estimated peak memory [bytes] and time on a laptop [s] of ``result.robustness(samples=samples)``."""
    return _cost(robustness_arrays(result), samples, chunk_size)


@attrs.frozen(slots=True)
class _RobustnessArrays:
    vendors: tuple[str, ...]
    scores: NDArray[np.float64]  # (J, P, K) normalised, NaN absent
    averaged: NDArray[np.float64]  # (P, K) aggregated normalised
    fixed: NDArray[np.float64]  # (P, F)
    nominal: NDArray[np.float64]  # (K + F,)
    groups: NDArray[np.int64]  # (J,)
    columns: tuple[str, ...]


def robustness_arrays(result: EvaluationResult) -> _RobustnessArrays:
    """The ranked proposals' normalised scores, fixed (price) columns and nominal weights."""
    scheme = result.scheme
    idx = np.array([i for i, r in enumerate(result.results) if r.rank is not None], dtype=np.intp)
    vendors = tuple(result.results[i].vendor for i in idx)
    blocks, avg_blocks, groups, nominal, columns = [], [], [], [], []
    J_total = 0
    for g, c in enumerate(scheme.technical_components):
        arr = component_arrays(c, result.proposals)
        scored = ~arr.mandatory
        x = arr.values[:, idx][:, :, scored] / arr.max_scores[scored]
        keep = ~np.isnan(x).all(axis=(1, 2))
        x = x[keep]
        blocks.append((J_total, x))
        J_total += x.shape[0]
        groups += [g] * x.shape[0]
        avg_blocks.append(aggregate_judges(x, method=scheme.aggregation))  # type: ignore[arg-type]
        w = arr.weights[scored]
        nominal += list(c.points * w / w.sum())
        columns += [f"{c.name}/{n}" for n, s in zip(arr.criteria, scored, strict=True) if s]
    K = len(columns)
    P = idx.size
    scores = np.full((J_total, P, K), np.nan)
    col = 0
    for (j0, x) in blocks:
        scores[j0:j0 + x.shape[0], :, col:col + x.shape[2]] = x
        col += x.shape[2]
    averaged = np.concatenate(avg_blocks, axis=1) if avg_blocks else np.zeros((P, 0))
    pc = scheme.price_component
    if pc is not None:
        pts = np.array([result.results[i].price_points or 0.0 for i in idx])
        fixed = (pts / pc.points)[:, None]
        nominal.append(pc.points)
        columns.append("price")
    else:
        fixed = np.zeros((P, 0))
    return _RobustnessArrays(vendors, scores, averaged, np.clip(fixed, 0.0, 1.0), np.array(nominal),
                             np.array(groups, dtype=np.int64), tuple(columns))
