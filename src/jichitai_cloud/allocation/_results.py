"""The result of :func:`~jichitai_cloud.allocate`: each member's share of the cloud fee, and why."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs

from .._display import DataTable, Lang, TableView, col, cols, json_number, shown_number
from ..calendar import Month
from ..errors import UnknownMemberError
from ._effect import EffectRow, EffectTable, reduction_percent, reduction_rate
from ._rule import AllocationRule
from ._time import Segment

__all__ = ["Allocation", "MemberAllocation"]

_COLUMNS = cols("code", "name", "months", "current_cost", "rule_share", "cap", "cap_bound", "share", "penalty",
                "net_cost", "reduction", "reduction_rate")
_RATE = col("reduction_rate")


def _pct(x: Fraction | None, lang: Lang = "ja") -> str:
    """A rate in percent with one decimal, rounded half up on the exact value. [%]"""
    if x is None:
        return "—"
    return f"{shown_number(x, _RATE):.1f}" + ("%" if lang == "ja" else " %")


def _months_text(months: int, lang: Lang) -> str:
    """``5年`` / ``60か月`` (``lang="en"``: ``five-year`` style ``60-month``)."""
    if lang == "ja":
        return f"{months // 12}年" if months % 12 == 0 else f"{months}か月"
    return f"{months}-month"


@attrs.frozen(kw_only=True, slots=True)
class MemberAllocation:
    """One member's line of an :class:`Allocation`.

    Parameters
    ----------
    code, name
        The member.
    first_month, last_month
        Its months on the cloud within the evaluation period (None if none).
    months_on_cloud
        Number of those months. [months]
    current_cost
        Current cost over the evaluation period (現行経費). [yen]
    rule_share
        Its share of the fee under the rule alone, before the guarantee. [yen]
    cap
        The guaranteed maximum for its fee share (None without a guarantee). [yen]
    cap_bound
        Whether the cap binds (the member is held at its cap and the excess goes to others).
    share
        Its share of the cloud fee (クラウド利用料の負担額). [yen]
    penalty
        The cancellation penalty it bears (its own, or its share of the pool). [yen]
    net_cost
        ``share + penalty``: what it pays. [yen]
    """

    code: str
    name: str
    first_month: Month | None
    last_month: Month | None
    months_on_cloud: int
    current_cost: int
    rule_share: int
    cap: int | None
    cap_bound: bool
    share: int
    penalty: int
    net_cost: int

    @property
    def reduction(self) -> int:
        """Current cost minus net cost. [yen]"""
        return self.current_cost - self.net_cost

    @property
    def reduction_rate(self) -> Fraction | None:
        """``1 - net_cost / current_cost`` (削減率), exact: a member held at a 30 % guarantee has
        exactly ``Fraction(3, 10)``; None if the current cost is 0. [1]"""
        return reduction_rate(self.current_cost, self.net_cost)

    @property
    def redistributed(self) -> int:
        """``share - rule_share``: what the guarantee moved to (+) or from (-) this member. [yen]"""
        return self.share - self.rule_share


@attrs.frozen(kw_only=True, slots=True)
class Allocation(TableView):
    """The result of :func:`allocate`: each member's share of the cloud fee, and why.

    Parameters
    ----------
    council
        Name of the council.
    total_fee
        The cloud fee split among the members over the evaluation period. [yen]
    monthly_fees
        The fee of each month, if the council gave a schedule (else None: spread evenly). [yen]
    rule
        The rule applied.
    period_start, period_months
        The evaluation period. [months]
    fee_period
        ``"council"``: the months of the council's period; ``"member"``: each member's own
        ``period_months`` from its own cloud start (see :class:`~jichitai_cloud.Consortium`).
    members
        One :class:`MemberAllocation` per member, in council order.
    segments
        The months grouped by who is on the cloud (each month's fee is split among those members).
    pooled_penalty
        The penalties pooled and split by the rule (0 when members bear their own). [yen]
    explanations
        Plain-language notes (理由) on every binding constraint and on the months and penalties,
        in Japanese.
    explanations_en
        The same notes in English.

    Shown as two tables (one row per member, with a 合計 line; the effect table) followed by the
    rule, the totals and the explanations (:meth:`why`); :meth:`to_dataframe` has one row per
    member, indexed by code, and no total row.
    """

    _COLUMNS = _COLUMNS
    _KEY = "allocation"
    _SHEET = ("費用按分", "Allocation")
    _INDEX = "code"
    _TOTALS = True

    council: str
    total_fee: int
    monthly_fees: tuple[int, ...] | None
    rule: AllocationRule
    period_start: Month
    period_months: int
    members: tuple[MemberAllocation, ...]
    segments: tuple[Segment, ...]
    pooled_penalty: int
    explanations: tuple[str, ...]
    explanations_en: tuple[str, ...] = ()
    fee_period: str = "council"

    # -- access -----------------------------------------------------------------------------------
    @property
    def codes(self) -> tuple[str, ...]:
        """Member codes in council order."""
        return tuple(m.code for m in self.members)

    @property
    def shares(self) -> tuple[int, ...]:
        """Fee share per member. [yen]"""
        return tuple(m.share for m in self.members)

    @property
    def net_costs(self) -> tuple[int, ...]:
        """Net cost (share + penalty) per member. [yen]"""
        return tuple(m.net_cost for m in self.members)

    @property
    def bound(self) -> tuple[str, ...]:
        """Codes of the members held at their caps."""
        return tuple(m.code for m in self.members if m.cap_bound)

    def member(self, code: str) -> MemberAllocation:
        """The line of member ``code``."""
        for m in self.members:
            if m.code == code:
                return m
        raise UnknownMemberError(f"no member with code {code!r}; members are {list(self.codes)}")

    def __getitem__(self, code: str) -> MemberAllocation:
        return self.member(code)

    @property
    def total_current_cost(self) -> int:
        """Sum of the members' current costs. [yen]"""
        return sum(m.current_cost for m in self.members)

    @property
    def total_net_cost(self) -> int:
        """Sum of the net costs: the fee plus every penalty. [yen]"""
        return sum(m.net_cost for m in self.members)

    @property
    def total_reduction_rate(self) -> Fraction | None:
        """``1 - total net cost / total current cost``, exact. [1]"""
        return reduction_rate(self.total_current_cost, self.total_net_cost)

    def why(self, lang: Lang = "ja") -> tuple[str, ...]:
        """The explanations (理由) in Japanese, or in English with ``lang="en"``."""
        return self.explanations_en if lang == "en" else self.explanations

    def effect_table(self) -> EffectTable:
        """The five-year effect table (current cost, cost on the cloud incl. penalties, reduction rate)."""
        rows = tuple(EffectRow(code=m.code, name=m.name, current_cost=m.current_cost, cloud_fee=m.net_cost)
                     for m in self.members)
        return EffectTable(
            rows=rows,
            title=f"{self.council}: 導入効果 ({_months_text(self.period_months, 'ja')}試算、{self.rule.ratio_text('ja')})",
            title_en=f"{self.council}: effect, {_months_text(self.period_months, 'en')} estimate under "
                     f"{self.rule.ratio_text('en')}")

    # -- display ---------------------------------------------------------------------------------
    def _rows(self) -> list[list[Any]]:
        return [
            [m.code, m.name, m.months_on_cloud, m.current_cost, m.rule_share, m.cap, m.cap_bound, m.share,
             m.penalty, m.net_cost, m.reduction, m.reduction_rate]
            for m in self.members
        ]

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            if self.fee_period == "member":
                return (f"{self.council}: cost allocation (費用按分) of {self.total_fee:,} yen over each member's own "
                        f"{self.period_months} months from its cloud start")
            return (f"{self.council}: cost allocation (費用按分) of {self.total_fee:,} yen over {self.period_months} "
                    f"months from {self.period_start.iso()}")
        if self.fee_period == "member":
            return (f"{self.council}: 費用按分 (クラウド利用料 {self.total_fee:,}円、各団体のクラウド開始から "
                    f"{self.period_months}か月)")
        return (f"{self.council}: 費用按分 (クラウド利用料 {self.total_fee:,}円、{self.period_start.era_short()}から "
                f"{self.period_months}か月)")

    def views(self) -> tuple[DataTable, ...]:
        """The members' table (with a 合計 line), then the five-year effect table (as the document prints it)."""
        return (*TableView.views(self), *self.effect_table().views())

    def summary(self, lang: Lang = "ja") -> str:
        """The rule, the totals and why each constraint binds (Japanese; ``lang="en"``: English)."""
        effect = self.effect_table().summary(lang)
        if lang == "en":
            lines = [f"rule: {self.rule.describe('en')}",
                     f"total: fee {sum(self.shares):,} yen, net cost {self.total_net_cost:,} yen against current cost "
                     f"{self.total_current_cost:,} yen (reduction {_pct(self.total_reduction_rate, 'en')})",
                     effect]
            if self.explanations_en:
                lines += ["why:"] + [f"  - {e}" for e in self.explanations_en]
            return "\n".join(lines)
        lines = [f"按分ルール: {self.rule.describe('ja')}",
                 f"負担の合計: クラウド利用料 {sum(self.shares):,}円、負担計 (違約金込み) {self.total_net_cost:,}円、"
                 f"現行経費 {self.total_current_cost:,}円 に対する削減率 {_pct(self.total_reduction_rate, 'ja')}",
                 effect]
        if self.explanations:
            lines += ["理由:"] + [f"  - {e}" for e in self.explanations]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON): the rule, the totals, the members, the explanations.

        Money in integer yen; rates as decimals rounded to the places shown (``0.3``, never
        ``0.30000000000000004``); flags as booleans; explanations in Japanese
        (``explanations``) and English (``explanations_en``)."""
        return {
            "council": self.council,
            "total_fee": self.total_fee,
            "rule": self.rule.describe("ja"),
            "rule_en": self.rule.describe("en"),
            "period": {"start": self.period_start.iso(), "months": self.period_months,
                       "fee_period": self.fee_period},
            "members": [
                {"code": m.code, "name": m.name, "first_month": None if m.first_month is None else m.first_month.iso(),
                 "last_month": None if m.last_month is None else m.last_month.iso(),
                 "months_on_cloud": m.months_on_cloud, "current_cost": m.current_cost, "rule_share": m.rule_share,
                 "cap": m.cap, "cap_bound": bool(m.cap_bound), "share": m.share, "penalty": m.penalty,
                 "net_cost": m.net_cost, "reduction": m.reduction,
                 "reduction_rate": json_number(m.reduction_rate, _RATE),
                 "reduction_percent": reduction_percent(m.current_cost, m.net_cost)}
                for m in self.members
            ],
            "total_current_cost": self.total_current_cost,
            "total_net_cost": self.total_net_cost,
            "total_reduction_rate": json_number(self.total_reduction_rate, _RATE),
            "pooled_penalty": self.pooled_penalty,
            "segments": [{"first": s.first.iso(), "last": s.last.iso(), "members": list(s.members), "fee": s.fee}
                         for s in self.segments],
            "explanations": list(self.explanations),
            "explanations_en": list(self.explanations_en),
        }

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        body = ", ".join(f"{m.code}={m.share:,}{'*' if m.cap_bound else ''}" for m in self.members)
        return f"Allocation({self.council!r}, total_fee={self.total_fee:,}, {body})"
