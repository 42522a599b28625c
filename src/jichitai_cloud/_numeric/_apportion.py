"""Integer apportionment: turn real-valued quotas into integer amounts that add up exactly.

The largest remainder method (Hamilton's method, 最大剰余方式) floors every quota and hands the
units still missing from the total, one each, to the members with the largest fractional
remainders.  A member with a strictly larger remainder is never passed over for one with a smaller
remainder; exact ties are broken by a selectable rule (:data:`TIE_RULES`):

``"index"``
    the member listed first wins (the default);
``"reverse_index"``
    the member listed last wins;
``"larger_quota"``
    the member with the larger quota wins, then the member listed first;
``"smaller_quota"``
    the member with the smaller quota wins, then the member listed first.

Kernels here take and return numpy arrays, broadcast over leading axes, and contain no Python
loop over members or scenarios.  Selecting the members that receive a unit does not sort whole
rows: remainders are counted into about N / 8 buckets per row (one ``bincount``), the bucket holding
the cut is found from the cumulative counts, and only the few members inside that bucket are
ordered exactly (remainder, then the tie rule).  The result is identical to sorting every row.

References
----------
Balinski, M. L. and Young, H. P. (2001). *Fair Representation: Meeting the Ideal of One Man,
One Vote*, 2nd ed. Brookings Institution Press. (Hamilton's method, ch. 2.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ValidationError

__all__ = ["TIE_RULES", "TieRule", "ambiguous_rows", "apportion", "equal_split", "exact_hamilton",
           "largest_remainder"]

TieRule = Literal["index", "reverse_index", "larger_quota", "smaller_quota"]
TIE_RULES: tuple[TieRule, ...] = get_args(TieRule)

BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


#: Relative error of a float64 quota that may hide the order of two remainders: quotas computed with
#: a few correctly rounded operations are within a few ulps (2**-52 relative each) of the exact
#: values; a decision resting on a difference below ``2**-47 * max(1, quota)`` (32 ulps) is redone exactly.
AMBIGUOUS = 2.0**-47

_I60 = 2**60


def ambiguous_rows(quota: FloatArray, shares: IntArray, *, free: BoolArray | None = None,
                   eligible: BoolArray | None = None, caps: IntArray | None = None) -> BoolArray:
    """Rows whose largest-remainder decision floating point may have got wrong.

    A row is decided safely when every member given a unit has a remainder larger, by more than
    the two quotas' errors, than every eligible member not given one, and no remainder that decided
    sits within its error of 0 or 1 (where the floor itself may be off by one).

    Parameters
    ----------
    quota
        The float quotas, shape ``(R, N)``. [units]
    shares
        The integer result of the float path, shape ``(R, N)``. [units]
    free
        Members the remainder step decided about (others, e.g. held at a cap, are ignored); None: all.
    eligible
        Members that could have taken a unit (e.g. positive weight); None: all.
    caps
        Most units per member (a member with ``floor(quota) + 1 > cap`` could not take one), or None.

    Returns
    -------
    numpy.ndarray of bool, shape ``(R,)``
    """
    base = np.floor(quota)
    rem = quota - base
    tol = np.maximum(quota, 1.0)
    tol *= AMBIGUOUS
    chosen = shares > base  # shares of decided members are floor(quota) or floor(quota) + 1
    cand = ~chosen
    if free is not None:
        chosen &= free
        cand &= free
    if eligible is not None:
        cand &= eligible
    if caps is not None:
        cand &= base < caps
    lo = np.subtract(rem, tol, where=chosen, out=np.full(quota.shape, np.inf)).min(axis=1, initial=np.inf)
    hi = np.add(rem, tol, where=cand, out=np.full(quota.shape, -np.inf)).max(axis=1, initial=-np.inf)
    out: BoolArray = (lo <= hi) | (lo < 0) | (hi > 1)  # (rem - tol < 0: near 0; rem + tol > 1: near 1)
    return out


def cut_spread(quota_max: FloatArray, nb: int) -> IntArray:
    """Buckets either side of the cut bucket holding every member :func:`ambiguous_near` needs.

    A member's remainder is within ``tol <= T = max(quota_max, 1) * AMBIGUOUS`` of its exact value;
    a member given a unit (bucket at or above the cut bucket ``b``) and one not given one (bucket at
    or below ``b``) whose order may be wrong have remainders within ``2 T`` of each other, so both
    lie within ``ceil(2 T nb)`` buckets of ``b``; so does a decided member whose remainder is within
    ``T`` of 0 or 1 (see :func:`hamilton_from_buckets`).  (``2**-50`` more covers float64's rounding
    of the comparison.)

    Parameters
    ----------
    quota_max
        Largest quota per row, shape ``(R,)``. [units]
    nb
        Buckets per row.
    """
    tol_b = (np.maximum(quota_max, 1.0) * (2.0 * AMBIGUOUS) + 2.0**-50) * nb
    out: IntArray = np.minimum(np.ceil(tol_b), float(nb)).astype(np.int64)
    return out


def ambiguous_near(rows: int, r: IntArray, quota: FloatArray, chosen: BoolArray,
                   cand: BoolArray) -> tuple[BoolArray, BoolArray, BoolArray]:
    """:func:`ambiguous_rows` computed from the members near the cut only.

    Parameters
    ----------
    rows
        Rows of the block.
    r
        Row of each member near the cut, ascending, shape ``(M,)``.
    quota
        Their float quotas, shape ``(M,)``. [units]
    chosen
        Members the remainder step gave a unit (and decided about), shape ``(M,)``.
    cand
        Members it could have given one but did not, shape ``(M,)``.

    Returns
    -------
    ambiguous : numpy.ndarray of bool, shape ``(R,)``
        Rows whose decision float64 may have got wrong (as :func:`ambiguous_rows`, given every
        member within the :func:`cut_spread` of the cut).
    wrap : numpy.ndarray of bool, shape ``(R,)``
        Ambiguous rows where a decided remainder is within its error of 0 or 1 (a floor may be off).
    uncertain : numpy.ndarray of bool, shape ``(M,)``
        Members whose unit float64 may have decided wrongly: given one, with a remainder within
        the errors of an ungiven member's, or the reverse.  Every other member of the row is
        certain: one given a unit has a larger exact remainder than every member not given one
        (so it is among the ``k`` largest), and symmetrically.
    """
    amb = np.zeros(rows, dtype=np.bool_)
    wrap = np.zeros(rows, dtype=np.bool_)
    if r.size == 0:
        return amb, wrap, np.zeros(0, dtype=np.bool_)
    rem = quota - np.floor(quota)
    tol = np.maximum(quota, 1.0) * AMBIGUOUS
    low = np.where(chosen, rem - tol, np.inf)
    high = np.where(cand, rem + tol, -np.inf)
    starts = np.flatnonzero(np.concatenate(([True], r[1:] != r[:-1])))
    lo = np.minimum.reduceat(low, starts)
    hi = np.maximum.reduceat(high, starts)
    rr = r[starts]
    w = (lo < 0) | (hi > 1)
    amb[rr] = (lo <= hi) | w
    wrap[rr] = w
    seg = np.repeat(np.arange(starts.size), np.diff(np.append(starts, r.size)))
    uncertain = (low <= hi[seg]) | (high >= lo[seg])
    return amb, wrap, uncertain


def mulmod(a: IntArray, b: IntArray, m: IntArray) -> tuple[IntArray, IntArray]:
    """``(a * b) // m`` and ``(a * b) % m`` exactly for int64 ``0 <= a, b < 2**60``, ``0 < m < 2**60``.

    The quotient is estimated in 64-bit-mantissa long double (off by at most a few units) and the
    remainder computed modulo 2**64 (exact, as the true remainder of the estimate is small), then
    corrected.  Needs ``numpy.longdouble`` with at least 63 mantissa bits (x86-64 Linux).
    """
    ld = np.longdouble
    q = np.floor(a.astype(ld) * b.astype(ld) / m.astype(ld)).astype(np.int64)
    with np.errstate(over="ignore"):
        r = (a.astype(np.uint64) * b.astype(np.uint64) - q.astype(np.uint64) * m.astype(np.uint64)).view(np.int64)
    d = r // m  # the estimate is off by a few units at most: one exact correction
    q += d
    r -= d * m
    return q, r


LONG_OK = np.finfo(np.longdouble).nmant >= 63


def exact_hamilton(total: NDArray[np.object_] | IntArray, weights: NDArray[np.object_] | IntArray, *,
                   tie: TieRule, caps: IntArray | None = None) -> tuple[IntArray, BoolArray]:
    """Largest remainder in exact integer arithmetic.

    Member ``i`` of row ``r`` has the exact quota ``total[r] * weights[r, i] / sum(weights[r])``;
    remainders share the denominator ``sum(weights[r])``, so their numerators
    ``total * w_i mod sum(w)`` are compared exactly, and exact ties follow ``tie``.  Only members
    with a positive weight and (with ``caps``) ``floor(quota) + 1 <= cap`` may take a unit.  Runs in
    int64 (a long-double quotient corrected in integers) when the numbers allow, else in Python
    integers (object arrays).

    Parameters
    ----------
    total
        Whole units per row, int64 or object array of Python ints, shape ``(R,)``. [units]
    weights
        Non-negative integer weights, int64 or object array of Python ints, shape ``(R, N)``. [1]
    tie
        Tie rule (:data:`TIE_RULES`).
    caps
        Most units each member may have, shape ``(R, N)``, or None. [units]

    Returns
    -------
    shares : numpy.ndarray of int64, shape ``(R, N)``
    ok : numpy.ndarray of bool, shape ``(R,)``
        Rows that could be rounded (False: the units left cannot be handed out; shares there are
        undefined).
    """
    rows, n = weights.shape
    fl: NDArray[np.object_] | IntArray
    rem: NDArray[np.object_] | IntArray
    fast = False
    if LONG_OK and rows and n:
        wmax = max(int(weights.max()), 1)
        tmax = max(int(total.max()), 0)
        fast = wmax * n < _I60 and tmax < _I60
    if fast:
        w64 = np.asarray(weights, dtype=np.int64)
        t64 = np.asarray(total, dtype=np.int64)
        wsum = w64.sum(axis=1)
        m = np.broadcast_to(np.where(wsum == 0, 1, wsum)[:, None], (rows, n))
        fl, rem = mulmod(np.broadcast_to(t64[:, None], (rows, n)), w64, m)
        k = t64 - fl.sum(axis=1)
        wkey = w64
    else:
        wo = np.asarray(weights, dtype=object)
        to = np.asarray(total, dtype=object)
        wsum_o = wo.sum(axis=1)
        mo = np.where(wsum_o == 0, 1, wsum_o).astype(object)[:, None]
        num = wo * to[:, None]
        fl = num // mo
        rem = num - fl * mo
        k = to - fl.sum(axis=1)
        wkey = wo
    elig = np.asarray(weights > 0, dtype=np.bool_)
    if caps is not None:
        elig &= np.asarray(fl + 1 <= caps, dtype=np.bool_)
    ok = np.asarray((k >= 0) & (k <= elig.sum(axis=1)), dtype=np.bool_)
    k64 = np.where(ok, k, 0).astype(np.int64)
    fl64 = np.where(ok[:, None], fl, 0).astype(np.int64)
    if fast:  # remainders counted into buckets, only the cut bucket ordered exactly (as the float path)
        nb = bucket_count(n)
        width = (m[:, :1] + nb - 1) // nb
        bucket = np.where(elig, np.asarray(rem, dtype=np.int64) // width, -1)
        rem64 = np.asarray(rem, dtype=np.int64)
        chosen, _ = select_in_buckets(bucket, lambda r, c: rem64[r, c], k64, nb=nb, tie=tie,
                                      quota=np.asarray(wkey, dtype=np.int64))
        fast_out: IntArray = fl64 + chosen
        return fast_out, ok
    idx = np.broadcast_to(np.arange(n, dtype=np.int64), (rows, n))
    if tie == "index":
        keys: tuple[object, ...] = (idx, -rem)
    elif tie == "reverse_index":
        keys = (-idx, -rem)
    else:  # the quotas share a row's total: their order is that of the weights
        keys = (idx, -wkey if tie == "larger_quota" else wkey, -rem)
    keys = (*keys, ~elig)  # the last key sorts first: eligible members, then by remainder, then the rule
    order = np.lexsort(tuple(np.asarray(key) for key in keys), axis=-1)
    rank = np.empty((rows, n), dtype=np.int64)
    np.put_along_axis(rank, order, idx, axis=1)
    out: IntArray = fl64 + (rank < k64[:, None])
    return out, ok


def check_tie(tie: object) -> TieRule:
    """``tie`` if it is one of :data:`TIE_RULES`, else a :class:`ValidationError`."""
    if tie not in TIE_RULES:
        raise ValidationError(f"tie must be one of {', '.join(map(repr, TIE_RULES))}, got {tie!r}")
    return tie


def bucket_count(n: int) -> int:
    """Buckets per row used to select the largest remainders: a power of two of about ``n / 8``."""
    return 1 << max(4, (n // 8).bit_length())


def select_in_buckets(
    bucket: IntArray,
    key: Callable[[IntArray, IntArray], NDArray[Any]],
    count: IntArray,
    *,
    nb: int,
    tie: TieRule,
    quota: NDArray[Any] | None = None,
    out: BoolArray | None = None,
) -> tuple[BoolArray, BoolArray]:
    """The ``count[r]`` members of row ``r`` ranked first, given their remainders' buckets.

    Parameters
    ----------
    bucket
        ``floor(remainder * nb)`` per member (0..nb-1), or -1 for a member that may not be chosen,
        shape ``(R, N)``; overwritten.
    key
        ``key(rows, cols)`` returns, for the given members, values ordered like their remainders
        (exactly; used only to order members that share a bucket). [1]
    count
        How many to choose per row; at most the number of eligible members. [members]
    nb
        Number of buckets (a power of two).
    tie
        Tie rule for equal remainders.
    quota
        Values ordered like the quotas, for the quota-based tie rules. [units]
    out
        Optional boolean array of shape ``(R, N)`` to write ``chosen`` into.

    Returns
    -------
    chosen : numpy.ndarray of bool, shape ``(R, N)``
    lowest : numpy.ndarray of bool, shape ``(R,)``
        Rows whose cut fell in bucket 0 (remainders below ``1 / nb``, where members with remainder
        exactly 0 may have been chosen).
    """
    rows, n = bucket.shape
    width = nb + 1
    offs = np.arange(rows, dtype=np.int64) * width
    flat = bucket
    flat += (offs + 1)[:, None]  # row * width + 1..nb for eligible members, row * width for the others
    counts = np.bincount(flat.reshape(-1), minlength=rows * width).reshape(rows, width)
    # cumulative counts from the bottom: members in buckets 0..b; the cut is the highest bucket b
    # with at least count[r] members at or above it
    below = np.cumsum(counts, axis=1)
    cnt = count.astype(np.int64)
    active = cnt > 0
    cut = np.maximum((below[:, :nb] <= (n - cnt)[:, None]).sum(axis=1), 1)  # bucket 1..nb
    r_all = np.arange(rows)
    above = n - below[r_all, cut]  # members in buckets above the cut
    in_cut = counts[r_all, cut]
    need = np.where(active, cnt - above, 0)  # members still to take from the cut bucket
    whole = need >= in_cut
    cut_abs = offs + cut
    thresh = np.where(active, np.where(whole, cut_abs, cut_abs + 1), offs + width + 1)
    chosen = np.greater_equal(flat, thresh[:, None], out=out)
    partial = active & ~whole
    if partial.any():
        hit = np.flatnonzero(flat == cut_abs[:, None])
        r_idx, c_idx = np.divmod(hit, n)
        keep = partial[r_idx]
        r_idx, c_idx = r_idx[keep], c_idx[keep]
        pr_, pc_ = _order_cut(r_idx, c_idx, key(r_idx, c_idx), need, tie, quota)
        chosen[pr_, pc_] = True
    return chosen, active & (cut == 1)


def hamilton_from_buckets(
    z: IntArray,
    bucket: IntArray,
    total: IntArray,
    nb: int,
    out: IntArray,
    *,
    key: Callable[[IntArray, IntArray], FloatArray],
    tie: TieRule,
    quota: FloatArray | None = None,
    strict_zero: bool = False,
    spread: IntArray | None = None,
    near: list[IntArray] | None = None,
) -> bool:
    """Largest remainder in integer arithmetic, from ``z = floor(quota * nb)`` (``nb`` a power of two).

    Writes ``floor(quota) + [member gets a unit]`` into ``out`` and returns True; returns False
    (leaving ``out`` undefined and ``z`` intact) when the case needs the general path: the floors do
    not leave 0..N units to hand out, or (``strict_zero``) the cut reaches remainders below
    ``1 / nb``, where members that may not take a unit (remainder exactly 0) sit.

    With ``z = y * nb + b`` (``y = floor(quota)``, ``b`` the remainder's bucket), a member whose
    bucket is at least the row's threshold ``t`` gets a unit: ``y + [b >= t] = (z + nb - t) >> log2(nb)``.
    Members inside the bucket holding the cut are ordered exactly by ``key`` and ``tie``.

    Parameters
    ----------
    z
        ``floor(quota * nb)``, shape ``(R, N)``; overwritten on success. [1/nb units]
    bucket
        Work array of the same shape and dtype (overwritten).
    total
        Units per row, shape ``(R,)``. [units]
    nb
        Buckets per row, a power of two.
    out
        Integer shares, shape ``(R, N)``. [units]
    key, tie, quota
        As for :func:`select_in_buckets`.
    strict_zero
        Whether members with a remainder of exactly 0 may be barred from taking a unit.
    spread, near
        With ``spread`` (buckets per row, :func:`cut_spread`), the flat indices (``r * N + c``,
        ascending) of the members whose bucket is within ``spread[r]`` of row ``r``'s cut bucket
        are appended to ``near`` on success: the only members whose remainders can sit within
        float error of the cut (for :func:`ambiguous_near`).  Finding them replaces the pass that
        finds the cut bucket's members, so it costs about one pass over the block.
    """
    rows, n = z.shape
    shift = nb.bit_length() - 1
    np.bitwise_and(z, nb - 1, out=bucket)
    offs = np.arange(rows, dtype=np.int64) * nb
    flat = bucket
    flat += offs[:, None]
    counts = np.bincount(flat.reshape(-1), minlength=rows * nb).reshape(rows, nb)
    floor_sum = (z.sum(axis=1) - counts @ np.arange(nb, dtype=np.int64)) >> shift
    cnt = total - floor_sum  # units still to hand out
    if cnt.min(initial=0) < 0 or cnt.max(initial=0) > n:
        return False
    active = cnt > 0
    below = np.cumsum(counts, axis=1)
    cut = (below[:, : nb - 1] <= (n - cnt)[:, None]).sum(axis=1)  # highest bucket with >= cnt at or above
    if strict_zero and np.any(active & (cut == 0)):
        return False
    r_all = np.arange(rows)
    above = n - below[r_all, cut]
    need = np.where(active, cnt - above, 0)  # members still to take from the cut bucket
    whole = need >= counts[r_all, cut]
    thresh = np.where(active, np.where(whole, cut, cut + 1), nb)  # a unit to every bucket >= thresh
    partial = active & ~whole
    if spread is not None and near is not None:
        lo_b = np.maximum(cut - spread, 0)
        flat -= (offs + lo_b)[:, None]  # bucket - lo_b: in 0..span for the members near the cut
        span = np.minimum(cut + spread, nb - 1) - lo_b
        win = np.flatnonzero(flat.view(np.uint64) <= span.astype(np.uint64)[:, None])
        near.append(win)
        if partial.any():
            w_r, w_c = np.divmod(win, n)
            at_cut = (flat.reshape(-1)[win] == (cut - lo_b)[w_r]) & partial[w_r]
            picks_r, picks_c = _order_cut(w_r[at_cut], w_c[at_cut], key(w_r[at_cut], w_c[at_cut]), need, tie,
                                          quota)
    elif partial.any():
        hit = np.flatnonzero(flat == (offs + cut)[:, None])
        r_idx, c_idx = np.divmod(hit, n)
        keep = partial[r_idx]
        r_idx, c_idx = r_idx[keep], c_idx[keep]
        picks_r, picks_c = _order_cut(r_idx, c_idx, key(r_idx, c_idx), need, tie, quota)
    z += (nb - thresh)[:, None]
    np.right_shift(z, shift, out=out)
    if partial.any():
        out[picks_r, picks_c] += 1
    return True


def _order_cut(
    r_idx: IntArray, c_idx: IntArray, k: NDArray[Any], need: IntArray, tie: TieRule, quota: NDArray[Any] | None
) -> tuple[IntArray, IntArray]:
    """Of the members (r_idx, c_idx) sharing a cut bucket, the first ``need[r]`` of each row by ``k``, tie."""
    # r_idx, c_idx come in row-major order and lexsort is stable: the member listed first comes
    # first among equal keys unless the tie rule says otherwise
    if tie == "index":
        order = np.lexsort((-k, r_idx))
    elif tie == "reverse_index":
        order = np.lexsort((-c_idx, -k, r_idx))
    else:
        if quota is None:
            raise ValidationError(f"tie rule {tie!r} needs the quotas")
        qv = quota[r_idx, c_idx]
        order = np.lexsort((-qv if tie == "larger_quota" else qv, -k, r_idx))
    r_sorted = r_idx[order]
    c_sorted = c_idx[order]
    starts = np.searchsorted(r_sorted, r_sorted, side="left")
    rank = np.arange(r_sorted.size) - starts
    take = rank < need[r_sorted]
    return r_sorted[take], c_sorted[take]


def select_top(
    key: FloatArray,
    eligible: BoolArray | None,
    count: IntArray,
    *,
    tie: TieRule,
    quota: FloatArray | None = None,
) -> tuple[BoolArray, BoolArray]:
    """Mask of the ``count[r]`` eligible members of row ``r`` ranked first by ``key`` (descending).

    Exact ties in ``key`` are broken by ``tie``; ``"larger_quota"`` / ``"smaller_quota"`` look at
    ``quota``.  Works on a 2-D block ``(R, N)`` without sorting whole rows: keys are counted into
    buckets, the bucket holding the cut is found from cumulative counts, and only the members in
    that bucket are ordered exactly.

    Parameters
    ----------
    key
        Ranking key per member, every value in ``[0, 1)`` (a fractional remainder), shape ``(R, N)``. [1]
    eligible
        Members that may be chosen, shape ``(R, N)``; ``None`` means all.
    count
        How many to choose per row, shape ``(R,)``; ``0 <= count[r] <=`` number eligible. [members]
    tie
        Tie rule for equal keys.
    quota
        Quotas for the quota-based tie rules, shape ``(R, N)``. [units]

    Returns
    -------
    chosen : numpy.ndarray of bool, shape ``(R, N)``
    lowest : numpy.ndarray of bool, shape ``(R,)``
        Rows whose cut fell in the lowest bucket.
    """
    nb = bucket_count(key.shape[1])
    bucket = (key * nb).astype(np.int64)  # nb is a power of two: key * nb is exact
    if eligible is not None:
        np.copyto(bucket, -1, where=~eligible)
    return select_in_buckets(bucket, lambda r, c: key[r, c], count, nb=nb, tie=tie, quota=quota)


def first_by_rule(
    key: FloatArray, eligible: BoolArray, *, tie: TieRule, quota: FloatArray | None = None
) -> IntArray:
    """Per row, the index of the eligible member ranked first by ``key`` (descending), ties by ``tie``.

    Rows without an eligible member give ``-1``.

    Parameters
    ----------
    key
        Ranking key, shape ``(R, N)``. [1]
    eligible
        Members that may be chosen, shape ``(R, N)``.
    tie
        Tie rule for equal keys.
    quota
        Quotas for the quota-based tie rules. [units]
    """
    masked = np.where(eligible, key, -np.inf)
    best = masked.max(axis=1)
    top = eligible & (masked == best[:, None])
    if tie == "index":
        idx = np.argmax(top, axis=1)
    elif tie == "reverse_index":
        n = key.shape[1]
        idx = n - 1 - np.argmax(top[:, ::-1], axis=1)
    else:
        if quota is None:
            raise ValidationError(f"tie rule {tie!r} needs the quotas")
        q = quota if tie == "larger_quota" else -quota
        qm = np.where(top, q, -np.inf)
        idx = np.argmax(qm == qm.max(axis=1)[:, None], axis=1)
    return np.where(eligible.any(axis=1), idx, -1).astype(np.int64)


def largest_remainder(total: ArrayLike, quotas: ArrayLike, *, tie: TieRule = "index") -> NDArray[np.int64]:
    """Round quotas to integers that add up to ``total``, by largest remainder (Hamilton).

    Parameters
    ----------
    total
        Integer total per row, shape ``(...)``. [units, e.g. yen]
    quotas
        Exact (real) quotas, shape ``(..., N)``, non-negative, each row adding up to its total
        (up to floating-point error). [units]
    tie
        How exact ties in the remainder are broken: ``"index"`` (lower member index first, the
        default), ``"reverse_index"``, ``"larger_quota"`` (the member with the larger quota first,
        then lower index) or ``"smaller_quota"``.

    Returns
    -------
    numpy.ndarray of int64, shape ``(..., N)``
        Each entry is ``floor(quota)`` or ``floor(quota) + 1``; each row adds up to its total.

    Raises
    ------
    ValidationError
        If the quotas cannot be rounded to the total (they add up to more than the total, or to
        less than the total minus N), or are not finite.

    References
    ----------
    Balinski and Young (2001), ch. 2 (Hamilton's method).

    Examples
    --------
    >>> largest_remainder(10, [3.5, 3.5, 3.0]).tolist()
    [4, 3, 3]
    """
    check_tie(tie)
    q = np.asarray(quotas, dtype=np.float64)
    t = np.asarray(total, dtype=np.int64)
    if q.ndim == 0:
        raise ValidationError("quotas must have a member axis, got a scalar")
    if not np.all(np.isfinite(q)):
        raise ValidationError("quotas must be finite, got NaN or infinity")
    shape = np.broadcast_shapes(t.shape, q.shape[:-1]) + q.shape[-1:]
    q2 = np.broadcast_to(q, shape).reshape(-1, shape[-1])
    t2 = np.broadcast_to(t, shape[:-1]).reshape(-1)
    fl = np.floor(q2)
    base = fl.astype(np.int64)
    deficit = t2 - base.sum(axis=-1)
    n = shape[-1]
    if np.any(deficit < 0) or np.any(deficit > n):
        raise ValidationError(
            "quotas do not add up to their totals: the floored quotas leave between "
            f"{int(deficit.min())} and {int(deficit.max())} units, expected 0..{n}"
        )
    if n == 0:
        return base.reshape(shape)
    chosen, _ = select_top(q2 - fl, None, deficit, tie=tie, quota=q2)
    return (base + chosen).reshape(shape)


def apportion(total: ArrayLike, weights: ArrayLike, *, tie: TieRule = "index") -> NDArray[np.int64]:
    """Split integer totals in proportion to weights, exactly (largest remainder).

    Parameters
    ----------
    total
        Integer amount per row, shape ``(...)``, non-negative. [yen]
    weights
        Non-negative finite weights, shape ``(..., N)``; a row of zeros is allowed only with a
        zero total. [any unit]
    tie
        Tie rule, see :func:`largest_remainder`.

    Returns
    -------
    numpy.ndarray of int64, shape ``(..., N)``
        Shares within one unit of ``total * w / sum(w)`` adding up to ``total`` exactly. [yen]

    References
    ----------
    Balinski and Young (2001), ch. 2 (Hamilton's method).

    Examples
    --------
    >>> apportion(1_000_000, [1, 1, 1]).tolist()
    [333334, 333333, 333333]
    """
    w = np.asarray(weights, dtype=np.float64)
    t = np.asarray(total)
    if not np.issubdtype(t.dtype, np.integer):
        raise ValidationError(f"total must be integer yen, got dtype {t.dtype}")
    t = t.astype(np.int64)
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValidationError("weights must be finite and >= 0")
    if np.any(t < 0):
        raise ValidationError("total must be >= 0")
    s = w.sum(axis=-1)
    if np.any((s == 0) & (t != 0)):
        raise ValidationError("a row of weights is all zero but its total is not")
    safe = np.where(s == 0, 1.0, s)
    quotas = w * (t / safe)[..., None]
    out = largest_remainder(t, quotas, tie=tie)
    if out.size and w.max(initial=0.0) < 2.0**53 and np.all(w == np.floor(w)):
        _exact_repair(out, quotas, t, w, tie)
    return out


def _exact_repair(out: IntArray, quotas: FloatArray, total: IntArray, w: FloatArray, tie: TieRule) -> None:
    """Redo exactly (integer weights) the rows of ``out`` whose float decision may be wrong, in place."""
    n = out.shape[-1]
    o2 = out.reshape(-1, n)
    q2 = np.broadcast_to(quotas, out.shape).reshape(-1, n)
    amb = ambiguous_rows(q2, o2)
    if not amb.any():
        return
    ra = np.flatnonzero(amb)
    t2 = np.broadcast_to(total, out.shape[:-1]).reshape(-1)
    w2 = np.broadcast_to(w, out.shape).reshape(-1, n)
    exact, ok = exact_hamilton(t2[ra], w2[ra].astype(np.int64), tie=tie)
    o2[ra[ok]] = exact[ok]
    if not np.shares_memory(o2, out):  # pragma: no cover - reshape of a fresh array is a view
        out[...] = o2.reshape(out.shape)


def equal_split(total: ArrayLike, members: ArrayLike, *, tie: TieRule = "index") -> NDArray[np.int64]:
    """Split integer totals equally among the marked members, exactly, in integer arithmetic.

    The result is the largest-remainder (Hamilton) apportionment with equal weights: every marked
    member gets ``total // k`` and, since all remainders tie, the ``total % k`` units left go one
    each to the first marked members in the order of ``tie`` (``"index"``, ``"larger_quota"`` and
    ``"smaller_quota"``: lowest index first, as the quotas are equal; ``"reverse_index"``: highest
    index first).  It equals :func:`apportion` with 0/1 weights, without floating point, so it is
    exact for any total that fits in int64.

    Parameters
    ----------
    total
        Integer amount per row, shape ``(...)``, non-negative. [yen]
    members
        Boolean array ``(..., N)``: ``True`` for the members sharing the row's total. [1]
    tie
        Tie rule, see :data:`TIE_RULES`.

    Returns
    -------
    numpy.ndarray of int64, shape ``(..., N)``
        Marked members' shares differ by at most one unit and add up to ``total``; the others get 0.
        [yen]

    Raises
    ------
    ValidationError
        If a total is negative or not an integer, or a row with a non-zero total marks nobody.

    Examples
    --------
    >>> equal_split(100, [True, True, False, True]).tolist()
    [34, 33, 0, 33]
    """
    check_tie(tie)
    m = np.asarray(members)
    if m.dtype != np.bool_:
        raise ValidationError(f"members must be a boolean array, got dtype {m.dtype}")
    if m.ndim == 0:
        raise ValidationError("members must have a member axis, got a scalar")
    t = np.asarray(total)
    if not np.issubdtype(t.dtype, np.integer):
        raise ValidationError(f"total must be integer yen, got dtype {t.dtype}")
    t = t.astype(np.int64)
    if np.any(t < 0):
        raise ValidationError("total must be >= 0")
    k = m.sum(axis=-1, dtype=np.int64)
    k, t = np.broadcast_arrays(k, t)
    if np.any((k == 0) & (t != 0)):
        raise ValidationError("a row marks no member but its total is not 0")
    base, rest = np.divmod(t, np.maximum(k, 1))
    if tie == "reverse_index":
        pos = np.cumsum(m[..., ::-1], axis=-1, dtype=np.int64)[..., ::-1]
    else:
        pos = np.cumsum(m, axis=-1, dtype=np.int64)
    # pos is the 1-based position of each marked member in the order units are handed out
    out: NDArray[np.int64] = np.where(m, base[..., None] + (pos <= rest[..., None]), 0).astype(np.int64)
    return out
