"""Cost allocation kernels (費用按分): split a total among members exactly, in integer yen.

Pure functions over numpy arrays; the only imports are numpy, :mod:`jichitai_cloud.errors`, the
shared numeric layer and the sibling modules of this package (one step of the method each).
Dask arrays are handed to the one dask dispatch, :func:`jichitai_cloud._numeric._dask.map_leading`,
which runs this kernel on their numpy chunks.
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

from typing import Any, Literal, NamedTuple, cast, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric._apportion import TieRule, bucket_count, check_tie
from ..._numeric._checks import check_nonneg_finite, int64_array, real_array
from ..._numeric._checks import scenario_text as _scenario
from ..._numeric._dask import any_dask, map_leading
from ...errors import ValidationError
from ._base import (
    MAX_TOTAL,
    MAX_UNITS,
    ROUNDINGS,
    Block,
    BoolArray,
    Bounds,
    FloatArray,
    IntArray,
    Rounding,
    SplitDetail,
    Work,
)
from ._feasibility import check_feasible
from ._redistribute import caps_and_floors, caps_only, column_sums
from ._rounding import exact_ties, round_shares

__all__ = ["split_costs"]

#: Elements (scenarios x members) processed per block: keeps temporaries small and in cache.
_BLOCK_ELEMENTS = 1 << 17


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

    Any argument with a scenario axis may be a dask array chunked along that axis (the ``scale``
    extra; the scenario axis must then be one axis, ``S``): the result is then a lazy dask array
    (or a :class:`SplitDetail` of two), chunked like the first dask argument, equal to the numpy
    result.  Errors are raised when a chunk is computed and name the chunk's scenarios.

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
    permutes the result.  With ``rounding="largest_remainder"``, ``unit=1`` and whole-number
    drivers, remainders are compared exactly: a scenario whose decision rests on a remainder
    difference within the quotas' float error (ties such as 140 yen over 4:1:7, or near-ties below
    float64 resolution) is redone in integer arithmetic, so exact ties follow ``tie`` and a member
    with a larger exact remainder is never passed over.  Otherwise (fractional drivers, ``unit > 1``,
    ``floor_then_lead``) remainders equal in exact arithmetic but reached by different float
    operations may differ in their last bit, and the rounding follows the computed values (every
    guarantee above still holds).

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
    if any_dask(total, drivers, ratios, caps, floors, lead):
        return _split_dask({"total": total, "drivers": drivers, "ratios": ratios, "caps": caps, "floors": floors,
                            "lead": lead}, out, return_binding,
                           {"rounding": rounding, "unit": unit, "tie": tie, "block_size": block_size})
    problem = _read_problem(total, drivers, ratios, caps, floors, rounding, unit, tie, lead)
    run = _Run(problem, block_size, out, return_binding)
    for s0 in range(0, problem.s_count, run.rows):  # blocks of scenarios, for bounded memory
        _block(run.block(s0))
    return run.result()


#: Each argument's shape without a scenario axis: an argument with one axis more has one (dask path).
_CORE_SHAPES = {"total": "()", "drivers": "(N, D)", "ratios": "(D,)", "caps": "(N,)", "floors": "(N,)",
                "lead": "()"}


def _split_dask(arrays: dict[str, Any], out: IntArray | None, return_binding: bool,
                options: dict[str, Any]) -> IntArray | SplitDetail:
    """The dask path of :func:`split_costs`: the same kernel over the chunks of the scenario axis."""
    if out is not None:
        raise ValidationError("out cannot be given with dask arrays (the result is a lazy dask array)")
    shape = np.shape(arrays["drivers"])  # a dask array's shape is known without computing it
    n = int(shape[-2]) if len(shape) >= 2 else 0  # (a wrong number of axes is reported by map_leading)
    parts = map_leading(split_costs, arrays, _CORE_SHAPES, {**options, "return_binding": return_binding},
                        tails=[(n,), (n,)] if return_binding else [(n,)],
                        dtypes=[np.int64, np.int8] if return_binding else [np.int64])
    if return_binding:
        return SplitDetail(parts[0], parts[1])
    return cast(IntArray, parts[0])


class _Problem(NamedTuple):
    """The checked inputs of :func:`split_costs`, flattened to S scenarios (S = prod of the leading shape)."""

    leading: tuple[int, ...]
    s_count: int
    n: int
    d: int
    unit: int
    rounding: Rounding
    tie: TieRule
    total: NDArray[Any]  # (S,)
    ratios: NDArray[Any]  # (S, D)
    lead: NDArray[Any] | None  # (S,)
    caps: NDArray[Any] | None  # (S, N), a broadcast view when shared
    floors: NDArray[Any] | None
    caps_in: NDArray[Any] | None  # as given
    floors_in: NDArray[Any] | None
    check_bounds: tuple[bool, bool]  # caps/floors per scenario: checked block by block
    x: NDArray[Any]  # (D, 1, N) shared, or (S, N, D)
    xsum_shared: FloatArray | None


def _check_options(rounding: Rounding, unit: int, tie: TieRule) -> int:
    check_tie(tie)
    if rounding not in ROUNDINGS:
        raise ValidationError(f"rounding must be one of {', '.join(map(repr, ROUNDINGS))}, got {rounding!r}")
    if isinstance(unit, bool) or not isinstance(unit, int | np.integer) or unit < 1:
        raise ValidationError(f"unit must be a positive integer [yen], e.g. 1 or 1000, got {unit!r}")
    return int(unit)


def _leading_shape(t_arr: NDArray[Any], x_arr: NDArray[Any], r_arr: NDArray[Any], c_arr: NDArray[Any] | None,
                   f_arr: NDArray[Any] | None, l_arr: NDArray[Any] | None) -> tuple[int, ...]:
    """The broadcast scenario shape of every input, or a ValidationError listing the shapes."""
    shapes = [t_arr.shape, x_arr.shape[:-2], r_arr.shape[:-1]]
    shapes += [a.shape[:-1] for a in (c_arr, f_arr) if a is not None]
    if l_arr is not None:
        shapes.append(l_arr.shape)
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        raise ValidationError(
            "the scenario axes do not broadcast: total "
            f"{t_arr.shape}, drivers {x_arr.shape}, ratios {r_arr.shape}"
            + (f", caps {c_arr.shape}" if c_arr is not None else "")
            + (f", floors {f_arr.shape}" if f_arr is not None else "")
        ) from None


def _check_total_and_ratios(t_arr: NDArray[Any], r_arr: NDArray[Any], u: int) -> None:
    check_nonneg_finite(t_arr, "total")
    if t_arr.size and int(t_arr.max()) > MAX_TOTAL:
        raise ValidationError(f"total must be at most 2**62 = {MAX_TOTAL:,} [yen], got {int(t_arr.max()):,}")
    if t_arr.size and int(t_arr.max()) // u > MAX_UNITS:
        raise ValidationError(
            f"total / unit must be at most 2**52 = {MAX_UNITS:,} units for exact rounding, got "
            f"{int(t_arr.max()) // u:,} units of {u:,} yen (use a larger unit)"
        )
    check_nonneg_finite(r_arr, "ratios")
    if np.any(r_arr.sum(axis=-1) <= 0):
        raise ValidationError(f"ratios must not be all zero, got {r_arr.tolist()!r}")


def _read_problem(total: ArrayLike, drivers: ArrayLike, ratios: ArrayLike, caps: ArrayLike | None,
                  floors: ArrayLike | None, rounding: Rounding, unit: int, tie: TieRule,
                  lead: ArrayLike | None) -> _Problem:
    """Check every input (shapes, dtypes, signs, limits) and flatten the scenario axes."""
    u = _check_options(rounding, unit, tie)
    t_arr = int64_array(total, "total", limit=MAX_TOTAL)
    x_arr = real_array(drivers, "drivers")
    r_arr = real_array(ratios, "ratios").astype(np.float64)
    if x_arr.ndim < 2:
        raise ValidationError(f"drivers must have shape (N, D) or (S, N, D), got shape {x_arr.shape}")
    n, d = x_arr.shape[-2], x_arr.shape[-1]
    if n == 0 or d == 0:
        raise ValidationError(f"drivers need at least one member and one driver, got shape {x_arr.shape}")
    if r_arr.ndim < 1 or r_arr.shape[-1] != d:
        raise ValidationError(f"ratios must have {d} entries (one per driver column), got shape {r_arr.shape}")
    c_arr = None if caps is None else int64_array(caps, "caps", limit=MAX_TOTAL)
    f_arr = None if floors is None else int64_array(floors, "floors", limit=MAX_TOTAL)
    for arr, name in ((c_arr, "caps"), (f_arr, "floors")):
        if arr is not None and (arr.ndim < 1 or arr.shape[-1] != n):
            raise ValidationError(f"{name} must have shape (N,) or (S, N) with N = {n}, got {arr.shape}")
    l_arr = None
    if lead is not None:
        if rounding != "floor_then_lead":
            raise ValidationError("lead is used only with rounding='floor_then_lead'")
        l_arr = int64_array(lead, "lead", limit=MAX_TOTAL)
        if l_arr.size and (l_arr.min() < 0 or l_arr.max() >= n):
            raise ValidationError(f"lead must be a member index 0..{n - 1}, got {lead!r}")
    leading = _leading_shape(t_arr, x_arr, r_arr, c_arr, f_arr, l_arr)
    s_count = int(np.prod(leading, dtype=np.int64)) if leading else 1
    _check_total_and_ratios(t_arr, r_arr, u)

    def flat(a: NDArray[Any], trailing: tuple[int, ...]) -> NDArray[Any]:
        return np.broadcast_to(a, leading + trailing).reshape((s_count, *trailing))

    for arr, name in ((c_arr, "caps"), (f_arr, "floors")):
        if arr is not None and arr.ndim == 1:  # shared by every scenario: check once
            check_nonneg_finite(arr, name)
    xsum_shared = None
    if x_arr.ndim == 2:  # one driver table for every scenario: (D, 1, N)
        check_nonneg_finite(x_arr, "drivers")
        xs: NDArray[Any] = np.ascontiguousarray(np.moveaxis(x_arr, -1, 0), dtype=np.float64)[:, None, :]
        xsum_shared = column_sums(xs)
    else:
        xs = flat(x_arr, (n, d))
    return _Problem(
        leading=leading, s_count=s_count, n=n, d=d, unit=u, rounding=rounding, tie=tie,
        total=flat(t_arr, ()), ratios=flat(r_arr, (d,)), lead=None if l_arr is None else flat(l_arr, ()),
        caps=None if c_arr is None else flat(c_arr, (n,)), floors=None if f_arr is None else flat(f_arr, (n,)),
        caps_in=c_arr, floors_in=f_arr,
        check_bounds=(c_arr is not None and c_arr.ndim > 1, f_arr is not None and f_arr.ndim > 1),
        x=xs, xsum_shared=xsum_shared,
    )


class _Run:
    """The output arrays and the reused buffers of one call; hands out the blocks."""

    def __init__(self, problem: _Problem, block_size: int | None, out: IntArray | None,
                 return_binding: bool) -> None:
        pb = problem
        rows = block_size if block_size is not None else max(1, _BLOCK_ELEMENTS // pb.n)
        if isinstance(rows, bool) or not isinstance(rows, int | np.integer) or rows < 1:
            raise ValidationError(f"block_size must be a positive integer [scenarios], got {block_size!r}")
        self.problem = pb
        self.rows = min(int(rows), pb.s_count)
        self.out = out
        if out is None:
            self.result_flat = np.empty((pb.s_count, pb.n), dtype=np.int64)
        else:
            if not isinstance(out, np.ndarray) or out.dtype != np.int64 or out.shape != (*pb.leading, pb.n) \
                    or not out.flags.c_contiguous:
                raise ValidationError(f"out must be a C-contiguous int64 array of shape {(*pb.leading, pb.n)}")
            self.result_flat = out.reshape(pb.s_count, pb.n)
        self.bind = np.zeros((pb.s_count, pb.n), dtype=np.int8) if return_binding else None
        self.shared_x = pb.xsum_shared is not None
        self.work = Work(self.rows, pb.n, pb.d, caps=pb.caps is not None, floors=pb.floors is not None,
                         planes=not self.shared_x)

    def block(self, s0: int) -> Block:
        """Scenarios ``s0 .. s0 + rows - 1``: their driver planes (checked), totals and bounds."""
        pb = self.problem
        s1 = min(pb.s_count, s0 + self.rows)
        if self.shared_x:
            xb, xsum = pb.x, pb.xsum_shared
        else:
            raw = pb.x[s0:s1]
            # driver planes (D, R, N), contiguous float64: the arithmetic runs on contiguous rows
            xb = self.work.x[:, : s1 - s0]
            np.copyto(xb, np.moveaxis(raw, -1, 0), casting="unsafe")
            if not xb.min() >= 0:  # NaN or negative (min propagates NaN); infinity shows in the sums
                check_nonneg_finite(raw, "drivers", (s0,) if pb.leading else ())
            xsum = column_sums(xb)
        assert xsum is not None
        return Block(
            out=self.result_flat[s0:s1], bind=None if self.bind is None else self.bind[s0:s1], s0=s0,
            leading=pb.leading, total=np.asarray(pb.total[s0:s1], dtype=np.int64), x=xb, xsum=xsum,
            ratios=pb.ratios[s0:s1], caps=_compact(pb.caps, pb.caps_in, s0, s1),
            floors=_compact(pb.floors, pb.floors_in, s0, s1), lead=None if pb.lead is None else pb.lead[s0:s1],
            unit=pb.unit, rounding=pb.rounding, tie=pb.tie, check_bounds=pb.check_bounds, work=self.work,
        )

    def result(self) -> IntArray | SplitDetail:
        shape = (*self.problem.leading, self.problem.n)
        shares = self.out if self.out is not None else self.result_flat.reshape(shape)
        if self.bind is not None:
            return SplitDetail(shares, self.bind.reshape(shape))
        return shares


def _compact(flat_arr: NDArray[np.generic] | None, orig: NDArray[np.generic] | None, s0: int,
             s1: int) -> NDArray[np.generic] | None:
    """Rows s0:s1 of a cap/floor array, or its single row (1, N) when every scenario shares it."""
    if flat_arr is None or orig is None:
        return None
    if orig.ndim == 1 or flat_arr.strides[0] == 0:
        return flat_arr[s0:s0 + 1]
    return flat_arr[s0:s1]



def _units(bound: NDArray[Any], u: int, *, up: bool) -> IntArray:
    """A cap (``up=False``, rounded down) or floor (``up=True``, rounded up) in whole units."""
    if u == 1:
        return np.asarray(bound, dtype=np.int64)
    return np.asarray(-((-bound) // u) if up else bound // u, dtype=np.int64)



def _block(blk: Block) -> None:
    """Allocate one block of R scenarios into ``blk.out`` (R, N): bounds, weights, feasibility, shares, rounding."""
    bounds = _bounds_in_units(blk)
    w, gamma, xs_t, positive = _rule_weights(blk)
    check_feasible(bounds.c_units, bounds.f_units, positive, bounds.k_units, bounds.k_ceil, blk.total, blk.unit,
                   blk.s0, blk.leading)
    nb = bucket_count(blk.out.shape[1])
    qnb = _exact_shares(blk, bounds, w, gamma, xs_t, nb)
    near = round_shares(blk, bounds, qnb, nb, positive)
    exact_ties(blk, bounds, qnb, nb, positive, near)


def _bounds_in_units(blk: Block) -> Bounds:
    """The block's totals, caps and floors in whole units (caps rounded down, floors up)."""
    rows, n = blk.out.shape
    u = blk.unit
    k_units = blk.total // u  # whole units per row
    rho = blk.total - k_units * u  # sub-unit remainder [yen]
    k_ceil = k_units + (rho > 0)
    kmax = int(k_ceil.max(initial=0))
    c_small: IntArray | None = None
    f_small: IntArray | None = None
    offset = (blk.s0,) if blk.leading else ()
    if blk.caps is not None:
        if blk.check_bounds[0]:
            check_nonneg_finite(blk.caps, "caps", offset)
        c_small = _units(blk.caps, u, up=False)
        if int(c_small.max(initial=0)) > kmax:  # a cap above the total never binds: keep sums exact
            c_small = np.minimum(c_small, k_ceil[:, None])
    if blk.floors is not None:
        if blk.check_bounds[1]:
            check_nonneg_finite(blk.floors, "floors", offset)
        f_small = _units(blk.floors, u, up=True)
    return Bounds(k_units=k_units, rho=rho, k_ceil=k_ceil, c_small=c_small, f_small=f_small,
                  c_units=None if c_small is None else np.broadcast_to(c_small, (rows, n)),
                  f_units=None if f_small is None else np.broadcast_to(f_small, (rows, n)))


def _rule_weights(blk: Block) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray | None]:
    """Each member's weight under the rule (up to a factor per row), into ``blk.work.w``.

    Returns ``(w, gamma, xs_t, positive)``: the weights (R, N), the driver factors (D, R), the
    column sums (D, R) and the members with a positive weight (None when all are positive).
    """
    rows, _n = blk.out.shape
    x, ratios, total = blk.x, blk.ratios, blk.total
    d = x.shape[0]
    planes = [x[j] for j in range(d)]  # (R or 1, N), contiguous
    xsum, leading, s0, work = blk.xsum, blk.leading, blk.s0, blk.work
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
    return w, gamma, xs_t, (w > 0 if any_zero else None)


def _exact_shares(blk: Block, bounds: Bounds, w: FloatArray, gamma: FloatArray, xs_t: FloatArray,
                  nb: int) -> FloatArray:
    """The exact shares in units of 1/nb of a rounding unit (``nb`` a power of two, so scaling is exact).

    Proportional redistribution under the caps and floors (Bitran-Hax active set); the result is
    ``blk.work.p`` (R, N), ready for the rounding step.
    """
    rows, n = blk.out.shape
    x, work, bind = blk.x, blk.work, blk.bind
    d = x.shape[0]
    planes = [x[j] for j in range(d)]  # (R or 1, N), contiguous
    xflat = [x[j].reshape(-1) for j in range(d)]  # flat views, for gathers
    mask = work.mask[:rows]
    p = work.p[:rows]
    c_small, f_small = bounds.c_small, bounds.f_small
    target = (bounds.k_units.astype(np.float64) + bounds.rho.astype(np.float64) / blk.unit) * nb  # [1/nb units]
    shared = x.shape[1] == 1
    starts_at = np.arange(rows + 1, dtype=np.int64) * n  # flat index where each row begins
    if f_small is None and c_small is not None:
        caps_only(p, w, gamma, xs_t, planes, xflat, shared, c_small, nb, target, starts_at, mask, work, bind)
    elif f_small is not None or c_small is not None:
        caps_and_floors(p, w, gamma, xs_t, planes, xflat, shared, c_small, f_small, nb, target, starts_at, mask,
                        work, bind)
    else:
        denom = np.where(xs_t > 0, gamma, 0.0).sum(axis=0)
        lam = np.where(denom > 0, target / np.where(denom > 0, denom, 1.0), 0.0)
        np.multiply(w, lam[:, None], out=p)
    return p
