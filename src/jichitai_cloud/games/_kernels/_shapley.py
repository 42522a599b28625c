"""The exact Shapley value (シャープレイ値) of a cost game, in O(2**n) without a loop over members."""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric import readonly
from ._coalitions import _bits, _check_costs, _halves, _popcount

__all__ = ["shapley"]

F64 = NDArray[np.float64]


_SMALL = 16
"""Up to this many members the per-coalition weights are cached tables (at most 1 MiB); above it
they are gathered slice by slice from per-size rows, with nothing as large as the game."""

_CHUNK = 1 << 17
"""Coalitions weighted at a time above n = 16 (a 1 MiB slice of the weights, cache-sized)."""


def _size_weights(n: int) -> tuple[F64, F64]:
    """Weights by coalition size ``s = 0..n``: ``w(s-1) + w(s)`` (a member in S) and ``w(s)``.

    ``w(s) = s! (n-1-s)! / n!`` from ``w(0) = 1/n`` and ``w(s+1) / w(s) = (s+1) / (n-1-s)``,
    ``w(n) = 0``; ``w(-1)`` is taken as 0 (the empty coalition costs nothing anyway).
    """
    s = np.arange(1, n, dtype=np.float64)
    w = np.zeros(n + 1)
    w[:n] = np.concatenate([[1.0 / n], (1.0 / n) * np.cumprod(s / (n - s))])
    w_in = w.copy()
    w_in[1:] += w[:-1]
    return w_in, w


@functools.lru_cache(maxsize=32)
def _shapley_tables(n: int) -> tuple[F64, F64, F64, F64]:
    """Per-coalition weights of :func:`shapley` for n <= 16 and the halves' membership matrices.

    ``coef_in[S] = w(|S|-1) + w(|S|)`` (the weight of ``c(S)`` for a member in ``S``) and
    ``coef_out[S] = w(|S|)`` (``w(n) = 0``); cached and read-only (1 MiB at n = 16).
    """
    w_in, w = _size_weights(n)
    pc = _popcount(n)
    lo, hi = _halves(n)
    return (readonly(w_in[pc], copy=False), readonly(w[pc], copy=False),
            readonly(_bits(lo), np.float64), readonly(_bits(hi), np.float64))


@functools.lru_cache(maxsize=4)
def _size_tables(n: int) -> tuple[F64, F64, NDArray[np.int64], F64, F64]:
    """Small tables of :func:`shapley` for n > 16 (about 4 MiB at n = 28, cached, read-only).

    With ``S = hi * 2**lo + lo`` the weight of ``c(S)`` depends on ``|hi| + |lo|`` only: the rows
    ``w_in[k + |lo|]`` and ``w[k + |lo|]`` for ``k = 0..hi`` (shape ``(hi + 1, 2**lo)``), the
    popcount of every high half, and the halves' membership matrices.
    """
    w_in, w = _size_weights(n)
    lo, hi = _halves(n)
    b_lo, b_hi = _bits(lo), _bits(hi)
    size = np.arange(hi + 1)[:, None] + b_lo.sum(axis=1)
    return (readonly(w_in[size], copy=False), readonly(w[size], copy=False),
            readonly(b_hi.sum(axis=1), copy=False), readonly(b_lo, np.float64), readonly(b_hi, np.float64))


def shapley(costs: ArrayLike) -> F64:
    """Exact Shapley value (シャープレイ値) of a cost game.

    ``phi_i = sum over S not containing i of |S|! (n-|S|-1)! / n! * (c(S + i) - c(S))``: member i's
    marginal cost averaged over all orders in which the council could have been formed.

    Parameters
    ----------
    costs
        Coalition costs indexed by bitmask, shape ``(..., 2**n)``; ``costs[..., 0] == 0``, finite and
        non-negative; integer or float. [yen]

    Returns
    -------
    numpy.ndarray of float64, shape ``(..., n)``
        Each member's Shapley value; each row adds up to the grand coalition's cost. [yen]

    Raises
    ------
    GameError
        If the length is not a power of two, the empty coalition costs something, or a cost is
        negative, NaN or infinite.

    Notes
    -----
    Rewritten as ``phi_i = sum_{S containing i} c(S) (w(|S|-1) + w(|S|)) - sum_S c(S) w(|S|)`` with
    ``w(s) = s! (n-1-s)! / n!`` (``w(n) = 0``), the first sum for every member at once is an outer
    product over the two halves of the bitmask: the costs, weighted, are summed along rows and
    along columns of a ``2**(n-n//2) x 2**(n//2)`` matrix and multiplied by the halves' membership
    matrices.  Up to n = 16 the weights are cached per-coalition tables (1 MiB at n = 16) and the
    products are elementwise or ``einsum``.  Above n = 16 the weights are gathered for a slice of
    rows at a time (1 MiB) from per-size rows ``w(|hi| + |lo|)`` by the rows' popcounts, and the
    weighted row sums, column sums and total accumulate slice by slice: no per-coalition table and
    no array as large as the game, so peak memory is the cost vector (as float64) plus a few MiB.
    Work is O(2**n) with a bounded loop over slices and none over members, coalitions or
    permutations.  No multi-threaded BLAS anywhere, which a busy neighbouring core slows down
    many-fold.  About 25 us at n = 12, 2 ms at n = 20 and 2-3 s at n = 28 (a 2 GiB cost vector) on
    one core.

    References
    ----------
    Shapley, L. S. (1953). A value for n-person games. *Contributions to the Theory of Games II*,
    Annals of Mathematics Studies 28, 307-317.

    Examples
    --------
    The airport game (Littlechild and Owen 1973): runways costing 1, 2 and 3 for three planes.

    >>> shapley([0, 1, 2, 2, 3, 3, 3, 3]).round(6).tolist()
    [0.333333, 0.833333, 1.833333]
    """
    c, n = _check_costs(costs)
    lo, hi = _halves(n)
    if n <= _SMALL:
        # small products: elementwise and einsum (never multi-threaded BLAS, which a busy neighbour
        # core slows down many-fold at these sizes)
        coef_in, coef_out, b_lo, b_hi = _shapley_tables(n)
        grid = (c * coef_in).reshape((*c.shape[:-1], 1 << hi, 1 << lo))
        rest = np.einsum("...s,s->...", c, coef_out)
        col_in = grid.sum(axis=-2)
        row_in = grid.sum(axis=-1)
    else:
        # the weights of a slice of rows, gathered from the per-size rows by the rows' popcounts:
        # a bounded loop over slices, no per-coalition table and nothing as large as the game
        w_rows_in, w_rows_out, pc_hi, b_lo, b_hi = _size_tables(n)
        grid = c.reshape((*c.shape[:-1], 1 << hi, 1 << lo))
        step = max(1, _CHUNK >> lo)
        row_in = np.empty((*c.shape[:-1], 1 << hi))
        col_in = np.zeros((*c.shape[:-1], 1 << lo))
        rest = np.zeros(c.shape[:-1])
        for start in range(0, 1 << hi, step):
            part = grid[..., start:start + step, :]
            k = pc_hi[start:start + step]
            w_part = w_rows_in[k]
            row_in[..., start:start + step] = np.einsum("...hl,hl->...h", part, w_part)
            col_in += np.einsum("...hl,hl->...l", part, w_part)
            rest += np.einsum("...hl,hl->...", part, w_rows_out[k])
    by_lo = np.einsum("...l,li->...i", col_in, b_lo)
    by_hi = np.einsum("...h,hi->...i", row_in, b_hi)
    phi: F64 = np.concatenate([by_lo, by_hi], axis=-1) - rest[..., None]
    return phi
