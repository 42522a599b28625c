"""Exact shares under caps and floors: proportional redistribution (Bitran-Hax active set).

What a capped member cannot take goes to the members still below their caps in proportion to their
shares under the rule, repeated until nothing binds; floors symmetrically.  Shares are measured in
units of ``1/nb`` of a rounding unit (``nb`` a power of two) so that the rounding step can read the
remainders' buckets in integer arithmetic.

References
----------
Bitran, G. R. and Hax, A. C. (1981). Disaggregation and resource allocation using convex knapsack
problems with bounded variables. *Management Science* 27(4), 431-441.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ...errors import ValidationError
from ._base import BINDING_CAP, BINDING_FLOOR, BoolArray, FloatArray, IntArray, Work

__all__ = ["caps_and_floors", "caps_only", "column_sums"]


def column_sums(x: FloatArray) -> FloatArray:
    """Sums over members of each driver plane of ``x`` (D, R, N): shape (D, R), the same for any R."""
    sums = x.sum(axis=-1)
    if not np.all(np.isfinite(sums)):
        bad = ~np.isfinite(x)
        if bad.any():
            j, r, i = (int(v) for v in np.unravel_index(int(np.argmax(bad)), x.shape))
            raise ValidationError(f"drivers is {x[j, r, i]!r} for member {i}, driver {j}"
                                  f"{'' if x.shape[1] == 1 else f', scenario row {r} of its block'}: "
                                  "drivers must be finite and >= 0")
        raise ValidationError("drivers are too large: a column sum overflows to infinity")
    return np.asarray(sums, dtype=np.float64)


def _row_sums(vals: FloatArray, idx: IntArray, starts_at: IntArray) -> FloatArray:
    """Per-row sums of ``vals`` at sorted flat indices ``idx`` (rows start at ``starts_at``).

    Sums run in member order within a row, the same for any number of rows.
    """
    rows = starts_at.size - 1
    if idx.size == 0:
        return np.zeros(rows)
    starts = np.searchsorted(idx, starts_at)
    # a trailing 0 keeps every start a valid index; empty rows (equal starts) are set to 0
    sums = np.add.reduceat(np.append(vals, 0.0), starts[:-1])
    sums[starts[:-1] == starts[1:]] = 0.0
    return np.asarray(sums, dtype=np.float64)


def caps_only(
    p: FloatArray, w: FloatArray, alpha: FloatArray, xs_t: FloatArray, planes: list[FloatArray],
    xflat: list[FloatArray], shared: bool, c_small: IntArray, nb: int, target: FloatArray, starts_at: IntArray, mask: BoolArray,
    work: Work, bind: NDArray[np.int8] | None,
) -> None:
    """Exact shares ``p`` (in 1/nb units) under caps only.

    With caps only, the redistribution raises everyone's share, so the members above their caps
    only grow from round to round (Bitran and Hax): each round computes the shares from the
    members found above their caps last round and stops when that set no longer grows.  The capped
    members' shares are their caps: ``min(lam * w, cap)``.
    """
    rows, n = p.shape
    d = alpha.shape[0]
    per_row_caps = c_small.shape[0] > 1
    if per_row_caps and work.cwork is not None:
        cnb = np.multiply(c_small, float(nb), out=work.cwork[:rows])
    else:
        cnb = c_small * float(nb)  # (1, N)
    cflat = cnb.reshape(-1)
    fixed_units = np.zeros(rows)
    free_sum = np.array(xs_t, dtype=np.float64)
    n_capped = 0
    idx = np.zeros(0, dtype=np.int64)
    for _round in range(n + 2):  # refinement rounds: each adds at least one capped member per open row
        denom = (alpha * (free_sum / np.where(xs_t > 0, xs_t, 1.0))).sum(axis=0)
        # a row whose members with weight are all capped keeps them capped (lam "infinite")
        lam = np.where(denom > 0, (target - fixed_units) / np.where(denom > 0, denom, 1.0), 1e300)
        with np.errstate(over="ignore"):
            np.multiply(w, lam[:, None], out=p)
        np.greater(p, cnb, out=mask)
        count = int(np.count_nonzero(mask))
        if count == n_capped:  # the set only grows, so an equal count means nothing new binds
            break
        n_capped = count
        idx = np.flatnonzero(mask)
        col = idx - (idx // n) * n
        fixed_units = _row_sums(cflat[idx] if per_row_caps else cflat[col], idx, starts_at)
        for j in range(d):
            free_sum[j] = xs_t[j] - _row_sums(xflat[j][col] if shared else xflat[j][idx], idx, starts_at)
        small = free_sum < 1e-9 * xs_t  # cancellation when almost every member is capped (float drivers)
        if small.any():
            for j in range(d):
                exact = np.sum(np.broadcast_to(planes[j], (rows, n)), axis=1, where=~mask)
                free_sum[j] = np.where(small[j], exact, free_sum[j])
    else:  # pragma: no cover - each round caps a member, so this cannot happen
        raise RuntimeError("cap redistribution did not converge")
    if n_capped:  # the capped members (found in the last round that added some) get their caps exactly
        pflat = p.reshape(-1)
        pflat[idx] = cflat[idx] if per_row_caps else cflat[idx - (idx // n) * n]
        if bind is not None:
            bind.reshape(-1)[idx] = BINDING_CAP


def caps_and_floors(
    p: FloatArray, w: FloatArray, alpha: FloatArray, xs_t: FloatArray, planes: list[FloatArray],
    xflat: list[FloatArray], shared: bool, c_small: IntArray | None, f_small: IntArray | None, nb: int, target: FloatArray,
    starts_at: IntArray, mask: BoolArray, work: Work, bind: NDArray[np.int8] | None,
) -> None:
    """Exact shares ``p`` (in 1/nb units) under caps and floors (Bitran-Hax active set).

    Each round computes the shares from the members not yet fixed; if the members above their caps
    exceed them by more in total than the members below their floors fall short, the former are
    fixed at their caps, otherwise the latter at their floors (both if equal).  Each round fixes at
    least one member of every row still open.
    """
    rows, n = p.shape
    d = alpha.shape[0]
    # bounds of the members still free; a fixed member gets +-inf so that it never binds again
    cwork = fwork = None
    if c_small is not None and work.cwork is not None:
        cwork = work.cwork[:rows]
        np.multiply(np.broadcast_to(c_small, (rows, n)), float(nb), out=cwork)
    if f_small is not None and work.fwork is not None:
        fwork = work.fwork[:rows]
        np.multiply(np.broadcast_to(f_small, (rows, n)), float(nb), out=fwork)
    cflat = None if cwork is None else cwork.reshape(-1)
    fflat = None if fwork is None else fwork.reshape(-1)
    pflat = p.reshape(-1)
    free_sum = np.array(xs_t, dtype=np.float64)  # (D, R): sums of the drivers over free members
    fixed_units = np.zeros(rows, dtype=np.float64)
    fixed_at: list[tuple[IntArray, FloatArray, int]] = []  # (flat index, bound, binding code)
    empty = np.zeros(0, dtype=np.int64)
    for _round in range(n + 2):  # refinement rounds: each fixes at least one member per open row
        denom = (alpha * (free_sum / np.where(xs_t > 0, xs_t, 1.0))).sum(axis=0)
        lam = np.where(denom > 0, (target - fixed_units) / np.where(denom > 0, denom, 1.0), 0.0)
        np.multiply(w, lam[:, None], out=p)
        over = under = empty
        if cwork is not None and np.greater(p, cwork, out=mask).any():
            over = np.flatnonzero(mask)
        if fwork is not None and np.less(p, fwork, out=mask).any():
            under = np.flatnonzero(mask)
        if over.size and under.size and cflat is not None and fflat is not None:
            excess = _row_sums(pflat[over] - cflat[over], over, starts_at)
            short = _row_sums(fflat[under] - pflat[under], under, starts_at)
            over = over[(short <= excess)[over // n]]
            under = under[(short >= excess)[under // n]]
        if not (over.size or under.size):
            break
        for idx, bound, other, code, inf in ((over, cflat, fflat, BINDING_CAP, np.inf),
                                             (under, fflat, cflat, BINDING_FLOOR, -np.inf)):
            if not idx.size or bound is None:
                continue
            vals = bound[idx]
            fixed_units += _row_sums(vals, idx, starts_at)
            m_of = idx - (idx // n) * n if shared else idx
            for j in range(d):
                free_sum[j] -= _row_sums(xflat[j][m_of], idx, starts_at)
            fixed_at.append((idx, vals, code))
            bound[idx] = inf
            if other is not None:
                other[idx] = -inf
        # guard against cancellation when almost every member is fixed (float drivers only)
        small = free_sum < 1e-9 * xs_t
        if small.any():
            free = np.ones(rows * n, dtype=np.bool_)
            for idx, _v, _c in fixed_at:
                free[idx] = False
            free2 = free.reshape(rows, n)
            for j in range(d):
                exact = np.sum(np.broadcast_to(planes[j], (rows, n)), axis=1, where=free2)
                free_sum[j] = np.where(small[j], exact, free_sum[j])
    else:  # pragma: no cover - each round fixes a member, so this cannot happen
        raise RuntimeError("cap/floor redistribution did not converge")
    bflat = None if bind is None else bind.reshape(-1)
    for idx, vals, code in fixed_at:
        pflat[idx] = vals
        if bflat is not None:
            bflat[idx] = code

