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
"""Up to this many members the per-coalition weights are cached tables (at most 1 MiB); above it the
costs are summed by popcount first and weighted afterwards, with nothing as large as the game."""


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
def _grouped_tables(n: int) -> tuple[F64, F64, F64, F64, F64, F64, F64]:
    """Small tables of the popcount-grouped Shapley value for n > 16 (about 4 MiB at n = 28).

    With ``S = hi * 2**lo + lo``: the halves' popcount indicators ``ind_lo[l, k] = [|l| = k]`` and
    ``ind_hi``, the weights ``w_in`` / ``w_out`` of ``|hi| + k`` for the row sums (shape
    ``(2**hi, lo + 1)``), ``w_in`` of ``k + |lo|`` for the column sums (shape ``(hi + 1, 2**lo)``),
    and the halves' membership matrices.
    """
    w_in, w = _size_weights(n)
    lo, hi = _halves(n)
    b_lo, b_hi = _bits(lo), _bits(hi)
    pc_lo, pc_hi = b_lo.sum(axis=1), b_hi.sum(axis=1)
    ind_lo = (pc_lo[:, None] == np.arange(lo + 1)).astype(np.float64)
    ind_hi = (pc_hi[:, None] == np.arange(hi + 1)).astype(np.float64)
    size_rows = pc_hi[:, None] + np.arange(lo + 1)
    size_cols = np.arange(hi + 1)[:, None] + pc_lo
    return tuple(readonly(a, np.float64) for a in (  # type: ignore[return-value]
        ind_lo, ind_hi, w_in[size_rows], w[size_rows], w_in[size_cols], b_lo, b_hi))


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
    products are elementwise or ``einsum`` (no multi-threaded BLAS, which a busy neighbouring core
    slows down many-fold at these sizes).  Above n = 16 the costs are first summed by the popcount of
    each half (two products with 0/1 indicator matrices of shape ``(2**lo, lo + 1)`` and
    ``(2**hi, hi + 1)``) and the grouped sums weighted afterwards, so no array as large as the game is
    made: peak memory is the cost vector (as float64) plus a few MiB.  Work is O(n * 2**n) in BLAS
    products, with no loop over members, coalitions or permutations.  About 25 us at n = 12, 2 ms at
    n = 20 and a few seconds at n = 28 (a 2 GiB cost vector) on one core.

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
        # group the costs by the popcount of each half first (two products with 0/1 indicator
        # matrices, large enough for BLAS), then weight the small grouped sums: no per-coalition
        # weight table and no temporary as large as the game
        ind_lo, ind_hi, w_rows_in, w_rows_out, w_cols_in, b_lo, b_hi = _grouped_tables(n)
        grid = c.reshape((*c.shape[:-1], 1 << hi, 1 << lo))
        by_row = grid @ ind_lo  # (..., 2**hi, lo + 1): row hi, the costs of the lows of popcount k
        by_col = ind_hi.T @ grid  # (..., hi + 1, 2**lo): column lo, the highs of popcount k
        row_in = np.einsum("...hk,hk->...h", by_row, w_rows_in)
        rest = np.einsum("...hk,hk->...", by_row, w_rows_out)
        col_in = np.einsum("...kl,kl->...l", by_col, w_cols_in)
    by_lo = np.einsum("...l,li->...i", col_in, b_lo)
    by_hi = np.einsum("...h,hi->...i", row_in, b_hi)
    phi: F64 = np.concatenate([by_lo, by_hi], axis=-1) - rest[..., None]
    return phi
