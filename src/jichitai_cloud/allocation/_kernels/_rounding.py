"""Rounding exact shares to whole units that add up to the total (Hamilton / floor-then-lead).

References
----------
Balinski, M. L. and Young, H. P. (2001). *Fair Representation*, 2nd ed., ch. 2 (Hamilton's method).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..._numeric._apportion import (
    LONG_OK,
    TieRule,
    ambiguous_near,
    ambiguous_rows,
    cut_spread,
    exact_hamilton,
    first_by_rule,
    hamilton_from_buckets,
    mulmod,
    select_in_buckets,
    select_top,
)
from ...errors import InfeasibleAllocation
from ._base import Block, BoolArray, Bounds, FloatArray, IntArray

__all__ = ["exact_ties", "round_shares"]


def snap_whole_quotas(y: IntArray, z: IntArray, qnb: FloatArray, nb: int, k_units: IntArray) -> None:
    """Count as whole a quota that floating point put a few ulps below a whole number of units.

    Truncation (floor_then_lead) has no remainder step to make up for it: 57 x 737 / 209 = 201
    exactly computes as 200.99999999999997 and would truncate to 200, handing the lost unit to the
    lead.  A quota within 8 ulps below a whole unit is taken as that unit (in place on ``y``, the
    whole units, and ``z``, the remainder buckets); a row where this would hand out more units than
    its total is left as it was (there float cannot tell the quotas apart anyway).
    """
    near = z == nb - 1
    if not near.any():
        return
    gap = (y + 1).astype(np.float64) * nb - qnb
    near &= gap <= 8 * np.finfo(np.float64).eps * np.maximum(qnb, float(nb))
    if not near.any():
        return
    ok = (y.sum(axis=1) + near.sum(axis=1)) <= k_units
    near &= ok[:, None]
    y += near
    z[near] = 0


class Fractions:
    """Fractional remainders of the exact shares, computed only where needed.

    ``qnb`` holds ``q * nb``; ``frac(q) = qnb / nb - floor(qnb / nb)`` exactly.
    """

    def __init__(self, qnb: FloatArray, nb: int) -> None:
        self.qnb = qnb
        self.nb = nb
        self._all: FloatArray | None = None

    def at(self, r: IntArray, c: IntArray) -> FloatArray:
        v = self.qnb[r, c] / self.nb
        return np.asarray(v - np.floor(v), dtype=np.float64)

    def all(self) -> FloatArray:
        if self._all is None:
            v = self.qnb / self.nb
            self._all = np.asarray(v - np.floor(v), dtype=np.float64)
        return self._all


def hand_out(
    y: IntArray,
    given: BoolArray | None,
    bucket: IntArray,
    fractions: Fractions,
    missing: IntArray,
    c_units: IntArray | None,
    f_units: IntArray | None,
    positive: BoolArray | None,
    tie: TieRule,
    need_given: bool,
    buffer: BoolArray,
) -> BoolArray | None:
    """Give ``missing[r]`` units of row ``r`` by largest remainder (or take them back if negative).

    ``bucket`` holds the remainders' buckets (overwritten).  Returns the members that received a
    unit here or before (``given``) when ``need_given``.
    """
    n = y.shape[1]
    quota = fractions.qnb
    for attempt in range(n + 2):
        if not missing.any():
            return given
        if missing.max() > 0:
            cnt = np.maximum(missing, 0)
            if attempt == 0 and given is None:
                # Members that may not take a unit (at their caps, or with zero drivers) all have a
                # remainder of exactly 0, so they sit in the lowest bucket: select without a mask and
                # redo with the mask only the rows whose cut reached that bucket.
                chosen, lowest = select_in_buckets(bucket, fractions.at, cnt, nb=fractions.nb, tie=tie,
                                                   quota=quota, out=buffer)
                redo = lowest if (c_units is not None or positive is not None) else None
                if redo is not None and redo.any():
                    rr = np.nonzero(redo)[0]
                    elig = _eligible(y[rr], None, None if c_units is None else c_units[rr],
                                     None if positive is None else positive[rr])
                    sub, _ = select_top(fractions.all()[rr], elig, np.minimum(cnt[rr], elig.sum(axis=1)),
                                        tie=tie, quota=quota[rr])
                    chosen[rr] = sub
                    cnt[rr] = sub.sum(axis=1)
            else:
                elig = _eligible(y, given if attempt == 0 else None, c_units,
                                 positive if attempt == 0 else None)
                cnt = np.minimum(cnt, elig.sum(axis=1))
                chosen, _ = select_top(fractions.all(), elig, cnt, tie=tie, quota=quota)
            y += chosen
            if need_given:
                given = chosen.copy() if given is None else given | chosen
            missing -= cnt
        if missing.min() < 0:  # float noise made the shares add up to too much: take units back
            elig = y > 0 if f_units is None else y > f_units
            cnt = np.clip(-missing, 0, elig.sum(axis=1))
            key = np.minimum(1.0 - fractions.all(), np.nextafter(1.0, 0.0))
            reverse: dict[str, TieRule] = {"index": "reverse_index", "reverse_index": "index",
                                           "larger_quota": "smaller_quota", "smaller_quota": "larger_quota"}
            rev = reverse[tie]
            chosen, _ = select_top(key, elig, cnt, tie=rev, quota=quota)
            y -= chosen
            missing += cnt
    raise InfeasibleAllocation("the rounded shares cannot be made to add up to the total")  # pragma: no cover


def _eligible(y: IntArray, given: BoolArray | None, c_units: IntArray | None,
              positive: BoolArray | None) -> BoolArray:
    """Members that may take one more unit: below their caps, with drivers, not given one already."""
    elig = np.ones(y.shape, dtype=np.bool_) if c_units is None else y < c_units
    if positive is not None:
        elig &= positive
    if given is not None:
        elig &= ~given
    return elig


def round_shares(blk: Block, bounds: Bounds, qnb: FloatArray, nb: int,
                 positive: BoolArray | None) -> IntArray | None:
    """Round the exact shares ``qnb`` (in 1/nb units) of one block to whole units, into ``blk.out``.

    Each row adds up to its total exactly; no cap or floor is broken; a total that is not a multiple
    of the unit leaves its sub-unit remainder with one member (see :func:`split_costs`).  Returns,
    when the integer largest-remainder path decided the block, the flat indices of the members near
    each row's cut (for :func:`exact_ties`), else None.
    """
    rows, n = blk.out.shape
    u, rounding, tie, lead, work = blk.unit, blk.rounding, blk.tie, blk.lead, blk.work
    k_units, rho = bounds.k_units, bounds.rho
    c_units, f_units = bounds.c_units, bounds.f_units
    # ---- rounding to whole units ------------------------------------------------------------------
    # A free member ends with cap >= q >= floor (the last round found none outside), and a fixed
    # member's q is its bound exactly, so floor(q) is within the bounds: rounding down never breaks
    # a cap or a floor; units handed out below go only to members still below their caps.
    # With nb a power of two, z = floor(q * nb) gives both floor(q) = z >> log2(nb) and the bucket
    # of the remainder, z & (nb - 1), in integer arithmetic.
    z = work.z[:rows]
    np.copyto(z, qnb, casting="unsafe")  # truncation = floor, as q >= 0
    y = blk.out
    fractions = Fractions(qnb, nb)
    need_given = bool(np.any(rho > 0))
    near: list[IntArray] | None = [] if rounding == "largest_remainder" and u == 1 else None
    spread = None if near is None else cut_spread(qnb.max(axis=1) / nb, nb)
    if rounding == "largest_remainder" and not need_given and hamilton_from_buckets(
        z, work.zb[:rows], k_units, nb, y, key=fractions.at, tie=tie, quota=qnb,
        strict_zero=c_units is not None or positive is not None, spread=spread, near=near,
    ):
        if u > 1:
            y *= u
        return near[0] if near else None
    np.right_shift(z, nb.bit_length() - 1, out=y)
    np.bitwise_and(z, nb - 1, out=z)
    if rounding == "floor_then_lead":
        snap_whole_quotas(y, z, qnb, nb, k_units)
    missing = k_units - y.sum(axis=1)
    given: BoolArray | None = None

    lead_idx = None
    if rounding == "floor_then_lead":
        r_ix = np.arange(rows)
        room = np.ones((rows, n), dtype=np.bool_) if c_units is None else y < c_units
        if lead is None:
            lead_idx = first_by_rule(qnb, room if positive is None else room & positive, tie="index")
            lead_idx = np.where(lead_idx < 0, first_by_rule(qnb, room, tie="index"), lead_idx)
            lead_idx = np.where(lead_idx < 0, 0, lead_idx)
        else:
            lead_idx = np.asarray(lead, dtype=np.int64)
        lead_room = (np.full(rows, np.iinfo(np.int64).max) if c_units is None
                     else c_units[r_ix, lead_idx] - y[r_ix, lead_idx])
        take = np.clip(missing, 0, lead_room)
        y[r_ix, lead_idx] += take
        missing -= take
        given = np.zeros((rows, n), dtype=np.bool_)
        given[r_ix, lead_idx] = take > 0

    given = hand_out(y, given, z, fractions, missing, c_units, f_units, positive, tie, need_given,
                      work.chosen[:rows])

    # ---- the sub-unit remainder of a total that is not a multiple of the unit ---------------------
    if u > 1:
        y *= u
    if need_given:
        if given is None:
            given = np.zeros((rows, n), dtype=np.bool_)
        frac = fractions.all()
        room = np.ones((rows, n), dtype=np.bool_) if c_units is None else y < c_units * u
        pos = room if positive is None else room & positive
        who = first_by_rule(frac, pos & ~given, tie=tie, quota=qnb)
        who = np.where(who < 0, first_by_rule(frac, pos, tie=tie, quota=qnb), who)
        who = np.where(who < 0, first_by_rule(frac, room, tie=tie, quota=qnb), who)
        if lead_idx is not None:
            r_ix = np.arange(rows)
            who = np.where(room[r_ix, lead_idx], lead_idx, who)
        r_sel = np.nonzero(rho > 0)[0]
        y[r_sel, who[r_sel]] += rho[r_sel]
    return None



def _as_ratio(v: float) -> tuple[int, int]:
    return v.as_integer_ratio()


_RATIO = np.frompyfunc(_as_ratio, 1, 1)
_LCM = np.frompyfunc(math.lcm, 2, 1)



def _free(quota: FloatArray, c_units: NDArray[Any] | None, f_units: NDArray[Any] | None) -> BoolArray | None:
    """Members the remainder step decided about: not held at a cap or a floor (None: all)."""
    free: BoolArray | None = None
    if c_units is not None:
        free = quota < c_units
    if f_units is not None:
        above = (f_units == 0) | (quota > f_units)
        free = above if free is None else free & above
    return free


def _fixed(qnb: FloatArray, nb: int, bounds: Bounds, ra: IntArray) -> BoolArray:
    """Members of rows ``ra`` held at a cap or a floor (``qnb`` their rows of exact shares in 1/nb units)."""
    fx: BoolArray | None = None
    for small, full, is_cap in ((bounds.c_small, bounds.c_units, True), (bounds.f_small, bounds.f_units, False)):
        if small is None or full is None:
            continue
        b = small if small.shape[0] == 1 else full[ra]  # one row of bounds shared by every scenario
        # quota >= cap, or quota <= a non-zero floor (nb a power of two: both sides exact)
        f = qnb >= b * float(nb) if is_cap else (b != 0) & (qnb <= b * float(nb))
        fx = f if fx is None else fx | f
    assert fx is not None
    return fx


def exact_ties(blk: Block, bounds: Bounds, qnb: FloatArray, nb: int, positive: BoolArray | None,
               near: IntArray | None = None) -> None:
    """Redo in exact arithmetic the decisions of ``blk.out`` that float64 may have got wrong.

    Applies to ``rounding="largest_remainder"`` with ``unit=1`` and integer drivers.  A member held at
    its cap or floor keeps it; the members the remainder step decided about have the exact quotas
    ``T' * W_i / sum(W)`` with integer weights ``W_i = sum_d r_d * x_id * L / (rden_d * C_d)`` (ratios
    ``r_d / rden_d`` as the exact binary fractions they are, column sums ``C_d``, ``L`` their common
    multiple), and the units go by exact remainder, then by the tie rule.

    With ``near`` (the members near each row's cut, from :func:`round_shares`) a row is found
    ambiguous from those members only, and only those whose unit float64 may have decided wrongly are redone:
    farther than float error from the cut, so its unit (or none) is certain, and the members near
    the cut share the units the float result gave them, by exact remainder.  A row where a decided
    remainder is within float error of 0 or 1 (a floor may be off), or whose numbers do not fit int64,
    is redone whole.  Without ``near`` (the general rounding path) every row is checked and redone
    whole.  Rows decided safely (the usual case) are not touched.
    """
    if blk.rounding != "largest_remainder" or blk.unit != 1:
        return
    rows, n = blk.out.shape
    y = blk.out
    c_units, f_units = bounds.c_units, bounds.f_units
    if near is None:
        quota = qnb / nb
        amb = ambiguous_rows(quota, y, free=_free(quota, c_units, f_units), eligible=positive, caps=c_units)
        wrap = amb
        r = c = np.zeros(0, dtype=np.int64)
    else:
        r, c = np.divmod(near, n)
        q = qnb[r, c] / nb
        base = np.floor(q)
        chosen = y[r, c] > base
        cand = ~chosen
        fr = _free(q, None if c_units is None else c_units[r, c], None if f_units is None else f_units[r, c])
        if fr is not None:
            chosen &= fr
            cand &= fr
        if positive is not None:
            cand &= positive[r, c]
        if c_units is not None:
            cand &= base < c_units[r, c]
        amb, wrap, unc = ambiguous_near(rows, r, q, chosen, cand)
        r, c = r[unc], c[unc]
    if not amb.any():
        return
    ra = np.flatnonzero(amb)
    ra = ra[_integral_rows(blk.x, ra)]
    if ra.size == 0:
        return
    whole = ra[wrap[ra]]
    part = ra[~wrap[ra]]
    if part.size:
        whole = np.union1d(whole, _redo_near(blk, bounds, qnb, nb, part, r, c))
    if whole.size:
        _redo_rows(blk, bounds, qnb, nb, whole)


def _integral_rows(x: FloatArray, ra: IntArray) -> BoolArray:
    """Which rows ``ra`` have integer drivers below 2**53 (their column sums are then exact)."""
    xr = x[:, ra] if x.shape[1] > 1 else x
    ok = (xr.max(axis=(0, 2), initial=0.0) < 2.0**53) & (xr == np.floor(xr)).all(axis=(0, 2))
    out: BoolArray = np.broadcast_to(ok, ra.shape)
    return out


def _coefficients(blk: Block, ra: IntArray) -> tuple[list[NDArray[Any]], NDArray[Any]]:
    """Integer coefficients per driver (object arrays of shape (Ra,)) and exact column sums (D, Ra).

    Member ``i``'s exact weight is ``sum_d coef_d * x_id`` (up to a factor per row).
    """
    d = blk.x.shape[0]
    col = np.broadcast_to(blk.xsum, (d, blk.out.shape[0]))[:, ra].astype(np.int64).astype(object)
    frac = _RATIO(blk.ratios[ra].astype(np.float64))  # (Ra, D) of (numerator, denominator)
    rnum = np.frompyfunc(lambda t: t[0], 1, 1)(frac)
    rden = np.frompyfunc(lambda t: t[1], 1, 1)(frac)
    active = [(rnum[:, j] > 0) & (col[j] > 0) for j in range(d)]  # loop over drivers (D is small)
    common = np.ones(ra.size, dtype=np.int64).astype(object)
    for j in range(d):  # a common multiple of the denominators rden_d * C_d
        common = _LCM(common, np.where(active[j], rden[:, j] * col[j], 1))
    coefs = [np.where(active[j], rnum[:, j] * common // np.where(active[j], rden[:, j] * col[j], 1), 0)
             for j in range(d)]
    return coefs, col


def _int_coefficients(blk: Block, ra: IntArray) -> IntArray | None:
    """:func:`_coefficients` in int64, shape (D, Ra), for integer ratios and numbers that fit; else None."""
    d = blk.x.shape[0]
    rat = np.asarray(blk.ratios[ra], dtype=np.float64).T  # (D, Ra)
    if not (rat.max(initial=0.0) < 2.0**53 and np.array_equal(rat, np.floor(rat))):
        return None
    rnum = rat.astype(np.int64)
    col = np.broadcast_to(blk.xsum, (d, blk.out.shape[0]))[:, ra].astype(np.int64)
    act = (rnum > 0) & (col > 0)
    den = np.where(act, col, 1)
    if np.prod(den.astype(np.float64), axis=0).max(initial=0.0) >= 2.0**61:  # lcm <= product: no overflow
        return None
    common = np.lcm.reduce(den, axis=0)
    if (rnum.astype(np.float64) * common).max(initial=0.0) >= 2.0**61:
        return None
    coefs: IntArray = np.where(act, rnum * (common // den), 0)
    return coefs


def _redo_rows(blk: Block, bounds: Bounds, qnb: FloatArray, nb: int, ra: IntArray) -> None:
    """Redo rows ``ra`` of ``blk.out`` whole in exact arithmetic (see :func:`exact_ties`)."""
    x = blk.x
    n = blk.out.shape[1]
    y = blk.out
    c_units, f_units = bounds.c_units, bounds.f_units
    d = x.shape[0]
    xr = (x[:, ra] if x.shape[1] > 1 else np.broadcast_to(x, (d, ra.size, n))).astype(np.int64)
    coefs, _ = _coefficients(blk, ra)
    big = max((int(cf.max(initial=0)) * int(xr[j].max(initial=0)) for j, cf in enumerate(coefs)), default=0)
    weights: NDArray[Any]
    if big * d * n < 2**62:  # int64 weights: the exact step runs in int64
        weights = np.zeros((ra.size, n), dtype=np.int64)
        for j in range(d):
            weights += coefs[j].astype(np.int64)[:, None] * xr[j]
    else:
        weights = np.zeros((ra.size, n), dtype=np.int64).astype(object)
        for j in range(d):
            weights = weights + coefs[j][:, None] * xr[j].astype(object)
    free = _free(qnb[ra] / nb, None if c_units is None else c_units[ra], None if f_units is None else f_units[ra])
    fx = np.zeros((ra.size, n), dtype=np.bool_) if free is None else ~free
    weights = np.where(fx, 0, weights)
    rest = blk.total[ra] - np.where(fx, y[ra], 0).sum(axis=1)
    caps = None if c_units is None else c_units[ra]
    exact, ok = exact_hamilton(rest, weights, tie=blk.tie, caps=caps)
    exact = np.where(fx, y[ra], exact)
    if f_units is not None:
        ok &= (exact >= f_units[ra]).all(axis=1)
    if caps is not None:
        ok &= (exact <= caps).all(axis=1)
    y[ra[ok]] = exact[ok]


def _redo_near(blk: Block, bounds: Bounds, qnb: FloatArray, nb: int, ra: IntArray, r: IntArray,
               c: IntArray) -> IntArray:
    """Redo exactly, in rows ``ra``, only the members whose unit is uncertain (``r``, ``c``, ascending rows).

    These members keep between them the units the float result gave them; they are re-ranked by exact remainder (integer numerators over the row's common denominator) and the tie
    rule.  Returns the rows that must be redone whole instead (numbers beyond int64, or units these
    members cannot take).
    """
    rows = blk.out.shape[0]
    x, y, tie = blk.x, blk.out, blk.tie
    c_units, f_units = bounds.c_units, bounds.f_units
    d = x.shape[0]
    pos = np.full(rows, -1, dtype=np.int64)
    pos[ra] = np.arange(ra.size)
    keep = pos[r] >= 0
    r, c = r[keep], c[keep]
    k = pos[r]  # position of each member's row in ra (ascending)
    coefs = _int_coefficients(blk, ra)
    if coefs is None or not LONG_OK:
        return ra
    col = np.broadcast_to(blk.xsum, (d, rows))[:, ra].astype(np.int64)  # (D, Ra) exact column sums
    # members held at a cap or floor keep their shares: their drivers leave the denominator
    if c_units is not None or f_units is not None:
        fx = _fixed(qnb[ra], nb, bounds, ra)
        fxf = fx.astype(np.float64)
        # driver sums over the fixed members: exact (integers below 2**53), in any order
        fsum = (np.einsum("drn,rn->dr", x[:, ra], fxf) if x.shape[1] > 1 else np.einsum("dn,rn->dr", x[:, 0], fxf))
        col = col - fsum.astype(np.int64)
        t_free = blk.total[ra] - np.einsum("rn,rn->r", y[ra], fx.astype(np.int64))
        fx_m = fx[k, c]
    else:
        t_free = blk.total[ra]
        fx_m = np.zeros(r.size, dtype=np.bool_)
    xm = x[:, r, c] if x.shape[1] > 1 else x[:, 0, c]  # (D, M)
    cf = coefs.astype(np.float64)
    # int64 throughout when the sums stay below 2**60 (bounds in float64 with room for its rounding)
    if not ((cf * col).sum(axis=0).max(initial=0.0) < 2.0**59 and cf.max(initial=0.0) * xm.max(initial=0.0) * d < 2.0**59
            and t_free.max(initial=0) < 2**60):
        return ra
    s_row = (coefs * col).sum(axis=0)  # the row's denominator: sum of the free members' exact weights
    wm = (coefs[:, k] * xm.astype(np.int64)).sum(axis=0)
    wm[fx_m] = 0
    s64 = np.maximum(s_row.astype(np.int64), 1)
    fl, rem = mulmod(np.asarray(t_free, dtype=np.int64)[k], wm, s64[k])
    cur = y[r, c]
    fl = np.where(fx_m, cur, fl)
    elig = (wm > 0) & ~fx_m
    if c_units is not None:
        cm = c_units[r, c]
        elig &= fl + 1 <= cm
    starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
    need = np.add.reduceat(cur - fl, starts)  # units the members near the cut share, beyond their floors
    ok = (need >= 0) & (need <= np.add.reduceat(elig.astype(np.int64), starts))
    if tie == "index":
        keys: tuple[IntArray, ...] = (c,)
    elif tie == "reverse_index":
        keys = (-c,)
    else:  # a row's quotas share its total and denominator: their order is that of the weights
        keys = (c, -wm if tie == "larger_quota" else wm)
    order = np.lexsort((*keys, -rem, ~elig, k))
    rank = np.empty(r.size, dtype=np.int64)
    rank[order] = np.arange(r.size) - np.repeat(starts, np.diff(np.append(starts, r.size)))
    seg = np.repeat(np.arange(starts.size), np.diff(np.append(starts, r.size)))
    new = fl + (elig & (rank < need[seg]))
    if f_units is not None:
        ok &= np.logical_and.reduceat(new >= f_units[r, c], starts)
    if c_units is not None:
        ok &= np.logical_and.reduceat(new <= c_units[r, c], starts)
    take = ok[seg]
    y[r[take], c[take]] = new[take]
    failed: IntArray = ra[k[starts][~ok]]
    return failed
