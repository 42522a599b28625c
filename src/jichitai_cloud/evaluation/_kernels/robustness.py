"""How robust is the winner: Monte Carlo over weights and judges, and weight sensitivity.

Scores here are **normalised** (a score divided by its criterion's maximum, in [0, 1]) and
weights are the points each column is worth (a component's points times the criterion's share
of its weights), so ``scores @ weights`` are total points.  Columns without judges (the price
points divided by their maximum) are passed as ``fixed`` scores.

Monte Carlo samples are processed in chunks of bounded memory; two child generators spawned
from the seed drive the weights and the judges, each consumed in sample order, so results do
not depend on the chunk size.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric._checks import nonnegative_reals, scores_array, whole_number
from ...errors import ValidationError
from .ranking import _outcomes
from .technical import AGGREGATIONS, JudgeAggregation, aggregate_judges

__all__ = [
    "SeedLike",
    "bootstrap_counts",
    "least_weight_shift",
    "rank_acceptability",
    "sample_weights",
    "weighted_totals",
]

SeedLike = int | np.random.Generator | np.random.SeedSequence | None

_OUTCOME_BLOCK = 2048
"""Samples ranked at a time: small enough for the temporaries to stay in cache (twice as fast as 8192)."""


def _rng(seed: SeedLike) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.random.SeedSequence)):
        raise ValidationError(f"seed must be an int, a numpy Generator or None, got {seed!r}")
    return np.random.default_rng(seed)


def sample_weights(nominal: ArrayLike, *, concentration: float, size: int,
                   seed: SeedLike = None) -> NDArray[np.float64]:
    r"""Weights drawn from a Dirichlet distribution centred on the nominal weights.

    :math:`w = W \cdot \mathrm{Dir}(\kappa\, w^0 / W)` with :math:`W = \sum w^0`: the mean is the
    nominal weight vector, the total is kept, and the concentration :math:`\kappa` sets the
    spread (the standard deviation of a share :math:`s` is
    :math:`\sqrt{s(1-s)/(\kappa+1)}`; :math:`\kappa = 100` moves a 1/3 share by about ±0.047).
    Columns with nominal weight 0 stay 0.

    Parameters
    ----------
    nominal
        Nominal weights, shape ``(K,)``, >= 0, not all 0. [points]
    concentration
        Dirichlet concentration :math:`\kappa` > 0. [1]
    size
        Number of samples.
    seed
        Seed or numpy Generator.

    Returns
    -------
    numpy.ndarray of float64, shape ``(size, K)`` [points]
    """
    w0 = nonnegative_reals(nominal, "nominal", unit="points")
    if w0.ndim != 1 or w0.sum() <= 0:
        raise ValidationError(f"nominal must be a 1-d array of weights, not all 0, got {w0.tolist()}")
    if not np.isfinite(concentration) or concentration <= 0:
        raise ValidationError(f"concentration must be a finite number > 0, got {concentration!r}")
    n = whole_number(size, "size")
    total = w0.sum()
    alpha = concentration * w0 / total
    pos = alpha > 0
    g = _rng(seed).standard_gamma(alpha[pos], size=(n, int(pos.sum())))
    out = np.zeros((n, w0.size))
    out[:, pos] = g * (total / g.sum(axis=1, keepdims=True))
    return out


def bootstrap_counts(groups: ArrayLike, *, size: int, seed: SeedLike = None) -> NDArray[np.int64]:
    """Bootstrap resampling of judges within their groups, as counts.

    Each sample draws, for each group of :math:`n_g` judges, :math:`n_g` judges of that group
    with replacement; the result says how many times each judge was drawn.

    Parameters
    ----------
    groups
        Group (e.g. component or round) of each judge, shape ``(J,)``, integers >= 0.
    size
        Number of samples.
    seed
        Seed or numpy Generator.

    Returns
    -------
    numpy.ndarray of int64, shape ``(size, J)``
        Counts; each group's counts add up to its size in every sample.
    """
    g = np.asarray(groups)
    if g.ndim != 1 or g.size == 0 or not np.issubdtype(g.dtype, np.integer) or np.any(g < 0):
        raise ValidationError(f"groups must be a non-empty 1-d array of integers >= 0, got {g!r}")
    n = whole_number(size, "size")
    return _bootstrap(g, n, _rng(seed))


def _bootstrap(groups: NDArray[np.integer], n: int, rng: np.random.Generator) -> NDArray[np.int64]:
    J = groups.size
    order = np.argsort(groups, kind="stable")
    sizes = np.bincount(groups)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    slot_group = groups[order]  # sorted slots; each slot draws a judge of its group
    u = rng.random((n, J))
    picked_sorted = starts[slot_group] + np.floor(u * sizes[slot_group]).astype(np.int64)
    picked = order[np.minimum(picked_sorted, starts[slot_group] + sizes[slot_group] - 1)]
    flat = picked + (np.arange(n, dtype=np.int64) * J)[:, None]
    return np.bincount(flat.ravel(), minlength=n * J).reshape(n, J)


def weighted_totals(scores: ArrayLike, weights: ArrayLike) -> NDArray[np.float64]:
    """Total points of each proposal under each weight vector.

    Parameters
    ----------
    scores
        Normalised scores, shape ``(P, K)`` or per sample ``(S, P, K)``. [1]
    weights
        Weight vectors, shape ``(S, K)``. [points]

    Returns
    -------
    numpy.ndarray of float64, shape ``(S, P)`` [points]
    """
    x = nonnegative_reals(scores, "scores")
    w = nonnegative_reals(weights, "weights", unit="points")
    return _totals(x, w)


def _totals(x: NDArray[np.float64], w: NDArray[np.float64]) -> NDArray[np.float64]:
    if x.ndim == 2:
        return np.asarray(w @ np.ascontiguousarray(x.T), dtype=np.float64)
    return np.asarray(np.matmul(x, w[:, :, None])[:, :, 0], dtype=np.float64)


def _bootstrap_aggregate(xs: NDArray[np.float64], ps: NDArray[np.bool_], order: NDArray[np.intp],
                         counts: NDArray[np.float64], method: JudgeAggregation,
                         nominal: NDArray[np.float64]) -> tuple[NDArray[np.float64], int]:
    """Median or trimmed mean of resampled judges; ``xs``/``ps`` sorted ascending along judges."""
    c = counts[:, order] * ps  # (S, J, P, K): copies drawn of the j-th smallest score
    cum = np.cumsum(c, axis=1)
    n = cum[:, -1]
    need = 3 if method == "trimmed" else 1
    short = n < need
    if method == "median":
        q1 = np.floor((n + 1) / 2)
        q2 = np.floor(n / 2) + 1
        j1 = (cum < q1[:, None]).sum(axis=1)
        j2 = (cum < np.minimum(q2, n)[:, None]).sum(axis=1)
        j1 = np.minimum(j1, xs.shape[0] - 1)
        j2 = np.minimum(j2, xs.shape[0] - 1)
        v1 = np.take_along_axis(np.broadcast_to(xs, c.shape), j1[:, None], axis=1)[:, 0]
        v2 = np.take_along_axis(np.broadcast_to(xs, c.shape), j2[:, None], axis=1)[:, 0]
        agg = (v1 + v2) / 2
    else:
        total = (c * np.where(ps, xs, 0.0)).sum(axis=1)
        jlo = np.minimum((cum < 1).sum(axis=1), xs.shape[0] - 1)
        jhi = np.minimum((cum < n[:, None]).sum(axis=1), xs.shape[0] - 1)
        lo = np.take_along_axis(np.broadcast_to(xs, c.shape), jlo[:, None], axis=1)[:, 0]
        hi = np.take_along_axis(np.broadcast_to(xs, c.shape), jhi[:, None], axis=1)[:, 0]
        with np.errstate(invalid="ignore", divide="ignore"):
            agg = np.clip((total - lo - hi) / (n - 2), lo, hi)
    agg = np.where(short, nominal, agg)
    return agg, int(short.sum())


def rank_acceptability(scores: ArrayLike, nominal: ArrayLike, *, samples: int = 10_000,
                       concentration: float | None = 100.0, weights: ArrayLike | None = None,
                       fixed: ArrayLike | None = None, groups: ArrayLike | None = None, bootstrap: bool = True,
                       aggregation: JudgeAggregation = "mean", seed: SeedLike = None,
                       chunk_size: int = 8192) -> tuple[NDArray[np.float64], int, int, int]:
    """Rank probabilities under uncertain weights and judges (SMAA rank acceptability indices).

    The kernel of :func:`jichitai_cloud.evaluation.monte_carlo`, which documents the parameters;
    returns ``(rank_probability, samples, lottery_samples, fallback_cells)``.
    """
    if aggregation not in AGGREGATIONS:
        raise ValidationError(f"aggregation must be one of {AGGREGATIONS}, got {aggregation!r}")
    x = scores_array(scores, "scores")
    if x.ndim not in (2, 3):
        raise ValidationError(f"scores must have shape (P, K) or (J, P, K), got {x.shape}")
    if np.any(x > 1 + 1e-12):
        raise ValidationError("scores must be normalised (score / maximum score), each between 0 and 1")
    if x.ndim == 3 and x.shape[0] == 0:
        if x.shape[2]:
            raise ValidationError("scores of shape (J, P, K) need at least one judge")
        x = np.zeros(x.shape[1:])  # nothing judged: only fixed columns
    judge_axis = x.ndim == 3
    if not judge_axis and np.isnan(x).any():
        raise ValidationError("aggregated scores (P, K) must be complete; absent judges need the (J, P, K) form")
    P, K = x.shape[-2], x.shape[-1]
    f = np.zeros((P, 0)) if fixed is None else nonnegative_reals(fixed, "fixed")
    if f.ndim != 2 or f.shape[0] != P:
        raise ValidationError(f"fixed must have shape (P={P}, F), got {f.shape}")
    F = f.shape[1]
    w0 = nonnegative_reals(nominal, "nominal", unit="points")
    if w0.shape != (K + F,):
        raise ValidationError(f"nominal must have K + F = {K + F} weights, got shape {w0.shape}")
    if w0.sum() <= 0:
        raise ValidationError("nominal weights must not all be 0")
    given = None
    if weights is not None:
        given = np.asarray(weights, dtype=np.float64)  # checked chunk by chunk, while in cache
        if given.ndim != 2 or given.shape[1] != K + F or given.shape[0] == 0:
            raise ValidationError(f"weights must have shape (S, {K + F}), got {given.shape}")
        n = given.shape[0]
    else:
        n = whole_number(samples, "samples")
        if concentration is not None and (not np.isfinite(concentration) or concentration <= 0):
            raise ValidationError(f"concentration must be a finite number > 0 or None, got {concentration!r}")
    chunk = whole_number(chunk_size, "chunk_size")
    root = _rng(seed)
    rng_w, rng_j = root.spawn(2)
    do_boot = judge_axis and bootstrap
    if judge_axis:
        J = x.shape[0]
        g = np.zeros(J, dtype=np.int64) if groups is None else np.asarray(groups)
        if g.shape != (J,) or not np.issubdtype(g.dtype, np.integer) or np.any(g < 0):
            raise ValidationError(f"groups must give an integer group >= 0 for each of the {J} judges")
        present = ~np.isnan(x)
        if np.any(present.sum(axis=0) == 0):
            p, k = np.argwhere(present.sum(axis=0) == 0)[0]
            raise ValidationError(f"no judge scored proposal index {p} on column {k}")
        nominal_agg = aggregate_judges(x, method=aggregation)
        # judges sorted by group, once: each sorted slot then draws a judge of its own group
        perm = np.argsort(g, kind="stable")
        g = g[perm]
        x = x[perm]
        present = present[perm]
        sizes = np.bincount(g)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        slot_size = sizes[g].astype(np.float32)
        slot_last = slot_size - 1
        slot_start = starts[g].astype(np.int64)
        full = bool(present.all())
        # single precision for the resampled sums: judges' scores carry a few significant digits,
        # float32 seven; it halves the dominant matrix product
        flat_x = np.ascontiguousarray(np.where(present, x, 0.0).reshape(J, P * K), dtype=np.float32)
        flat_m = present.reshape(J, P * K).astype(np.float32)
        if aggregation != "mean":
            order = np.argsort(np.where(present, x, np.inf), axis=0, kind="stable")
            ps = np.take_along_axis(present, order, axis=0)
            xs = np.where(ps, np.take_along_axis(x, order, axis=0), 0.0)
            chunk = max(1, min(chunk, (48 << 20) // max(1, 8 * J * P * K * 4)))
    else:
        nominal_agg = x
    w_fixed_cols = slice(K, K + F)
    counts = np.zeros((P, P))
    lottery = 0
    fallback = 0
    done = 0
    offsets: NDArray[np.int64] | None = None
    while done < n:  # loop over bounded-memory chunks of samples
        m = min(chunk, n - done)
        if given is not None:
            w = given[done:done + m]
            if not (np.isfinite(w).all() and w.min() >= 0):
                raise ValidationError(f"weights must be finite and >= 0 [points]; rows {done}..{done + m - 1} are not")
        elif concentration is None:
            w = np.broadcast_to(w0, (m, K + F))
        else:
            w = sample_weights(w0, concentration=concentration, size=m, seed=rng_w)
        wj = np.ascontiguousarray(w[:, :K])
        if do_boot:
            u = rng_j.random((m, J), dtype=np.float32)
            np.multiply(u, slot_size, out=u)
            np.floor(u, out=u)
            np.minimum(u, slot_last, out=u)
            if offsets is None or offsets.shape[0] != m:
                offsets = slot_start + (np.arange(m, dtype=np.int64) * J)[:, None]
            picks = u.astype(np.int64)
            picks += offsets
            c = np.bincount(picks.ravel(), minlength=m * J).reshape(m, J)
            if aggregation == "mean":
                c32 = c.astype(np.float32)
                num = c32 @ flat_x
                if full:
                    agg = num.reshape(m, P, K)
                    agg *= np.float32(1.0 / J)
                else:
                    den = c32 @ flat_m
                    empty = den == 0
                    fallback += int(empty.sum())
                    agg = np.where(empty, nominal_agg.reshape(1, P * K).astype(np.float32),
                                   num / np.where(empty, np.float32(1.0), den)).reshape(m, P, K)
                tech = np.matmul(agg, wj.astype(np.float32)[:, :, None])[:, :, 0].astype(np.float64)
            else:
                agg, fb = _bootstrap_aggregate(xs, ps, order, c.astype(np.float64), aggregation, nominal_agg)
                fallback += fb
                tech = np.matmul(agg, wj[:, :, None])[:, :, 0]
        else:
            tech = wj @ np.ascontiguousarray(nominal_agg.T)
        tot = tech + w[:, w_fixed_cols] @ np.ascontiguousarray(f.T) if F else tech
        for b0 in range(0, m, _OUTCOME_BLOCK):  # cache-sized blocks of this chunk's samples
            c_out, lot = _outcomes(tot[b0:b0 + _OUTCOME_BLOCK], tech[b0:b0 + _OUTCOME_BLOCK])
            counts += c_out
            lottery += lot
        done += m
    return counts / n, n, lottery, fallback


def least_weight_shift(scores: ArrayLike, weights: ArrayLike, *, winner: int | None = None) -> tuple[
        int, NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.intp]]:
    """The least total weight moved for each rival to tie the winner (a fractional knapsack).

    The kernel of :func:`jichitai_cloud.evaluation.weight_sensitivity`, which documents it;
    returns ``(winner, shift, share, weights, gains)``.
    """
    x = nonnegative_reals(scores, "scores")
    w = nonnegative_reals(weights, "weights", unit="points")
    if x.ndim != 2 or w.shape != (x.shape[1],):
        raise ValidationError(f"scores must be (P, K) and weights (K,), got {x.shape} and {w.shape}")
    P, K = x.shape
    totals = x @ w
    win = int(np.argmax(totals)) if winner is None else int(winner)
    if not 0 <= win < P:
        raise ValidationError(f"winner must be a proposal index in 0..{P - 1}, got {winner!r}")
    delta = x[win] - x  # (P, K)
    margin = delta @ w  # (P,)
    dmin = delta.min(axis=1)
    dest = delta.argmin(axis=1)
    rate = delta - dmin[:, None]  # >= 0
    order = np.argsort(-rate, axis=1, kind="stable")
    r_s = np.take_along_axis(rate, order, axis=1)
    w_s = w[order]
    cap = np.cumsum(w_s * r_s, axis=1)
    moved_cum = np.cumsum(w_s, axis=1)
    need = np.maximum(margin, 0.0)
    feasible = cap[:, -1] >= need * (1 - 1e-12)
    i = np.minimum((cap < need[:, None] * (1 - 1e-12)).sum(axis=1), K - 1)
    cap_prev = np.where(i > 0, np.take_along_axis(cap, np.maximum(i - 1, 0)[:, None], axis=1)[:, 0], 0.0)
    mov_prev = np.where(i > 0, np.take_along_axis(moved_cum, np.maximum(i - 1, 0)[:, None], axis=1)[:, 0], 0.0)
    r_i = np.take_along_axis(r_s, i[:, None], axis=1)[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        part = np.where(r_i > 0, (need - cap_prev) / np.where(r_i > 0, r_i, 1.0), 0.0)
    shift = np.where(need <= 0, 0.0, np.where(feasible, mov_prev + part, np.inf))
    shift[win] = 0.0
    # the shifted weights: full sources before i, part of source i, all into dest
    take_sorted = np.where(np.arange(K) < i[:, None], w_s, 0.0)
    take_sorted[np.arange(P), i] += np.where(need > 0, part, 0.0)
    take_sorted = np.minimum(take_sorted, w_s)
    take = np.zeros((P, K))
    np.put_along_axis(take, order, take_sorted, axis=1)
    new = w - take
    new[np.arange(P), dest] += take.sum(axis=1)
    keep = ~np.isfinite(shift) | (np.arange(P) == win) | (need <= 0)
    new[keep] = w
    return win, shift, shift / w.sum(), new, dest
