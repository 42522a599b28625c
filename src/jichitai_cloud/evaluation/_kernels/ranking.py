"""Tie-aware ranking (順位): one evaluation's ranks and tie groups, and rank counts over many samples.

The documented rule of a comprehensive evaluation: proposals are ranked by total points; a tie
goes to the higher technical points; a tie that remains shares the rank, and a tie for first is
settled by a lottery (くじ), which this package reports but never draws.  Points that differ by
less than :data:`TIE_RTOL` of the largest total are equal (float error, not merit).

Kernels over arrays whose last axis holds the ``P`` proposals; leading axes are scenarios.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric._checks import nonnegative_reals, whole_number
from ...errors import ValidationError

__all__ = ["TIE_RTOL", "outcome_counts", "rank", "shortlist"]

TIE_RTOL = 1e-9
"""Points closer than this (relative to the largest total, or 1 point if that is smaller) are ties."""


def _tolerance(total: NDArray[np.float64]) -> NDArray[np.float64]:
    """The tie tolerance of each scenario, shape ``(..., 1)``. [points]"""
    scale = np.abs(total).max(axis=-1, keepdims=True, initial=0.0)
    return np.asarray(TIE_RTOL * np.maximum(scale, 1.0), dtype=np.float64)


def _points(value: ArrayLike, name: str) -> NDArray[np.float64]:
    x = np.asarray(value, dtype=np.float64)
    if x.ndim == 0:
        raise ValidationError(f"{name} must have a last axis of proposals, got a scalar")
    if not np.isfinite(x).all():
        raise ValidationError(f"{name} must be finite [points]")
    return x


def _mask(value: ArrayLike | None, name: str, shape: tuple[int, ...]) -> NDArray[np.bool_]:
    if value is None:
        return np.ones(shape, dtype=bool)
    m = np.asarray(value)
    if m.dtype != np.bool_:
        raise ValidationError(f"{name} must be a boolean mask, got an array of {m.dtype}")
    try:
        return np.broadcast_to(m, shape)
    except ValueError:
        raise ValidationError(f"{name} of shape {m.shape} does not match points of shape {shape}") from None


def rank(total: ArrayLike, tiebreak: ArrayLike, *, eligible: ArrayLike | None = None) -> tuple[
        NDArray[np.int64], NDArray[np.int64]]:
    r"""Ranks by total points, ties to the higher ``tiebreak``, remaining ties sharing a rank.

    Proposal :math:`p`'s rank is one plus the number of eligible proposals that beat it: :math:`q`
    beats :math:`p` when its total is higher, or the totals are equal and its tie-break points
    (the technical points) are higher.  Points within :data:`TIE_RTOL` of the largest total
    (over every proposal, eligible or not) are equal.  Proposals that beat each other on neither
    key form a tie group and share a rank (competition ranking: 1, 1, 3); a tie group of rank 1
    with more than one proposal is left to a lottery.

    Parameters
    ----------
    total
        Total points, shape ``(..., P)``. [points]
    tiebreak
        Second key, higher first (the technical points), shape ``(..., P)``. [points]
    eligible
        Which proposals are ranked, shape ``(..., P)`` (default all).

    Returns
    -------
    (rank, tied)
        ``rank`` (int64, shape ``(..., P)``): 1 = best, 0 for a proposal not eligible; ``tied``
        (int64, same shape): how many eligible proposals share that rank (0 if not eligible).

    Examples
    --------
    >>> r, tied = rank([120.0, 120.0, 105.0, 130.0], [100.0, 90.0, 75.0, 0.0],
    ...                eligible=[True, True, True, False])
    >>> r.tolist(), tied.tolist()
    ([1, 2, 3, 0], [1, 1, 1, 0])
    """
    t = _points(total, "total")
    b = _points(tiebreak, "tiebreak")
    try:
        t, b = np.broadcast_arrays(t, b)
    except ValueError:
        raise ValidationError(f"total {t.shape} and tiebreak {b.shape} do not broadcast") from None
    ok = _mask(eligible, "eligible", t.shape)
    tol = _tolerance(t)[..., None]
    d_total = t[..., None, :] - t[..., :, None]  # [..., p, q] = total_q - total_p
    d_tie = b[..., None, :] - b[..., :, None]
    eq_total = np.abs(d_total) <= tol
    eq_tie = np.abs(d_tie) <= tol
    beats = ((d_total > 0) & ~eq_total) | (eq_total & (d_tie > 0) & ~eq_tie)  # [..., p, q]: q beats p
    beats &= ok[..., None, :]
    r = np.where(ok, beats.sum(axis=-1) + 1, 0)
    same = (r[..., :, None] == r[..., None, :]) & ok[..., None, :]
    tied = np.where(ok, same.sum(axis=-1), 0)
    return np.asarray(r, dtype=np.int64), np.asarray(tied, dtype=np.int64)


def shortlist(points: ArrayLike, *, eligible: ArrayLike | None = None, top: Any = None,
              threshold: float | None = None) -> NDArray[np.bool_]:
    r"""Who goes on to the next round (1次選考): the best ``top`` or those at or above ``threshold``.

    With ``top`` :math:`k`: the eligible proposals whose points reach the :math:`k`-th highest
    eligible points, ties at the cut included (so more than :math:`k` may go on).  With
    ``threshold``: the eligible proposals with at least that many points.  Equality is judged
    within :data:`TIE_RTOL` (of the largest points, for ``top``; of the threshold, for
    ``threshold``).  Without either, every eligible proposal goes on.

    Parameters
    ----------
    points
        First-round points, shape ``(..., P)``. [points]
    eligible
        Which proposals may go on, shape ``(..., P)`` (default all).
    top
        How many go on (more on a tie at the cut). [proposals]
    threshold
        Points needed to go on. [points]

    Returns
    -------
    numpy.ndarray of bool, shape ``(..., P)``
    """
    x = _points(points, "points")
    ok = _mask(eligible, "eligible", x.shape)
    if top is not None and x.shape[-1]:
        k = np.minimum(whole_number(top, "top", low=0), ok.sum(axis=-1, keepdims=True))
        srt = -np.sort(-np.where(ok, x, -np.inf), axis=-1)
        cutoff = np.where(k > 0, np.take_along_axis(srt, np.maximum(k - 1, 0), axis=-1), np.inf)
        return np.asarray(ok & (x >= cutoff - _tolerance(x)), dtype=bool)
    if threshold is not None:
        return np.asarray(ok & (x >= float(threshold) * (1 - TIE_RTOL)), dtype=bool)
    return np.asarray(ok, dtype=bool)


def outcome_counts(totals: ArrayLike, *, tiebreak: ArrayLike | None = None) -> tuple[NDArray[np.float64], int]:
    """Rank counts over samples: how often each proposal takes each rank.

    Proposals are ranked by total, then by ``tiebreak`` (the technical points: the documented
    rule is that the higher technical points win a tie); totals within a relative 1e-9 are
    ties.  Ties that remain would go to a lottery, which the library does not draw: the tied
    proposals share the tied ranks equally (each of ``g`` tied proposals gets ``1/g`` of each of
    the ``g`` ranks), so every proposal's counts and every rank's counts add up to the number of
    samples.

    Parameters
    ----------
    totals
        Shape ``(S, P)``. [points]
    tiebreak
        Secondary key, shape ``(S, P)`` or ``(P,)``, higher first. [points]

    Returns
    -------
    (counts, lottery_samples)
        ``counts[p, r]`` (float64, shape ``(P, P)``): samples in which proposal ``p`` has rank
        ``r + 1``; ``lottery_samples``: samples with a tie that only a lottery would settle.
    """
    t = nonnegative_reals(totals, "totals", unit="points")
    if t.ndim != 2:
        raise ValidationError(f"totals must have shape (S, P), got {t.shape}")
    tb = None if tiebreak is None else np.broadcast_to(nonnegative_reals(tiebreak, "tiebreak"), t.shape)
    return _outcomes(t, tb)


def _outcomes(t: NDArray[np.float64], tb: NDArray[np.float64] | None) -> tuple[NDArray[np.float64], int]:
    S, P = t.shape
    counts = np.zeros((P, P))
    if S == 0:
        return counts, 0
    tol = TIE_RTOL * max(float(t.max()), 1.0)  # totals are >= 0
    bits = max(1, (P - 1).bit_length())
    if bits <= 20:
        # Sort keys, not indices: the bit pattern of a float >= 0 orders like an int64, so its low
        # bits can carry the proposal index; the value loses at most 2**-32 of itself, far below
        # the tie tolerance, and np.sort on int64 is much faster than argsort + gather.
        low = (1 << bits) - 1
        key = ((t + 0.0).view(np.int64) & ~low) | np.arange(P, dtype=np.int64)
        key.sort(axis=1)
        desc = key[:, ::-1]
        order = desc & low
        srt = (desc & ~low).view(np.float64)
    else:  # pragma: no cover - more than a million proposals
        order = np.argsort(-t, axis=1)
        srt = np.take_along_axis(t, order, axis=1)
    if P > 1:
        gaps = srt[:, :-1] - srt[:, 1:]
        tied = gaps.min(axis=1) <= tol
        clean = order[~tied] if tied.any() else order  # usually no tie at all: no copy
    else:
        tied = np.zeros(S, dtype=bool)
        clean = order
    if clean.size:
        flat = (clean * P + np.arange(P)).ravel()
        counts += np.bincount(flat, minlength=P * P).reshape(P, P)
    lottery = 0
    if tied.any():
        tt = t[tied]
        diff = tt[:, None, :] - tt[:, :, None]  # [s, p, q] = t_q - t_p
        eq = np.abs(diff) <= tol
        gt = diff > tol
        if tb is not None:
            b = tb[tied]
            bdiff = b[:, None, :] - b[:, :, None]
            btol = TIE_RTOL * max(float(np.abs(b).max()), 1.0)
            gt = gt | (eq & (bdiff > btol))
            eq = eq & (np.abs(bdiff) <= btol)
        n_gt = gt.sum(axis=2)
        n_eq = eq.sum(axis=2)
        r = np.arange(P)
        share = ((r >= n_gt[..., None]) & (r < (n_gt + n_eq)[..., None])) / n_eq[..., None]
        counts += share.sum(axis=0)
        lottery = int(np.any(n_eq > 1, axis=1).sum())
    return counts, lottery
