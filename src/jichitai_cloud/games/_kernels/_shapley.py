"""The exact Shapley value (シャープレイ値) of a cost game, in O(2**n) without a loop over members."""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric import readonly
from ._coalitions import _bits, _check_costs, _halves, _popcount

__all__ = ["shapley"]

F64 = NDArray[np.float64]


@functools.lru_cache(maxsize=32)
def _shapley_tables(n: int) -> tuple[F64, F64, F64, F64]:
    """Per-coalition weights of :func:`shapley` and the halves' membership matrices (cached, read-only).

    ``w(s) = s! (n-1-s)! / n!`` from ``w(0) = 1/n`` and ``w(s+1) / w(s) = (s+1) / (n-1-s)``;
    ``coef_in[S] = w(|S|-1) + w(|S|)`` (the weight of ``c(S)`` for a member in ``S``) and
    ``coef_out[S] = w(|S|)`` (``w(n) = 0``).
    """
    s = np.arange(1, n, dtype=np.float64)
    w = np.zeros(n + 1)
    w[:n] = np.concatenate([[1.0 / n], (1.0 / n) * np.cumprod(s / (n - s))])
    pc = _popcount(n)
    coef_in = np.where(pc >= 1, w[np.maximum(pc - 1, 0)], 0.0) + w[pc]
    coef_out = w[pc]
    lo, hi = _halves(n)
    return (readonly(coef_in, copy=False), readonly(coef_out, copy=False),
            readonly(_bits(lo), np.float64), readonly(_bits(hi), np.float64))


@functools.lru_cache(maxsize=2)
def _large_shapley_tables(n: int) -> tuple[F64, F64, F64, F64]:
    """As :func:`_shapley_tables` for n > 16, keeping at most two (16 MiB each at n = 20)."""
    return _shapley_tables.__wrapped__(n)



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
    matrices.  Work and memory are O(2**n), with no loop over members, coalitions or permutations
    (the per-size weights and membership matrices are cached per n; at most two sets above
    n = 16).  About 25 us at n = 12 and 10 ms at n = 20 on one core; memory is a few arrays of
    2**n float64 (8 MiB each at n = 20, 512 MiB at n = 26), so beyond n of about 25 use
    :func:`sampled_shapley`.

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
    coef_in, coef_out, b_lo, b_hi = _shapley_tables(n) if n <= 16 else _large_shapley_tables(n)
    g = c * coef_in
    rest = c @ coef_out
    lo, hi = _halves(n)
    grid = g.reshape((*c.shape[:-1], 1 << hi, 1 << lo))
    by_lo = grid.sum(axis=-2) @ b_lo
    by_hi = grid.sum(axis=-1) @ b_hi
    phi: F64 = np.concatenate([by_lo, by_hi], axis=-1) - rest[..., None]
    return phi
