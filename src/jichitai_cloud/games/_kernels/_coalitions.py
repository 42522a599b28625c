"""The subset lattice: coalition cost vectors indexed by bitmask, their checks and bit tricks.

A cost game on ``n`` members is a vector of length ``2**n`` indexed by bitmask (bit ``i`` set =
member ``i`` in the coalition).  Sums over the lattice split the bitmask into a low and a high half
(``S = hi * 2**lo + lo``), so a sum over every coalition is an outer sum of two small matrix
products, with no loop over members or coalitions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ...errors import GameError

__all__ = ["coalition_sums", "members_of", "relabel", "restrict"]


def _members_from_length(length: int) -> int:
    n = length.bit_length() - 1
    if length < 2 or (1 << n) != length:
        raise GameError(
            f"costs must have length 2**n along its last axis (n >= 1 members, indexed by bitmask), "
            f"got length {length}"
        )
    return n


def _check_costs(costs: ArrayLike, *, keep_int: bool = False) -> tuple[NDArray[Any], int]:
    """Validate a coalition cost vector; float64 (or int64 if ``keep_int`` and integer input)."""
    c = np.asarray(costs)
    if c.ndim == 0:
        raise GameError(f"costs must be a vector of length 2**n, got the scalar {c!r}")
    if c.dtype == np.bool_ or c.dtype.kind not in "iuf":
        raise GameError(f"costs must be numbers (integer or float yen), got dtype {c.dtype}")
    n = _members_from_length(c.shape[-1])
    # fast path: two reductions decide the common case (min propagates NaN, max shows infinity)
    if c.size and c.min() >= 0 and (c.dtype.kind != "f" or c.max() < np.inf) and not c[..., 0].any():
        if keep_int and c.dtype.kind in "iu":
            if c.dtype.kind == "u" and c.max() > np.iinfo(np.int64).max:
                raise GameError("costs exceed the int64 range")
            return c.astype(np.int64, copy=False), n
        return c.astype(np.float64, copy=False), n
    if c.dtype.kind == "f":
        bad = ~np.isfinite(c)
        if bad.any():
            where = np.argwhere(bad)[0]
            raise GameError(
                f"costs must be finite, got {c[tuple(where)]!r} at index {tuple(int(k) for k in where)} "
                f"(coalition bitmask {int(where[-1])})"
            )
    if (c < 0).any():
        where = np.argwhere(c < 0)[0]
        raise GameError(
            f"costs must be >= 0 [yen], got {c[tuple(where)]!r} for coalition bitmask {int(where[-1])}"
        )
    if (c[..., 0] != 0).any():
        raise GameError(
            f"costs[0] (the empty coalition) must be 0, got {np.asarray(c[..., 0]).ravel()[0]!r}"
        )
    if keep_int and c.dtype.kind in "iu":
        if c.dtype.kind == "u" and c.size and c.max() > np.iinfo(np.int64).max:
            raise GameError("costs exceed the int64 range")
        return c.astype(np.int64, copy=False), n
    return c.astype(np.float64, copy=False), n


def _bits(k: int) -> NDArray[np.int64]:
    """Membership matrix of the ``2**k`` subsets of ``k`` members: row S, column i is bit i of S."""
    return (np.arange(1 << k, dtype=np.int64)[:, None] >> np.arange(k, dtype=np.int64)) & 1



def _halves(n: int) -> tuple[int, int]:
    lo = n // 2
    return lo, n - lo


def _popcount(n: int) -> NDArray[np.int64]:
    lo, hi = _halves(n)
    pc_lo = _bits(lo).sum(axis=1)
    pc_hi = _bits(hi).sum(axis=1)
    out: NDArray[np.int64] = (pc_hi[:, None] + pc_lo[None, :]).reshape(-1)
    return out


def coalition_sums(values: ArrayLike) -> NDArray[Any]:
    """Sum of a per-member quantity over every coalition: ``out[..., S] = sum(values[..., i] for i in S)``.

    Parameters
    ----------
    values
        Per-member values, shape ``(..., n)`` (e.g. populations or an allocation). Integer input
        gives exact int64 sums, float input float64. [any unit]

    Returns
    -------
    numpy.ndarray, shape ``(..., 2**n)``
        The sums indexed by coalition bitmask (``out[..., 0] == 0``). [same unit]

    Notes
    -----
    Computed as an outer sum of the two halves of the bitmask (two small matrix products), with no
    loop over members or coalitions.
    """
    v = np.asarray(values)
    if v.ndim == 0 or v.shape[-1] < 1:
        raise GameError(f"values must have one entry per member along the last axis, got shape {v.shape}")
    if v.dtype == np.bool_ or v.dtype.kind not in "iuf":
        raise GameError(f"values must be numbers, got dtype {v.dtype}")
    v = v.astype(np.int64 if v.dtype.kind in "iu" else np.float64, copy=False)
    n = v.shape[-1]
    lo, hi = _halves(n)
    b_lo = _bits(lo).astype(v.dtype)
    b_hi = _bits(hi).astype(v.dtype)
    s_lo = v[..., :lo] @ b_lo.T
    s_hi = v[..., lo:] @ b_hi.T
    out: NDArray[Any] = (s_hi[..., :, None] + s_lo[..., None, :]).reshape((*v.shape[:-1], 1 << n))
    return out


def members_of(mask: int, n: int) -> tuple[int, ...]:
    """Indices of the members in coalition ``mask`` (bit i set = member i), in increasing order."""
    if not 0 <= mask < (1 << n):
        raise GameError(f"coalition bitmask must be in 0..{(1 << n) - 1} for {n} members, got {mask}")
    return tuple(int(i) for i in np.flatnonzero((mask >> np.arange(n)) & 1))


def relabel(costs: ArrayLike, order: ArrayLike) -> NDArray[Any]:
    """The same game with members renumbered: new member ``j`` is old member ``order[j]``.

    Parameters
    ----------
    costs
        Coalition costs, shape ``(..., 2**n)``. [yen]
    order
        A permutation of ``0..n-1``.

    Returns
    -------
    numpy.ndarray, shape ``(..., 2**n)``
        ``out[..., T] = costs[..., S]`` where ``S`` holds the old members of the new coalition ``T``.
        [yen]
    """
    c = np.asarray(costs)
    n = _members_from_length(c.shape[-1])
    o = np.asarray(order, dtype=np.int64)
    if o.shape != (n,) or not np.array_equal(np.sort(o), np.arange(n)):
        raise GameError(f"order must be a permutation of 0..{n - 1}, got {o.tolist()}")
    old = coalition_sums(np.left_shift(1, o))
    return c[..., old]


def restrict(costs: ArrayLike, keep: ArrayLike) -> NDArray[Any]:
    """The sub-game on a subset of members (e.g. the council after a member leaves).

    Parameters
    ----------
    costs
        Coalition costs, shape ``(..., 2**n)``. [yen]
    keep
        Indices of the members kept, in the order they take in the sub-game (or a boolean mask of
        length n).

    Returns
    -------
    numpy.ndarray, shape ``(..., 2**k)``
        Costs of the coalitions of the kept members, renumbered ``0..k-1``. [yen]
    """
    c = np.asarray(costs)
    n = _members_from_length(c.shape[-1])
    k = np.asarray(keep)
    if k.dtype == np.bool_:
        if k.shape != (n,):
            raise GameError(f"keep as a mask must have length {n}, got shape {k.shape}")
        k = np.flatnonzero(k)
    k = k.astype(np.int64)
    if k.ndim != 1 or k.size < 1 or len(set(k.tolist())) != k.size or k.min() < 0 or k.max() >= n:
        raise GameError(f"keep must name at least one distinct member in 0..{n - 1}, got {k.tolist()}")
    return c[..., coalition_sums(np.left_shift(1, k))]
