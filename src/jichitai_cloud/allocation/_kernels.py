"""Cost allocation kernels (費用按分): split a total among members exactly, in integer yen.

Pure functions over numpy arrays; the only imports are numpy and :mod:`jichitai_cloud.errors`.
A leading scenario axis broadcasts.  There is no Python loop over members or scenarios: the only
loops are over blocks of scenarios (to bound memory) and over refinement rounds of the cap/floor
redistribution (at most ``N + 1``; in practice two or three).

The method
----------
1. **Rule quotas.**  Driver ``d`` (a column of ``drivers``) receives the part
   ``ratios[d] / sum(ratios)`` of the total and splits it in proportion to its column, so member
   ``i`` has the weight ``w_i = sum_d ratios[d] / sum(ratios) * drivers[i, d] / sum_j drivers[j, d]``
   and the quota ``total * w_i``.  A column of ones is the equal share (均等割), population the
   population share (人口割).
2. **Caps and floors (proportional redistribution).**  The exact (real-valued) shares are
   ``x_i = clip(lam * w_i, floor_i, cap_i)`` with ``lam`` chosen so that they add up to the total:
   what a capped member cannot take goes to the members still below their caps in proportion to
   their shares under the rule, repeated until nothing binds, and floors symmetrically.  ``lam`` is
   found by the active-set method of Bitran and Hax: compute ``lam`` from the members not yet fixed;
   if the members above their caps exceed by more in total than the members below their floors fall
   short, fix the former at their caps, otherwise the latter at their floors; repeat.  Each round
   fixes at least one member, so there are at most ``N`` rounds.
3. **Rounding to whole units.**  The shares are rounded to multiples of ``unit`` so that each row
   adds up to its total exactly and no cap or floor is broken (see :func:`split_costs`).

References
----------
Bitran, G. R. and Hax, A. C. (1981). Disaggregation and resource allocation using convex knapsack
problems with bounded variables. *Management Science* 27(4), 431-441.

Balinski, M. L. and Young, H. P. (2001). *Fair Representation*, 2nd ed., ch. 2 (Hamilton's method).

富山県情報システム共同利用推進協議会事務局 (2016). 富山県情報システム共同利用推進協議会における
自治体クラウド導入について, 7. 導入効果 (均等割:人口割 = 3:7, 最低3割削減を保障).
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._numeric._apportion import (
    TieRule,
    bucket_count,
    check_tie,
    first_by_rule,
    hamilton_from_buckets,
    select_in_buckets,
    select_top,
)
from ..errors import InfeasibleAllocation, ValidationError

__all__ = [
    "BINDING_CAP",
    "BINDING_FLOOR",
    "BINDING_NONE",
    "MAX_TOTAL",
    "MAX_UNITS",
    "ROUNDINGS",
    "Rounding",
    "SplitDetail",
    "split_costs",
]

Rounding = Literal["largest_remainder", "floor_then_lead"]
ROUNDINGS: tuple[Rounding, ...] = ("largest_remainder", "floor_then_lead")

#: Largest total accepted. [yen]
MAX_TOTAL = 2**62
#: Largest number of whole units (``total // unit``) accepted: quotas are float64, exact to 2**53.
MAX_UNITS = 2**52

#: Codes of :attr:`SplitDetail.binding`.
BINDING_NONE, BINDING_CAP, BINDING_FLOOR = 0, 1, -1

#: Elements (scenarios x members) processed per block: keeps temporaries small and in cache.
_BLOCK_ELEMENTS = 1 << 17

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


class SplitDetail(NamedTuple):
    """Result of :func:`split_costs` with ``return_binding=True``.

    Attributes
    ----------
    shares
        Integer shares, shape ``(N,)`` or ``(..., N)``. [yen]
    binding
        Per member ``1`` (:data:`BINDING_CAP`) if its cap binds (it was held at its cap and the
        excess went to others), ``-1`` (:data:`BINDING_FLOOR`) if its floor binds, else ``0``;
        int8, same shape as ``shares``.
    """

    shares: IntArray
    binding: NDArray[np.int8]


# --------------------------------------------------------------------------------------------------
# input checking
# --------------------------------------------------------------------------------------------------
def _int_array(value: ArrayLike, name: str) -> IntArray:
    try:
        arr = np.asarray(value)
    except OverflowError:
        raise ValidationError(f"{name} is out of range for 64-bit integers [yen]") from None
    if arr.dtype == object:
        try:
            arr = np.asarray(value, dtype=np.int64)
        except (OverflowError, TypeError, ValueError):
            raise ValidationError(f"{name} must be integer yen (at most {MAX_TOTAL:,}), got {value!r}") from None
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        raise ValidationError(
            f"{name} must be integer yen, got dtype {arr.dtype} (money is never a float; round it first)"
        )
    if arr.dtype == np.uint64 and arr.size and int(arr.max()) > np.iinfo(np.int64).max:
        raise ValidationError(f"{name} is out of range for 64-bit integers [yen]")
    return arr.astype(np.int64, copy=False)


def _where(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def _real_array(value: ArrayLike, name: str) -> NDArray[np.generic]:
    arr = np.asarray(value)
    if arr.dtype == np.bool_:
        arr = arr.astype(np.int64)
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValidationError(f"{name} must be real numbers, got dtype {arr.dtype}")
    return arr


def _check_nonneg_finite(arr: NDArray[Any], name: str, offset: tuple[int, ...] = ()) -> None:
    """Raise if any entry is NaN, infinite or negative, naming the first one."""
    if arr.size == 0:
        return
    if np.issubdtype(arr.dtype, np.integer):
        if arr.min() >= 0:
            return
        bad = ~(arr >= 0)
    else:
        lo = arr.min()
        if lo >= 0 and np.isfinite(arr.max()):
            return
        bad = ~(np.isfinite(arr) & (arr >= 0))
    pos = tuple(int(v) for v in np.unravel_index(int(np.argmax(bad)), arr.shape))
    full = tuple(o + p for o, p in zip(offset + (0,) * (len(pos) - len(offset)), pos, strict=True))
    raise ValidationError(
        f"{name}{_where(full)} is {arr[pos]!r}: {name} must be finite and >= 0 "
        "(nothing is clipped or skipped; fix the input)"
    )


def _scenario(leading: tuple[int, ...], s: int) -> str:
    if not leading:
        return ""
    return f"scenario {_where(tuple(int(v) for v in np.unravel_index(s, leading)))}: "


def _row_sums_exact(a: IntArray) -> list[int]:
    """Exact row sums of non-negative int64 values as Python ints (error path only)."""
    return [int(sum(int(v) for v in row)) for row in a]


def _sum_at_least(a: IntArray, k: IntArray, bound: int) -> BoolArray:
    """``sum(a[r]) >= k[r]`` exactly, for rows of non-negative int64 each at most ``bound``."""
    n = a.shape[-1]
    if bound * max(n, 1) < 2**62:
        return np.asarray(a.sum(axis=-1) >= k)
    mask = (1 << 31) - 1
    hi = (a >> 31).sum(axis=-1)
    lo = (a & mask).sum(axis=-1)
    hi += lo >> 31
    lo &= mask
    khi, klo = k >> 31, k & mask
    return np.asarray((hi > khi) | ((hi == khi) & (lo >= klo)))


def _fmt(x: int) -> str:
    return f"{x:,}"


# --------------------------------------------------------------------------------------------------
# the kernel
# --------------------------------------------------------------------------------------------------
@overload
def split_costs(
    total: ArrayLike, drivers: ArrayLike, ratios: ArrayLike, *, caps: ArrayLike | None = ...,
    floors: ArrayLike | None = ..., rounding: Rounding = ..., unit: int = ..., tie: TieRule = ...,
    lead: ArrayLike | None = ..., block_size: int | None = ..., out: IntArray | None = ...,
    return_binding: Literal[False] = ...,
) -> IntArray: ...


@overload
def split_costs(
    total: ArrayLike, drivers: ArrayLike, ratios: ArrayLike, *, caps: ArrayLike | None = ...,
    floors: ArrayLike | None = ..., rounding: Rounding = ..., unit: int = ..., tie: TieRule = ...,
    lead: ArrayLike | None = ..., block_size: int | None = ..., out: IntArray | None = ...,
    return_binding: Literal[True],
) -> SplitDetail: ...


def split_costs(
    total: ArrayLike,
    drivers: ArrayLike,
    ratios: ArrayLike,
    *,
    caps: ArrayLike | None = None,
    floors: ArrayLike | None = None,
    rounding: Rounding = "largest_remainder",
    unit: int = 1,
    tie: TieRule = "index",
    lead: ArrayLike | None = None,
    block_size: int | None = None,
    out: IntArray | None = None,
    return_binding: bool = False,
) -> IntArray | SplitDetail:
    """Split a total among members by weighted cost drivers, exactly, with caps and floors.

    Driver ``d`` receives the part ``ratios[d] / sum(ratios)`` of the total and splits it in
    proportion to its column of ``drivers``; with the columns *ones* and *population* and
    ``ratios=[3, 7]`` this is 均等割:人口割 = 3:7.  Caps and floors are met by proportional
    redistribution: what a capped member cannot take goes to the members still below their caps in
    proportion to their shares under the rule (so the ratio between any two unconstrained members'
    shares is unchanged), repeated until nothing binds; floors symmetrically.  The exact shares are
    then rounded to whole units.

    Parameters
    ----------
    total
        Amount to split, integer, ``>= 0``: a scalar or an array of shape ``(S,)`` (one per
        scenario; any leading shape broadcasts).  At most ``2**62`` and at most ``2**52`` units. [yen]
    drivers
        Cost drivers, shape ``(N, D)`` or ``(S, N, D)``, finite and ``>= 0``; one column per
        driver (ones for the equal share, population for the population share, or any measure the
        council agrees on). [any unit per column]
    ratios
        Weight of each driver, shape ``(D,)`` or ``(S, D)``, finite, ``>= 0``, not all zero (3:7 is
        ``[3, 7]``).  A driver with a positive ratio needs a column that is not all zero (unless the
        total is zero). [1]
    caps
        ``None`` or the most each member may pay, integer ``>= 0``, shape ``(N,)`` or ``(S, N)``.
        With ``unit > 1`` a cap acts as ``floor(cap / unit)`` whole units. [yen]
    floors
        ``None`` or the least each member must pay, integer ``>= 0``, shape ``(N,)`` or ``(S, N)``.
        With ``unit > 1`` a floor acts as ``ceil(floor / unit)`` whole units. [yen]
    rounding
        ``"largest_remainder"`` (Hamilton, the default): each exact share is rounded down to a
        whole unit and the units still missing go, one each, to the members with the largest
        remainders; a member with a strictly larger remainder is never passed over for one with a
        smaller (among members below their caps); exact ties are broken by ``tie``.  Every share is
        then within one unit of its exact share.
        ``"floor_then_lead"``: every share is rounded down and the whole remainder (端数) goes to
        one designated member, ``lead``, the usual Japanese practice of adjusting at the largest
        member; if the lead's cap cannot take all of it, the rest follows the largest-remainder
        order.  Shares other than the lead's are within one unit below their exact shares.
    unit
        Rounding unit, a positive integer: 1 (yen, default) or e.g. 1000 (千円単位). [yen]
        Shares are multiples of ``unit`` except for the sub-unit remainder ``total % unit`` of a
        total that is not a multiple of ``unit``: those yen are added to one member, the member
        that would receive the next whole unit (under ``"largest_remainder"`` the member with the
        largest remainder among those that did not receive a unit; under ``"floor_then_lead"`` the
        lead if its cap allows), so every row still adds up to its total exactly and every share
        stays within one unit of its exact share.
    tie
        Tie rule for equal remainders: ``"index"`` (the member listed first, default),
        ``"reverse_index"``, ``"larger_quota"`` or ``"smaller_quota"`` (then the member listed
        first).
    lead
        For ``"floor_then_lead"``: index of the member that takes the remainder, an integer or an
        integer array of shape ``(S,)``.  Default: the member with the largest exact share among
        those below their caps (ties: the member listed first).
    block_size
        Scenarios processed per block (memory is bounded by the block, not by ``S``); default: about
        131,072 scenario-members per block. [scenarios]
    out
        Optional int64 array of the result's shape to write the shares into (saves allocating the
        result when the same shape is computed repeatedly). [yen]
    return_binding
        Also return which caps and floors bind (see :class:`SplitDetail`).

    Returns
    -------
    numpy.ndarray of int64, shape ``(N,)`` or ``(..., N)``; or :class:`SplitDetail`
        The shares: every row adds up to its total exactly; no share is above its cap or below its
        floor; a member whose drivers (with positive ratio) are all zero gets zero unless its floor
        says otherwise. [yen]

    Raises
    ------
    ValidationError
        NaN, infinite or negative input; a non-integer total, cap or floor; shapes that do not
        agree; a driver with positive ratio whose column is all zero while the total is positive.
    InfeasibleAllocation
        A member's floor is above its cap; the floors add up to more than the total; the caps add
        up to less than the total; or the caps of the members that have a share under the rule add
        up to less than the total (members with zero drivers only take their floors).  The message
        says by how much.

    Notes
    -----
    Quotas are computed in float64.  Sums over members of integer drivers are exact (below
    ``2**53``), so members with equal drivers get equal quotas bit for bit and permuting members
    permutes the result.  Remainders that are equal in exact arithmetic but reached by different
    float operations may differ in their last bit; the rounding then follows the computed values
    (every guarantee above still holds).

    References
    ----------
    Bitran, G. R. and Hax, A. C. (1981). Disaggregation and resource allocation using convex
    knapsack problems with bounded variables. *Management Science* 27(4), 431-441.

    Balinski, M. L. and Young, H. P. (2001). *Fair Representation*, 2nd ed., ch. 2.

    富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果: 均等割:人口割 = 3:7.

    Examples
    --------
    >>> import numpy as np
    >>> drivers = np.array([[1, 95_000], [1, 40_000], [1, 25_000]])   # equal, population
    >>> split_costs(1_000_000, drivers, [3, 7]).tolist()
    [515625, 275000, 209375]
    >>> split_costs(1_000_000, drivers, [3, 7], caps=[450_000, 10**9, 10**9]).tolist()
    [450000, 312258, 237742]
    """
    check_tie(tie)
    if rounding not in ROUNDINGS:
        raise ValidationError(f"rounding must be one of {', '.join(map(repr, ROUNDINGS))}, got {rounding!r}")
    if isinstance(unit, bool) or not isinstance(unit, int | np.integer) or unit < 1:
        raise ValidationError(f"unit must be a positive integer [yen], e.g. 1 or 1000, got {unit!r}")
    u = int(unit)

    t_arr = _int_array(total, "total")
    x_arr = _real_array(drivers, "drivers")
    r_arr = _real_array(ratios, "ratios").astype(np.float64)
    if x_arr.ndim < 2:
        raise ValidationError(f"drivers must have shape (N, D) or (S, N, D), got shape {x_arr.shape}")
    n, d = x_arr.shape[-2], x_arr.shape[-1]
    if n == 0 or d == 0:
        raise ValidationError(f"drivers need at least one member and one driver, got shape {x_arr.shape}")
    if r_arr.ndim < 1 or r_arr.shape[-1] != d:
        raise ValidationError(f"ratios must have {d} entries (one per driver column), got shape {r_arr.shape}")
    c_arr = None if caps is None else _int_array(caps, "caps")
    f_arr = None if floors is None else _int_array(floors, "floors")
    for arr, name in ((c_arr, "caps"), (f_arr, "floors")):
        if arr is not None and (arr.ndim < 1 or arr.shape[-1] != n):
            raise ValidationError(f"{name} must have shape (N,) or (S, N) with N = {n}, got {arr.shape}")
    l_arr = None
    if lead is not None:
        if rounding != "floor_then_lead":
            raise ValidationError("lead is used only with rounding='floor_then_lead'")
        l_arr = _int_array(lead, "lead")
        if l_arr.size and (l_arr.min() < 0 or l_arr.max() >= n):
            raise ValidationError(f"lead must be a member index 0..{n - 1}, got {lead!r}")

    shapes = [t_arr.shape, x_arr.shape[:-2], r_arr.shape[:-1]]
    shapes += [a.shape[:-1] for a in (c_arr, f_arr) if a is not None]
    if l_arr is not None:
        shapes.append(l_arr.shape)
    try:
        leading = np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValidationError(
            "the scenario axes do not broadcast: total "
            f"{t_arr.shape}, drivers {x_arr.shape}, ratios {r_arr.shape}"
            + (f", caps {c_arr.shape}" if c_arr is not None else "")
            + (f", floors {f_arr.shape}" if f_arr is not None else "")
        ) from None
    s_count = int(np.prod(leading, dtype=np.int64)) if leading else 1

    # small inputs: check in full
    _check_nonneg_finite(t_arr, "total")
    if t_arr.size and int(t_arr.max()) > MAX_TOTAL:
        raise ValidationError(f"total must be at most 2**62 = {MAX_TOTAL:,} [yen], got {int(t_arr.max()):,}")
    if t_arr.size and int(t_arr.max()) // u > MAX_UNITS:
        raise ValidationError(
            f"total / unit must be at most 2**52 = {MAX_UNITS:,} units for exact rounding, got "
            f"{int(t_arr.max()) // u:,} units of {u:,} yen (use a larger unit)"
        )
    _check_nonneg_finite(r_arr, "ratios")
    if np.any(r_arr.sum(axis=-1) <= 0):
        raise ValidationError(f"ratios must not be all zero, got {r_arr.tolist()!r}")

    def flat(a: NDArray[np.generic], trailing: tuple[int, ...]) -> NDArray[np.generic]:
        return np.broadcast_to(a, leading + trailing).reshape((s_count, *trailing))

    tot = flat(t_arr, ())
    rat = flat(r_arr, (d,))
    led = None if l_arr is None else flat(l_arr, ())
    bounds: list[NDArray[np.generic] | None] = []
    for arr, name in ((c_arr, "caps"), (f_arr, "floors")):
        if arr is not None and arr.ndim == 1:  # shared by every scenario: check once
            _check_nonneg_finite(arr, name)
        bounds.append(None if arr is None else flat(arr, (n,)))
    cap, flo = bounds
    check_bounds = (c_arr is not None and c_arr.ndim > 1, f_arr is not None and f_arr.ndim > 1)
    shared_x = x_arr.ndim == 2
    xsum_shared = None
    if shared_x:  # one driver table for every scenario: (1, N, D)
        _check_nonneg_finite(x_arr, "drivers")
        xs: NDArray[Any] = np.ascontiguousarray(np.moveaxis(x_arr, -1, 0), dtype=np.float64)[:, None, :]
        xsum_shared = _column_sums(xs)
    else:
        xs = flat(x_arr, (n, d))

    rows = block_size if block_size is not None else max(1, _BLOCK_ELEMENTS // n)
    if isinstance(rows, bool) or not isinstance(rows, int | np.integer) or rows < 1:
        raise ValidationError(f"block_size must be a positive integer [scenarios], got {block_size!r}")
    rows = min(int(rows), s_count)
    if out is None:
        result = np.empty((s_count, n), dtype=np.int64)
    else:
        if not isinstance(out, np.ndarray) or out.dtype != np.int64 or out.shape != (*leading, n) \
                or not out.flags.c_contiguous:
            raise ValidationError(f"out must be a C-contiguous int64 array of shape {(*leading, n)}")
        result = out.reshape(s_count, n)
    bind = np.zeros((s_count, n), dtype=np.int8) if return_binding else None
    work = _Work(rows, n, d, caps=cap is not None, floors=flo is not None, planes=not shared_x)
    for s0 in range(0, s_count, rows):  # blocks of scenarios, for bounded memory
        s1 = min(s_count, s0 + rows)
        if shared_x:
            xb, xsum = xs, xsum_shared
        else:
            raw = xs[s0:s1]
            # driver planes (D, R, N), contiguous float64: the arithmetic below runs on contiguous rows
            xb = work.x[:, : s1 - s0]
            np.copyto(xb, np.moveaxis(raw, -1, 0), casting="unsafe")
            if not xb.min() >= 0:  # NaN or negative (min propagates NaN); infinity shows in the sums
                _check_nonneg_finite(raw, "drivers", (s0,) if leading else ())
            xsum = _column_sums(xb)
        assert xsum is not None
        _block(
            result[s0:s1], None if bind is None else bind[s0:s1], s0, leading,
            np.asarray(tot[s0:s1], dtype=np.int64), xb, xsum, rat[s0:s1],
            _compact(cap, c_arr, s0, s1), _compact(flo, f_arr, s0, s1),
            None if led is None else led[s0:s1], u, rounding, tie, check_bounds, work,
        )
    shape = (*leading, n)
    shares = out if out is not None else result.reshape(shape)
    if bind is not None:
        return SplitDetail(shares, bind.reshape(shape))
    return shares


def _compact(flat_arr: NDArray[np.generic] | None, orig: NDArray[np.generic] | None, s0: int,
             s1: int) -> NDArray[np.generic] | None:
    """Rows s0:s1 of a cap/floor array, or its single row (1, N) when every scenario shares it."""
    if flat_arr is None or orig is None:
        return None
    if orig.ndim == 1 or flat_arr.strides[0] == 0:
        return flat_arr[s0:s0 + 1]
    return flat_arr[s0:s1]


class _Work:
    """Buffers for one block, allocated once per call and reused by every block.

    Reusing them (instead of allocating per block) avoids the page faults of fresh large
    allocations, which otherwise cost more than the arithmetic.
    """

    def __init__(self, rows: int, n: int, d: int, *, caps: bool, floors: bool, planes: bool) -> None:
        self.w = np.empty((rows, n), dtype=np.float64)
        self.p = np.empty((rows, n), dtype=np.float64)
        self.z = np.empty((rows, n), dtype=np.int64)
        self.zb = np.empty((rows, n), dtype=np.int64)
        self.mask = np.empty((rows, n), dtype=np.bool_)
        self.chosen = np.empty((rows, n), dtype=np.bool_)
        self.cwork = np.empty((rows, n), dtype=np.float64) if caps else None
        self.fwork = np.empty((rows, n), dtype=np.float64) if floors else None
        self.x = np.empty((d, rows if planes else 0, n), dtype=np.float64)


def _column_sums(x: FloatArray) -> FloatArray:
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


def _units(bound: NDArray[Any], u: int, *, up: bool) -> IntArray:
    """A cap (``up=False``, rounded down) or floor (``up=True``, rounded up) in whole units."""
    if u == 1:
        return np.asarray(bound, dtype=np.int64)
    return np.asarray(-((-bound) // u) if up else bound // u, dtype=np.int64)


def _block(
    out: IntArray,
    bind: NDArray[np.int8] | None,
    s0: int,
    leading: tuple[int, ...],
    total: IntArray,
    x: FloatArray,
    xsum: FloatArray,
    ratios: NDArray[np.generic],
    caps: NDArray[np.generic] | None,
    floors: NDArray[np.generic] | None,
    lead: NDArray[np.generic] | None,
    u: int,
    rounding: Rounding,
    tie: TieRule,
    check_bounds: tuple[bool, bool],
    work: _Work,
) -> None:
    """Allocate one block of R scenarios into ``out`` (R, N).

    ``x`` holds the driver planes, (D, R, N) or (D, 1, N) when shared; ``caps`` and ``floors`` are (R, N)
    or (1, N) when shared by every scenario.
    """
    rows, n = out.shape
    d = x.shape[0]
    planes = [x[j] for j in range(d)]  # (R or 1, N), contiguous
    xflat = [x[j].reshape(-1) for j in range(d)]  # flat views, for gathers
    k_units = total // u  # whole units per row
    rho = total - k_units * u  # sub-unit remainder [yen]
    k_ceil = k_units + (rho > 0)
    kmax = int(k_ceil.max(initial=0))
    mask = work.mask[:rows]

    # ---- bounds in whole units ((R, N) or (1, N)) --------------------------------------------------
    c_small: IntArray | None = None
    f_small: IntArray | None = None
    if caps is not None:
        if check_bounds[0]:
            _check_nonneg_finite(caps, "caps", (s0,) if leading else ())
        c_small = _units(caps, u, up=False)
        if int(c_small.max(initial=0)) > kmax:  # a cap above the total never binds: keep sums exact
            c_small = np.minimum(c_small, k_ceil[:, None])
    if floors is not None:
        if check_bounds[1]:
            _check_nonneg_finite(floors, "floors", (s0,) if leading else ())
        f_small = _units(floors, u, up=True)
    c_units = None if c_small is None else np.broadcast_to(c_small, (rows, n))
    f_units = None if f_small is None else np.broadcast_to(f_small, (rows, n))

    # ---- rule weights -----------------------------------------------------------------------------
    rn = ratios / ratios.sum(axis=-1, keepdims=True)  # (R, D)
    xs_t = np.broadcast_to(xsum, (d, rows))  # (D, R) column sums
    dead = (rn.T > 0) & (xs_t == 0) & (total > 0)[None, :]
    if np.any(dead):
        dd, rr = np.nonzero(dead)
        raise ValidationError(
            f"{_scenario(leading, s0 + int(rr[0]))}driver column {int(dd[0])} is zero for every member "
            f"but its ratio is {float(ratios[rr[0], dd[0]])!r} > 0: there is nobody to split that part by"
        )
    # Member i's weight is sum_d rn_d * x_id / X_d.  Each share x_id / X_d is one correctly rounded
    # division, so scaling a driver column by any factor that keeps it exact (e.g. persons ->
    # 10 persons) leaves the weights bit for bit unchanged.  Weights are kept up to a factor per row
    # (which the redistribution absorbs): divided by the ratio of a driver present in every row.
    beta = np.where(xs_t > 0, rn.T, 0.0)  # (D, R): ratio of each driver that has something to split
    xs_safe = np.where(xs_t > 0, xs_t, 1.0)
    has_all = (beta > 0).all(axis=1)
    ref = int(np.argmax(has_all)) if has_all.any() else -1
    # (with no driver positive in every row of the block, e.g. a sweep 0:10 .. 10:0, keep beta)
    gamma = beta / beta[ref] if ref >= 0 else beta
    w = work.w[:rows]
    p = work.p[:rows]
    order = ([ref] if ref >= 0 else []) + [j for j in range(d) if j != ref and (beta[j] > 0).any()]
    if not order:
        w[...] = 0.0
    for k, j in enumerate(order):  # loop over drivers (D is small), not members
        target_buf = w if k == 0 else p
        np.divide(planes[j], xs_safe[j][:, None], out=target_buf)
        if j != ref:
            target_buf *= gamma[j][:, None]
        if k > 0:
            w += p
    any_zero = not bool(w.min() > 0)
    positive = w > 0 if any_zero else None

    # ---- feasibility (exact integer arithmetic) ---------------------------------------------------
    _feasibility(c_units, f_units, positive, k_units, k_ceil, total, u, s0, leading)

    # ---- exact shares: proportional redistribution (Bitran-Hax active set) ------------------------
    # Everything is measured in units of 1/nb of a rounding unit (nb = a power of two, so scaling
    # is exact): the exact shares come out as q * nb, ready for the rounding step below.
    nb = bucket_count(n)
    target = (k_units.astype(np.float64) + rho.astype(np.float64) / u) * nb  # total [1/nb units]
    shared = x.shape[1] == 1
    starts_at = np.arange(rows + 1, dtype=np.int64) * n  # flat index where each row begins
    if f_small is None and c_small is not None:
        _caps_only(p, w, gamma, xs_t, planes, xflat, shared, c_small, nb, target, starts_at, mask, work, bind)
    elif f_small is not None or c_small is not None:
        _caps_and_floors(p, w, gamma, xs_t, planes, xflat, shared, c_small, f_small, nb, target, starts_at, mask,
                         work, bind)
    else:
        denom = np.where(xs_t > 0, gamma, 0.0).sum(axis=0)
        lam = np.where(denom > 0, target / np.where(denom > 0, denom, 1.0), 0.0)
        np.multiply(w, lam[:, None], out=p)
    qnb = p  # exact shares [1/nb units]

    # ---- rounding to whole units ------------------------------------------------------------------
    # A free member ends with cap >= q >= floor (the last round found none outside), and a fixed
    # member's q is its bound exactly, so floor(q) is within the bounds: rounding down never breaks
    # a cap or a floor; units handed out below go only to members still below their caps.
    # With nb a power of two, z = floor(q * nb) gives both floor(q) = z >> log2(nb) and the bucket
    # of the remainder, z & (nb - 1), in integer arithmetic.
    z = work.z[:rows]
    np.copyto(z, qnb, casting="unsafe")  # truncation = floor, as q >= 0
    y = out
    fractions = _Fractions(qnb, nb)
    need_given = bool(np.any(rho > 0))
    if rounding == "largest_remainder" and not need_given and hamilton_from_buckets(
        z, work.zb[:rows], k_units, nb, y, key=fractions.at, tie=tie, quota=qnb,
        strict_zero=c_units is not None or positive is not None,
    ):
        if u > 1:
            y *= u
        return
    np.right_shift(z, nb.bit_length() - 1, out=y)
    np.bitwise_and(z, nb - 1, out=z)
    if rounding == "floor_then_lead":
        _snap_whole_quotas(y, z, qnb, nb, k_units)
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

    given = _hand_out(y, given, z, fractions, missing, c_units, f_units, positive, tie, need_given,
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


def _snap_whole_quotas(y: IntArray, z: IntArray, qnb: FloatArray, nb: int, k_units: IntArray) -> None:
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


def _caps_only(
    p: FloatArray, w: FloatArray, alpha: FloatArray, xs_t: FloatArray, planes: list[FloatArray],
    xflat: list[FloatArray], shared: bool, c_small: IntArray, nb: int, target: FloatArray, starts_at: IntArray, mask: BoolArray,
    work: _Work, bind: NDArray[np.int8] | None,
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


def _caps_and_floors(
    p: FloatArray, w: FloatArray, alpha: FloatArray, xs_t: FloatArray, planes: list[FloatArray],
    xflat: list[FloatArray], shared: bool, c_small: IntArray | None, f_small: IntArray | None, nb: int, target: FloatArray,
    starts_at: IntArray, mask: BoolArray, work: _Work, bind: NDArray[np.int8] | None,
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


class _Fractions:
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


def _hand_out(
    y: IntArray,
    given: BoolArray | None,
    bucket: IntArray,
    fractions: _Fractions,
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


def _feasibility(
    c_units: IntArray | None,
    f_units: IntArray | None,
    positive: BoolArray | None,
    k_units: IntArray,
    k_ceil: IntArray,
    total: IntArray,
    u: int,
    s0: int,
    leading: tuple[int, ...],
) -> None:
    """Raise :class:`InfeasibleAllocation` (saying by how much) if caps and floors cannot be met."""
    unit_note = f" (in whole units of {u:,} yen)" if u > 1 else ""
    if c_units is not None and f_units is not None:
        bad = f_units > c_units
        if bad.any():
            br, bi = (int(v) for v in np.unravel_index(int(np.argmax(bad)), bad.shape))
            raise InfeasibleAllocation(
                f"{_scenario(leading, s0 + br)}member {bi} has floor {_fmt(int(f_units[br, bi]) * u)} yen "
                f"above its cap {_fmt(int(c_units[br, bi]) * u)} yen{unit_note} by "
                f"{_fmt((int(f_units[br, bi]) - int(c_units[br, bi])) * u)} yen"
            )
    if f_units is not None:
        fcl = np.minimum(f_units, k_units[:, None] + 1)
        ok = ~_sum_at_least(fcl, k_units + 1, int(k_units.max(initial=0)) + 1)
        if not ok.all():
            r = int(np.argmin(ok))
            have = _row_sums_exact(f_units[r:r + 1])[0] * u
            raise InfeasibleAllocation(
                f"{_scenario(leading, s0 + r)}the floors add up to {_fmt(have)} yen{unit_note}, more than "
                f"the total {_fmt(int(total[r]))} yen by {_fmt(have - int(total[r]))} yen"
            )
    if c_units is not None:
        bound = int(k_ceil.max(initial=0))
        ok = _sum_at_least(c_units, k_ceil, bound)
        if not ok.all():
            r = int(np.argmin(ok))
            have = _row_sums_exact(c_units[r:r + 1])[0] * u
            raise InfeasibleAllocation(
                f"{_scenario(leading, s0 + r)}the caps add up to {_fmt(have)} yen{unit_note}, less than "
                f"the total {_fmt(int(total[r]))} yen by {_fmt(int(total[r]) - have)} yen"
            )
    if positive is not None:
        cap_pos = (np.where(positive, c_units, 0) if c_units is not None
                   else np.where(positive, k_ceil[:, None], 0))
        if f_units is not None:
            cap_pos = cap_pos + np.where(positive, 0, np.minimum(f_units, k_ceil[:, None]))
        ok = _sum_at_least(cap_pos, k_ceil, int(k_ceil.max(initial=0)))
        if not ok.all():
            r = int(np.argmin(ok))
            have = _row_sums_exact(cap_pos[r:r + 1])[0] * u
            if not positive[r].any():
                raise ValidationError(
                    f"{_scenario(leading, s0 + r)}every member has zero weight under the rule but the total "
                    f"is {_fmt(int(total[r]))} yen"
                )
            raise InfeasibleAllocation(
                f"{_scenario(leading, s0 + r)}members with zero drivers take only their floors, and the caps of "
                f"the members with a share under the rule add up to {_fmt(have)} yen{unit_note} with those "
                f"floors, less than the total {_fmt(int(total[r]))} yen by {_fmt(int(total[r]) - have)} yen"
            )


