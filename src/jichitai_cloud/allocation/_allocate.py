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
from fractions import Fraction

from .._display import Lang, col, shown_number
from .._numeric._checks import as_fraction
from ..calendar import Month
from ..model import Consortium
from ._pipeline import Pipeline, Solved, build, solve
from ._results import Allocation, MemberAllocation
from ._rule import AllocationRule
from ._time import Presence, Segment

_RATE = col("reduction_rate")
_TIE_JA = {"index": "名簿順で先の団体を優先", "reverse_index": "名簿順で後の団体を優先",
           "larger_quota": "按分額の大きい団体を優先", "smaller_quota": "按分額の小さい団体を優先"}

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
                      segments=pipe.segments, pooled_penalty=pipe.pool,
                      explanations=tuple(ja for ja, _ in notes), explanations_en=tuple(en for _, en in notes))


def _pct(x: Fraction | float | None, lang: Lang) -> str:
    """A rate in percent with one decimal, rounded half up on the exact value. [%]"""
    if x is None:
        return "—"
    text = f"{shown_number(x, _RATE):.1f}"
    return text + ("%" if lang == "ja" else " %")


def _explanations(council: Consortium, rule: AllocationRule, out: Sequence[MemberAllocation],
                  segments: Sequence[Segment], pres: Presence, total: int, pool: int) -> list[tuple[str, str]]:
    """Every binding constraint, the months and the penalties, as ``(Japanese, English)`` lines."""
    notes: list[tuple[str, str]] = []
    factor = rule.cap_factor()
    name = {m.code: m.name for m in out}
    bound = [m for m in out if m.cap_bound]
    guarantee = rule.min_reduction
    g_ja, g_en = _pct(guarantee, "ja"), _pct(guarantee, "en")
    f_ja, f_en = _pct(factor or 0, "ja"), _pct(factor or 0, "en")
    for m in bound:
        if rule.guarantee_basis == "period":
            base_ja = f"現行経費 {m.current_cost:,}円 の {f_ja}"
            base_en = f"{f_en} of its current cost {m.current_cost:,} yen"
        else:
            base_ja = (f"現行経費をクラウド利用月数 ({council.period_months}か月中 {m.months_on_cloud}か月) で"
                       f"按分した額の {f_ja}")
            base_en = (f"{f_en} of its current cost pro rata to {m.months_on_cloud} of "
                       f"{council.period_months} months")
        counted = rule.guarantee_includes_penalty and m.penalty
        pen_ja = f"、違約金 {m.penalty:,}円 を含む" if counted else ""
        pen_en = f" (its penalty {m.penalty:,} yen counted)" if counted else ""
        head_ja = (f"{m.name} ({m.code}) は最低 {g_ja} の削減保障により、負担が上限額 {m.cap:,}円 "
                   f"(= {base_ja}{pen_ja}) に抑えられています。")
        head_en = (f"{m.code} ({m.name}) is held at its cap {m.cap:,} yen = {base_en}{pen_en}: the guaranteed "
                   f"minimum reduction of {g_en} binds.  ")
        if m.rule_share > m.share:
            notes.append((
                head_ja + f"按分ルールのみでは {m.rule_share:,}円 となるところ、上限を超える "
                f"{m.rule_share - m.share:,}円 は上限に達していない団体に、ルールによる負担額の比で配分しました。",
                head_en + f"Under the rule alone it would pay {m.rule_share:,} yen; the "
                f"{m.rule_share - m.share:,} yen above its cap went to the members below their caps in "
                "proportion to their shares under the rule."))
        else:
            notes.append((
                head_ja + f"按分ルールのみでは {m.rule_share:,}円 で上限内ですが、ほかの上限適用団体が負担できない"
                f"額の配分で上限を超えるため、そのうち {m.share - m.rule_share:,}円 を負担し、残りは上限に"
                "達していない団体に配分しました。",
                head_en + f"Under the rule alone it would pay {m.rule_share:,} yen, within its cap, but its "
                f"part of what other capped members cannot take would have lifted it above the cap; it "
                f"takes {m.share - m.rule_share:,} yen of that and the rest goes to the members still "
                "below their caps."))
    if bound:
        takers = [m for m in out if not m.cap_bound and m.redistributed]
        if takers:
            notes.append(("再配分を受けた団体: " + "、".join(f"{m.name} {m.redistributed:+,}円" for m in takers) + "。",
                          "Redistributed to: " + ", ".join(f"{m.name} {m.redistributed:+,}" for m in takers)
                          + " yen."))
    if guarantee is not None and not bound:
        notes.append((f"最低 {g_ja} の削減保障は適用されていません: どの団体も按分ルールによる負担額が上限額以内です。",
                      f"The guaranteed minimum reduction of {g_en} does not bind: every member's share under "
                      "the rule is within its cap."))
    if council.fee_period == "member":
        spans = [(m.name, m.first_month, m.last_month) for m in out
                 if m.first_month is not None and m.last_month is not None]
        notes.append((
            f"各団体は自団体のクラウド開始から {council.period_months}か月分を負担します (料金期間: 団体ごと): "
            + "、".join(f"{n} {a.era_short()}〜{b.era_short()}" for n, a, b in spans)
            + "。各団体の期間の同じ月 (kか月目) をまとめて按分します。",
            f"Each member pays for its own {council.period_months} months from its own cloud start "
            f"(fee_period 'member'): " + ", ".join(f"{n} {a.iso()}..{b.iso()}" for n, a, b in spans)
            + "; month k of every member's period is split together."))
    if len(segments) > 1 or any(mo != council.period_months for mo in pres.months):
        for m in out:
            if m.months_on_cloud == council.period_months:
                continue
            if m.first_month is None:
                notes.append((f"{m.name} は評価期間中にクラウドを利用しないため、負担はありません。",
                              f"{m.name} is never on the cloud in the period; it pays only for those months."))
                continue
            last = m.last_month
            notes.append((
                f"{m.name} のクラウド利用は {council.period_months}か月中 {m.months_on_cloud}か月 "
                f"({m.first_month.era_short()}〜{last.era_short() if last else ''}) で、その月の分だけ負担します。",
                f"{m.name} is on the cloud {m.months_on_cloud} of {council.period_months} months "
                f"({m.first_month.iso()}..{last.iso() if last else ''}); it pays only for those months."))
        live = [s for s in segments if s.fee > 0]

        def who(s: Segment, sep: str) -> str:
            return sep.join(name.get(c, c) for c in s.members)

        if council.fee_period == "member":
            def span(s: Segment) -> tuple[int, int]:
                return s.first - council.period_start + 1, s.last - council.period_start + 1

            notes.append((
                "各団体の期間の各月は、その月にクラウドを利用している団体で按分します: "
                + "。".join(f"{span(s)[0]}〜{span(s)[1]}か月目: {who(s, '・')}" for s in live) + "。",
                "Each month of the members' own periods is split among the members on the cloud that month: "
                + "; ".join(f"months {span(s)[0]}..{span(s)[1]}: {who(s, ', ')}" for s in live) + "."))
        else:
            notes.append((
                "各月の利用料は、その月にクラウドを利用している団体で按分します: "
                + "。".join(f"{s.first.era_short()}〜{s.last.era_short()}: {who(s, '・')}" for s in live) + "。",
                "Each month's fee is split among the members on the cloud that month: "
                + "; ".join(f"{s.first.iso()}..{s.last.iso()}: {who(s, ', ')}" for s in live) + "."))
    if rule.penalty_sharing == "member" and any(m.penalty for m in out):
        payers = [m for m in out if m.penalty]
        counted_rule = rule.guarantee_includes_penalty and guarantee is not None
        notes.append((
            "違約金は各団体が負担します: " + "、".join(f"{m.name} {m.penalty:,}円" for m in payers)
            + ("。最低保障の判定に含めています。" if counted_rule else
               "。最低保障の上限額とは別に負担します。" if guarantee is not None else "。"),
            "Cancellation penalties (違約金) are borne by each member: "
            + ", ".join(f"{m.name} {m.penalty:,}" for m in payers) + " yen"
            + (", and counted by the guarantee." if counted_rule else
               ", on top of the guaranteed maximum." if guarantee is not None else ".")))
    if pool:
        with_caps = rule.guarantee_includes_penalty and guarantee is not None
        notes.append((f"違約金 {pool:,}円 は合算して按分ルールで按分します"
                      + ("(上限額の範囲内で利用料と合わせて)。" if with_caps else "。"),
                      f"Cancellation penalties of {pool:,} yen are pooled and split by the rule"
                      + (" together with the fee under the caps." if with_caps else ".")))
    unit_ja = "1円" if rule.unit == 1 else f"{rule.unit:,}円"
    unit_en = "1 yen" if rule.unit == 1 else f"{rule.unit:,} yen"
    lead = name.get(rule.lead, rule.lead) if rule.lead else None
    how_ja = ("最大剰余法" if rule.rounding == "largest_remainder" else
              f"切り捨て、端数は{lead or '上限に達していない最大の団体'}に配分")
    how_en = ("largest remainder" if rule.rounding == "largest_remainder" else
              f"rounding down, the remainder to {lead or 'the largest member below its cap'}")
    rest = total % rule.unit
    notes.append((
        f"負担額は {unit_ja} 単位 ({how_ja}、端数が同順位のときは{_TIE_JA.get(rule.tie, rule.tie)}) で、合計は {total:,}円 に一致します"
        + (f" (1単位に満たない {rest:,}円 は1団体が負担)。" if rest else "。"),
        f"Shares are whole multiples of {unit_en} ({how_en}; exact ties: {rule.tie}) and add up to "
        f"{total:,} yen exactly" + (f" (the {rest:,} yen below one unit go to one member)." if rest else ".")))
    if guarantee is not None:
        floor = as_fraction(guarantee, "min_reduction")
        for m in out:
            rate = m.reduction_rate
            if rate is not None and rate < floor:
                notes.append((
                    f"{m.name} の削減率は {_pct(rate, 'ja')} で {g_ja} を下回ります。違約金 {m.penalty:,}円 が"
                    "利用料の負担額に上乗せされるためです (最低保障は利用料の負担額のみを対象とします)。",
                    f"{m.name}'s reduction is {_pct(rate, 'en')}, below {g_en}, because its penalty "
                    f"{m.penalty:,} yen comes on top of its fee share (the guarantee caps the fee share alone)."))
    return notes
