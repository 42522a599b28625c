"""The one allocation pipeline: a council, a rule and the months -> arrays -> integer shares.

:func:`build` reads the council once (months on the cloud, segments of equal presence, driver
table, current costs, penalties, the lead); :meth:`Pipeline.arrays` turns it, with any per-scenario
values, into the kernel's arrays with a leading scenario axis; :func:`solve` runs
:func:`~jichitai_cloud.allocation.split_costs` under the guarantee's caps
(:func:`~jichitai_cloud.allocation.guarantee_caps`) with every penalty mode.
:func:`~jichitai_cloud.allocate` is the one-scenario case; :func:`~jichitai_cloud.allocation.simulate`
runs blocks of scenarios through the same two calls.

Penalty modes (違約金)
--------------------
* ``"member"``: each member bears its own penalty; if the guarantee counts it, the cap on the fee
  share is the guaranteed maximum less the penalty.
* ``"pooled"``: the pool is split by the same rule (months, rounding and all); if the guarantee
  counts it, fee and pool are split together under the caps and each member's net cost is divided
  into fee and penalty in proportion (largest remainder).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._numeric._apportion import apportion
from ..calendar import Month
from ..errors import InfeasibleAllocation, ValidationError
from ..model import Consortium, Municipality
from ._kernels import guarantee_caps, split_costs
from ._rule import AllocationRule
from ._time import Presence, Segment, presence, segment_drivers, segment_fees

__all__ = ["Arrays", "Pipeline", "Scenarios", "Solved", "build", "driver_matrix", "fee_total", "solve"]

IntArray = NDArray[np.int64]


def driver_matrix(members: Sequence[Municipality], names: Sequence[str]) -> NDArray[np.float64]:
    """``(N, D)`` driver values of the members for the rule's driver names.

    Raises
    ------
    UnknownMemberError
        If a member lacks a named driver (the message lists the drivers it has).
    """
    return np.array([[m.driver(d) for d in names] for m in members], dtype=np.float64).reshape(len(members),
                                                                                              len(names))


def fee_total(total_fee: int | Sequence[int]) -> tuple[int, tuple[int, ...] | None]:
    """The fee over the period and the monthly schedule (None for one total). [yen]"""
    if isinstance(total_fee, bool):
        raise ValidationError(f"total_fee must be integer yen, got {total_fee!r}")
    if isinstance(total_fee, int | np.integer):
        if total_fee < 0:
            raise ValidationError(f"total_fee must be >= 0 [yen], got {total_fee!r}")
        return int(total_fee), None
    if isinstance(total_fee, str) or not isinstance(total_fee, Sequence | np.ndarray):
        raise ValidationError(f"total_fee must be integer yen or a list of monthly fees [yen], got {total_fee!r}")
    fees = []
    for i, x in enumerate(total_fee):
        if isinstance(x, bool) or not isinstance(x, int | np.integer) or x < 0:
            raise ValidationError(f"monthly fee {i + 1} must be integer yen >= 0, got {x!r}")
        fees.append(int(x))
    return sum(fees), tuple(fees)


def pct(x: float | None) -> str:
    """A rate as text with one decimal, ``—`` for None. [%]"""
    return "—" if x is None else f"{100 * x:.1f} %"


def _check_segments(rule: AllocationRule, pres: Presence, fees: Sequence[int], x: NDArray[np.float64]) -> None:
    """Name the driver and months when a driver with a weight is zero for everyone present."""
    mat, segs = pres.matrix()
    for g, (a, c) in enumerate(segs):
        if fees[g] <= 0:
            continue
        for d, (name, weight) in enumerate(rule.ratios.items()):
            if weight > 0 and not (x[mat[:, g], d] > 0).any():
                raise ValidationError(
                    f"driver {name!r} (weight {weight:g}) is 0 for every member on the cloud in "
                    f"{(pres.period_start + a).iso()}..{(pres.period_start + (c - 1)).iso()} "
                    f"({', '.join(c2 for i, c2 in enumerate(pres.codes) if mat[i, g]) or 'nobody'}): "
                    "there is nobody to split that part of the fee by"
                )


def _lead_index(council: Consortium, rule: AllocationRule) -> int | None:
    if rule.lead is None:
        return None
    if rule.rounding != "floor_then_lead":
        raise ValidationError("rule.lead is used only with rounding 'floor_then_lead'")
    return council.index(rule.lead)


def _scenario_array(value: ArrayLike | None, name: str, shape_tail: tuple[int, ...]) -> NDArray[Any] | None:
    if value is None:
        return None
    arr = np.asarray(value)
    if arr.ndim != 1 + len(shape_tail) or arr.shape[1:] != shape_tail:
        raise ValidationError(f"{name} must have shape (S, {', '.join(map(str, shape_tail))}) "
                              f"[one row per scenario], got {arr.shape}")
    return arr


@attrs.frozen(kw_only=True)
class Scenarios:
    """Per-scenario values replacing the council's own (each with one row per scenario, S rows).

    ``populations`` (S, N) [persons], ``total_fees`` (S,) [yen], ``ratios`` (S, D) [1],
    ``current_costs`` (S, N) [yen], ``drivers`` name -> (S, N) [driver units]; ``count`` is S
    (1 when nothing varies).
    """

    count: int = 1
    populations: NDArray[Any] | None = None
    total_fees: NDArray[Any] | None = None
    ratios: NDArray[Any] | None = None
    current_costs: NDArray[Any] | None = None
    drivers: Mapping[str, NDArray[Any]] = attrs.field(factory=dict)

    @property
    def varies(self) -> bool:
        """Whether any value differs between scenarios."""
        return any(a is not None for a in (self.populations, self.total_fees, self.ratios, self.current_costs)) \
            or bool(self.drivers)


@attrs.frozen(kw_only=True)
class Arrays:
    """The kernel's inputs for R scenarios (or for the one scenario, without a scenario axis).

    ``totals`` () or (R,) [yen]; ``drivers`` (N, K) or (R, N, K) and ``ratios`` (K,) or (R, K): the
    rule's drivers per segment of months (see :func:`~jichitai_cloud.allocation._time.segment_drivers`);
    ``caps`` None, (N,) or (R, N): the guaranteed maximum of each fee share [yen], less the member's
    own penalty where the guarantee counts it; ``full_caps`` the guaranteed maximum itself [yen].
    """

    totals: IntArray
    drivers: NDArray[np.float64]
    ratios: NDArray[np.float64]
    caps: IntArray | None
    full_caps: IntArray | None


@attrs.frozen(kw_only=True)
class Solved:
    """Shares of R scenarios, each (R, N): fee shares, caps binding, penalties borne, caps, rule shares. [yen]"""

    shares: IntArray
    binding: NDArray[np.bool_]
    penalties: IntArray
    caps: IntArray | None
    rule_shares: IntArray | None


@attrs.frozen(kw_only=True)
class Pipeline:
    """A council read once for allocating: who is on the cloud when, and the arrays that do not vary."""

    council: Consortium
    rule: AllocationRule
    presence: Presence
    segments: tuple[Segment, ...]
    fees: tuple[int, ...]
    total: int
    monthly: tuple[int, ...] | None
    drivers: NDArray[np.float64]  # (N, D)
    current_costs: IntArray  # (N,)
    penalties: IntArray  # (N,)
    lead: int | None
    scenarios: Scenarios = attrs.field(factory=Scenarios)

    @property
    def pool(self) -> int:
        """The penalties pooled and split by the rule (0 when members bear their own). [yen]"""
        return int(self.penalties.sum()) if self.rule.penalty_sharing == "pooled" else 0

    def with_scenarios(self, *, populations: ArrayLike | None = None, total_fees: ArrayLike | None = None,
                       ratios: ArrayLike | None = None, current_costs: ArrayLike | None = None,
                       drivers: Mapping[str, ArrayLike] | None = None) -> Pipeline:
        """The pipeline with per-scenario values (checked: shapes, the number of scenarios, dtypes)."""
        n = len(self.council.members)
        names = self.rule.drivers
        pop = _scenario_array(populations, "populations", (n,))
        tot = _scenario_array(total_fees, "total_fees", ())
        rat = _scenario_array(ratios, "ratios", (len(names),))
        cur = _scenario_array(current_costs, "current_costs", (n,))
        extra: dict[str, NDArray[Any]] = {}
        for k, v in (drivers or {}).items():
            if k not in names:
                raise ValidationError(f"drivers[{k!r}] is not a driver of the rule {list(names)}")
            arr = _scenario_array(v, f"drivers[{k!r}]", (n,))
            assert arr is not None
            extra[k] = arr
        sizes = {a.shape[0] for a in (pop, tot, rat, cur, *extra.values()) if a is not None}
        if len(sizes) > 1:
            raise ValidationError(f"the scenario arrays disagree on the number of scenarios: {sorted(sizes)}")
        if pop is not None and "population" not in names:
            raise ValidationError("populations are given but the rule has no 'population' driver")
        if tot is not None:
            if self.monthly is not None:
                raise ValidationError("give either total_fees per scenario or a monthly schedule, not both")
            if not np.issubdtype(tot.dtype, np.integer):
                raise ValidationError(f"total_fees must be integer yen, got dtype {tot.dtype}")
        if cur is not None and (cur < 0).any():
            raise ValidationError("current_costs must be >= 0 [yen]")
        scen = Scenarios(count=sizes.pop() if sizes else 1, populations=pop, total_fees=tot, ratios=rat,
                         current_costs=cur, drivers=extra)
        return attrs.evolve(self, scenarios=scen)

    def arrays(self, s0: int = 0, s1: int | None = None, *, check: bool = True) -> Arrays:
        """The kernel's arrays for scenarios ``s0 .. s1 - 1`` (all of them without a scenario axis
        when nothing varies).  ``check=False`` leaves the check of penalties against the guarantee
        to the caller (:meth:`penalty_infeasible`)."""
        sc = self.scenarios
        s1 = sc.count if s1 is None else s1
        r = s1 - s0
        rule, names = self.rule, self.rule.drivers
        x: NDArray[np.float64] = self.drivers
        if sc.populations is not None or sc.drivers:
            x = np.broadcast_to(self.drivers, (r, *self.drivers.shape)).copy()
            if sc.populations is not None:
                x[..., names.index("population")] = sc.populations[s0:s1]
            for k, arr in sc.drivers.items():
                x[..., names.index(k)] = arr[s0:s1]
        weights = (np.asarray(rule.weights, dtype=np.float64) if sc.ratios is None
                   else sc.ratios[s0:s1].astype(np.float64))
        xs, rs, _ = segment_drivers(self.presence, x, weights, self.fees)
        if sc.total_fees is not None:
            totals = sc.total_fees[s0:s1].astype(np.int64)
        elif sc.varies:
            totals = np.full(r, self.total, dtype=np.int64)
        else:
            totals = np.asarray(self.total, dtype=np.int64)
        full = caps = None
        if rule.min_reduction is not None:
            cur = self.current_costs if sc.current_costs is None else np.asarray(sc.current_costs[s0:s1],
                                                                                 dtype=np.int64)
            full = self._guarantee(cur)
            caps = full
            if rule.penalty_sharing == "member" and rule.guarantee_includes_penalty:
                caps = full - self.penalties
                if check:
                    self._check_penalties(full, s0)
        return Arrays(totals=totals, drivers=xs, ratios=rs, caps=caps, full_caps=full)

    def _guarantee(self, current: IntArray) -> IntArray:
        factor = self.rule.cap_factor()
        assert factor is not None
        if self.rule.guarantee_basis == "months_on_cloud":
            return guarantee_caps(current, factor.numerator, factor.denominator,
                                  months=np.array(self.presence.months, dtype=np.int64),
                                  period_months=self.council.period_months)
        return guarantee_caps(current, factor.numerator, factor.denominator)

    def penalty_infeasible(self, arr: Arrays) -> NDArray[np.bool_]:
        """Per scenario of ``arr`` (shape ``(R,)``, or ``()`` without a scenario axis): a member's own
        penalty alone exceeds its guaranteed maximum, where the guarantee counts the penalty."""
        rule = self.rule
        if arr.full_caps is None or not (rule.penalty_sharing == "member" and rule.guarantee_includes_penalty):
            return np.zeros(arr.totals.shape, dtype=np.bool_)
        over = np.asarray((self.penalties > arr.full_caps).any(axis=-1), dtype=np.bool_)
        return np.broadcast_to(over, arr.totals.shape).copy()

    def _check_penalties(self, full: IntArray, s0: int) -> None:
        """Raise if a member's own penalty alone exceeds its guaranteed maximum (the guarantee counting it)."""
        over = self.penalties > full
        if not over.any():
            return
        pos = np.unravel_index(int(np.argmax(over)), over.shape)
        i = int(pos[-1])
        m = self.council.members[i]
        cap, pen = int(full[pos]), int(self.penalties[i])
        where = f"scenario {s0 + int(pos[0])}: " if full.ndim > 1 else ""
        cost = int(self.current_costs[i]) if self.scenarios.current_costs is None else \
            int(self.scenarios.current_costs[s0 + int(pos[0]), i])
        exc = InfeasibleAllocation(
            f"{where}member {m.code!r}: its penalty {pen:,} yen alone exceeds its guaranteed maximum {cap:,} yen "
            f"({pct(float(self.rule.cap_factor() or 0))} of its current cost {cost:,} yen) by "
            f"{pen - cap:,} yen; the guarantee counting the penalty cannot be met"
        )
        if full.ndim > 1:
            exc.rows = np.flatnonzero(over.any(axis=-1))
        raise exc


#: Largest sum of the members' current costs or penalties kept in int64 arrays (sums of shares,
#: caps and penalties stay exact below it). [yen]
SUM_LIMIT = 2**62


def _check_sums(members: Sequence[Any]) -> None:
    """The members' current costs and penalties add up (in Python integers) to less than :data:`SUM_LIMIT`.

    Checked before any int64 sum is formed, so no total can wrap around.
    """
    for what in ("current_cost", "penalty"):
        total = sum(int(getattr(m, what)) for m in members)
        if total >= SUM_LIMIT:
            raise ValidationError(f"the members' {what} values add up to {total:,} yen, more than this library "
                                  f"adds up exactly (2**62 = {SUM_LIMIT:,} yen)")


def build(consortium: Consortium, total_fee: int | Sequence[int], rule: AllocationRule | None = None, *,
          leaving: Mapping[str, Month | str] | None = None) -> Pipeline:
    """Read a council for allocating (checks the fee, the months, the drivers and the lead)."""
    rule = AllocationRule() if rule is None else rule
    if not isinstance(rule, AllocationRule):
        raise ValidationError(f"rule must be an AllocationRule, got {rule!r}")
    if not isinstance(consortium, Consortium):
        raise ValidationError(f"consortium must be a Consortium, got {consortium!r}")
    total, monthly = fee_total(total_fee)
    members = consortium.members
    pres = presence(consortium, leaving)
    segments, fees = segment_fees(pres, monthly)
    x = driver_matrix(members, rule.drivers)
    _check_segments(rule, pres, fees, x)
    _check_sums(members)
    return Pipeline(
        council=consortium, rule=rule, presence=pres, segments=tuple(segments), fees=tuple(fees), total=total,
        monthly=monthly, drivers=x, current_costs=np.array([m.current_cost for m in members], dtype=np.int64),
        penalties=np.array([m.penalty for m in members], dtype=np.int64), lead=_lead_index(consortium, rule),
    )


def solve(pipe: Pipeline, arr: Arrays, *, rule_shares: bool = False, label: str | None = None) -> Solved:
    """Shares, caps binding and penalties of the scenarios of ``arr``, every output (R, N).

    Parameters
    ----------
    pipe, arr
        The council read once and the arrays of some of its scenarios.
    rule_shares
        Also split the fee under the rule alone (before the guarantee).
    label
        Prefix of the message of an infeasible guarantee (e.g. the scenarios of a block); None:
        the one-scenario message, naming every member's cap.
    """
    rule = pipe.rule
    pool = pipe.pool

    def split(amount: IntArray, caps: IntArray | None) -> tuple[IntArray, NDArray[np.bool_]]:
        try:
            res = split_costs(amount, arr.drivers, arr.ratios, caps=caps, rounding=rule.rounding, unit=rule.unit,
                              tie=rule.tie, lead=pipe.lead, return_binding=True)
        except InfeasibleAllocation as exc:
            if label is not None:
                labelled = InfeasibleAllocation(f"{label}{exc}")
                labelled.rows = exc.rows
                raise labelled from None
            raise _explain_infeasible(exc, pipe, caps, amount) from None
        return _rows(res.shares), _rows(res.binding == 1)

    plain = split(arr.totals, None)[0] if rule_shares or arr.caps is None else None
    counted_pool = arr.caps is not None and rule.penalty_sharing == "pooled" and rule.guarantee_includes_penalty \
        and pool > 0
    if arr.caps is None:
        assert plain is not None
        shares, bound = plain, np.zeros(plain.shape, dtype=np.bool_)
    elif counted_pool:
        net, bound = split(arr.totals + pool, arr.caps)
        pen = apportion(np.full(net.shape[:-1], pool, dtype=np.int64), net.astype(np.float64), tie="index")
        shares = net - pen
    else:
        shares, bound = split(arr.totals, arr.caps)
    if rule.penalty_sharing == "member":
        pen = np.broadcast_to(pipe.penalties, shares.shape)
    elif not counted_pool:
        pen = split(np.zeros_like(arr.totals) + pool, None)[0] if pool else np.zeros(shares.shape, dtype=np.int64)
    return Solved(shares=shares, binding=bound, penalties=pen,
                  caps=None if arr.caps is None else np.broadcast_to(arr.caps, shares.shape),
                  rule_shares=plain if rule_shares else None)


def _rows(a: NDArray[Any]) -> NDArray[Any]:
    return a[None, :] if a.ndim == 1 else a


def _explain_infeasible(exc: InfeasibleAllocation, pipe: Pipeline, caps: IntArray | None,
                        amount: IntArray) -> InfeasibleAllocation:
    if caps is None:
        return exc
    cap_list = [int(c) for c in np.asarray(caps).reshape(-1, caps.shape[-1])[0]]
    total = int(np.asarray(amount).reshape(-1)[0])
    detail = ", ".join(f"{m.code} {c:,}" for m, c in zip(pipe.council.members, cap_list, strict=True))
    short = total - sum(cap_list)
    msg = (f"the guaranteed minimum reduction of {pct(pipe.rule.min_reduction)} cannot be met: the members' caps "
           f"({detail} yen) add up to {sum(cap_list):,} yen"
           + (f", {short:,} yen less than the {total:,} yen to split" if short > 0 else f" ({exc})"))
    return InfeasibleAllocation(msg)
