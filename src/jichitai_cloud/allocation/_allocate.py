"""Allocating a council's cloud fee: :func:`allocate`, the one-scenario case of the pipeline.

:func:`allocate` reads the council through :mod:`~jichitai_cloud.allocation._pipeline` (the same
builder and solver as :func:`~jichitai_cloud.allocation.simulate`) and wraps the integer shares of
its one scenario in an :class:`~jichitai_cloud.allocation.Allocation` that explains itself.

Semantics
---------
1. **Months.**  See :mod:`jichitai_cloud.allocation._time`: each month's fee is split among the
   members on the cloud that month; the whole period is one exact split, rounded once.  The
   council's ``fee_period`` says whose months: the council's period (``"council"``) or each
   member's own ``period_months`` from its own cloud start (``"member"``, the document's 5年試算).
2. **Rule.**  Each month, driver ``d`` receives ``ratio_d / sum(ratios)`` of the fee and splits it
   in proportion to the present members' values of driver ``d`` (均等割: one each; 人口割: population).
3. **Guarantee (最低保障).**  With ``min_reduction = r`` no member's fee share exceeds
   ``floor((1 - r) * current_cost)`` (or, if the guarantee counts the penalty, fee share + penalty
   stays within it).  What a capped member cannot take goes to the others in proportion to their
   shares under the rule, repeated until nothing binds.
4. **Penalties (違約金).**  ``"member"``: a member's net cost is its fee share plus its own penalty.
   ``"pooled"``: the penalties are added up and the pool is split by the same rule (months and all).
   If the guarantee counts pooled penalties, the fee and the pool are split together under the caps
   and each member's net cost is divided into fee and penalty in proportion.
5. **Rounding.**  Integer yen (or the rule's unit), adding up to the total exactly.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果 (the rule, the guarantee, the penalties and
the five-year effect table) and 8. まとめ (途中離脱や新規参加への対応; 最低保障額を採用).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..calendar import Month
from ..model import Consortium
from ._pipeline import Pipeline, Solved, build, pct, solve
from ._results import Allocation, MemberAllocation
from ._rule import AllocationRule
from ._time import Presence, Segment

__all__ = ["allocate"]


def allocate(
    consortium: Consortium,
    total_fee: int | Sequence[int],
    rule: AllocationRule | None = None,
    *,
    leaving: Mapping[str, Month | str] | None = None,
) -> Allocation:
    """Split a council's cloud fee among its members (費用按分).

    Parameters
    ----------
    consortium
        The council: members with population, current cost (現行経費), penalty (違約金), cloud start,
        extra drivers; the evaluation period.
    total_fee
        The cloud fee over the evaluation period, integer yen, spread evenly over the months in which
        at least one member is on the cloud; or the fee of each month of the period (a list of
        ``period_months`` integers), e.g. a lower fee while only some members are on. [yen]
    rule
        The rule (default: 均等割:人口割 = 3:7, no guarantee).
    leaving
        Member code -> first month it is no longer on the cloud (it leaves after the month before);
        its remaining months are split among the members present. [month]

    Returns
    -------
    Allocation
        Shares adding up to ``total_fee`` exactly, with caps, penalties, net costs, reduction rates,
        the effect table and explanations.

    Raises
    ------
    InfeasibleAllocation
        If the guarantee cannot be met (the caps add up to less than the fee; the message says by
        how much and which members).
    ValidationError
        Bad fee or schedule, a driver the rule needs that is zero for everyone present in some months.
    UnknownMemberError
        A driver name, lead or leaving code that the council does not have.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果: 均等割:人口割 = 3:7, 最低3割削減を保障,
    違約金を考慮; 基幹系システム移行スケジュール (staggered cloud starts).

    Examples
    --------
    >>> from jichitai_cloud import examples, AllocationRule
    >>> a = allocate(examples.toyama(), 1_390_000_000, AllocationRule(ratios="3:7", min_reduction=0.3))
    >>> sum(a.shares)
    1390000000
    """
    pipe = build(consortium, total_fee, rule, leaving=leaving)
    solved = solve(pipe, pipe.arrays(), rule_shares=True)
    return _result(pipe, solved)


def _result(pipe: Pipeline, solved: Solved) -> Allocation:
    """The :class:`Allocation` of the one scenario of ``solved`` (row 0)."""
    council, rule, pres = pipe.council, pipe.rule, pipe.presence
    assert solved.rule_shares is not None
    rule_shares = [int(v) for v in solved.rule_shares[0]]
    shares = [int(v) for v in solved.shares[0]]
    pen = [int(v) for v in solved.penalties[0]]
    bound = [bool(v) for v in solved.binding[0]]
    caps = None if solved.caps is None else [int(v) for v in solved.caps[0]]
    months = pres.months
    out = tuple(
        MemberAllocation(
            code=m.code, name=m.name, first_month=pres.first_month(i), last_month=pres.last_month(i),
            months_on_cloud=months[i], current_cost=m.current_cost, rule_share=rule_shares[i],
            cap=None if caps is None else caps[i], cap_bound=bound[i], share=shares[i], penalty=pen[i],
            net_cost=shares[i] + pen[i],
        )
        for i, m in enumerate(council.members)
    )
    notes = _explanations(council, rule, out, pipe.segments, pres, pipe.total, pipe.pool)
    return Allocation(council=council.name, total_fee=pipe.total, monthly_fees=pipe.monthly, rule=rule,
                      period_start=council.period_start, period_months=council.period_months,
                      fee_period=council.fee_period, members=out,
                      segments=pipe.segments, pooled_penalty=pipe.pool, explanations=tuple(notes))


def _explanations(council: Consortium, rule: AllocationRule, out: Sequence[MemberAllocation],
                  segments: Sequence[Segment], pres: Presence, total: int, pool: int) -> list[str]:
    notes: list[str] = []
    factor = rule.cap_factor()
    bound = [m for m in out if m.cap_bound]
    for m in bound:
        base = (f"{pct(float(factor or 0))} of its current cost {m.current_cost:,} yen"
                if rule.guarantee_basis == "period" else
                f"{pct(float(factor or 0))} of its current cost pro rata to {m.months_on_cloud} of "
                f"{council.period_months} months")
        pen = f" (its penalty {m.penalty:,} yen counted)" if rule.guarantee_includes_penalty and m.penalty else ""
        head = (f"{m.code} ({m.name}) is held at its cap {m.cap:,} yen = {base}{pen}: the guaranteed minimum "
                f"reduction of {pct(rule.min_reduction)} binds.  ")
        if m.rule_share > m.share:
            notes.append(head + f"Under the rule alone it would pay {m.rule_share:,} yen; the "
                         f"{m.rule_share - m.share:,} yen above its cap went to the members below their caps in "
                         "proportion to their shares under the rule.")
        else:
            notes.append(head + f"Under the rule alone it would pay {m.rule_share:,} yen, within its cap, but its "
                         f"part of what other capped members cannot take would have lifted it above the cap; it "
                         f"takes {m.share - m.rule_share:,} yen of that and the rest goes to the members still "
                         "below their caps.")
    if bound:
        takers = [f"{m.code} {m.redistributed:+,}" for m in out if not m.cap_bound and m.redistributed]
        if takers:
            notes.append("Redistributed to: " + ", ".join(takers) + " yen.")
    if rule.min_reduction is not None and not bound:
        notes.append(f"The guaranteed minimum reduction of {pct(rule.min_reduction)} does not bind: every member's "
                     "share under the rule is within its cap.")
    if council.fee_period == "member":
        spans = ", ".join(f"{m.code} {m.first_month.iso()}..{m.last_month.iso()}" for m in out
                          if m.first_month is not None and m.last_month is not None)
        notes.append(f"Each member pays for its own {council.period_months} months from its own cloud start "
                     f"(fee_period 'member'): {spans}; month k of every member's period is split together.")
    if len(segments) > 1 or any(mo != council.period_months for mo in pres.months):
        for m in out:
            if m.months_on_cloud != council.period_months:
                span = ("never on the cloud in the period" if m.first_month is None else
                        f"on the cloud {m.months_on_cloud} of {council.period_months} months "
                        f"({m.first_month.iso()}..{m.last_month.iso() if m.last_month else ''})")
                notes.append(f"{m.code} is {span}; it pays only for those months.")
        live = [s for s in segments if s.fee > 0]
        if council.fee_period == "member":
            parts = [f"months {s.first - council.period_start + 1}..{s.last - council.period_start + 1}: "
                     f"{', '.join(s.members)}" for s in live]
            notes.append("Each month of the members' own periods is split among the members on the cloud "
                         "that month: " + "; ".join(parts) + ".")
        else:
            parts = [f"{s.first.iso()}..{s.last.iso()}: {', '.join(s.members)}" for s in live]
            notes.append("Each month's fee is split among the members on the cloud that month: "
                         + "; ".join(parts) + ".")
    if rule.penalty_sharing == "member" and any(m.penalty for m in out):
        pens = ", ".join(f"{m.code} {m.penalty:,}" for m in out if m.penalty)
        notes.append(f"Cancellation penalties (違約金) are borne by each member: {pens} yen"
                     + (", and counted by the guarantee." if rule.guarantee_includes_penalty and rule.min_reduction
                        is not None else ", on top of the guaranteed maximum." if rule.min_reduction is not None
                        else "."))
    if pool:
        notes.append(f"Cancellation penalties of {pool:,} yen are pooled and split by the rule"
                     + (" together with the fee under the caps." if rule.guarantee_includes_penalty
                        and rule.min_reduction is not None else "."))
    unit = "1 yen" if rule.unit == 1 else f"{rule.unit:,} yen"
    how = ("largest remainder" if rule.rounding == "largest_remainder" else
           f"rounding down, the remainder to {rule.lead or 'the largest member below its cap'}")
    notes.append(f"Shares are whole multiples of {unit} ({how}; exact ties: {rule.tie}) and add up to "
                 f"{total:,} yen exactly"
                 + (f" (the {total % rule.unit:,} yen below one unit go to one member)." if total % rule.unit else "."))
    for m in out:
        if m.reduction_rate is not None and rule.min_reduction is not None and \
                m.reduction_rate < rule.min_reduction - 1e-12:
            notes.append(f"{m.code}'s reduction is {pct(m.reduction_rate)}, below {pct(rule.min_reduction)}, because "
                         f"its penalty {m.penalty:,} yen comes on top of its fee share (the guarantee caps the fee "
                         "share alone).")
    return notes
