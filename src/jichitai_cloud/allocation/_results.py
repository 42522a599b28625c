"""The result of :func:`~jichitai_cloud.allocate`: each member's share of the cloud fee, and why."""

from __future__ import annotations

from typing import Any

import attrs

from .._display import Table, TableView
from ..calendar import Month
from ..errors import UnknownMemberError
from ._effect import EffectRow, EffectTable, reduction_percent
from ._pipeline import pct
from ._rule import AllocationRule
from ._time import Segment

__all__ = ["Allocation", "MemberAllocation"]

_COLUMNS = ("code", "name", "months", "current_cost", "rule_share", "cap", "cap_bound", "share", "penalty",
            "net_cost", "reduction", "reduction_rate")


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
    def reduction_rate(self) -> float | None:
        """``1 - net_cost / current_cost`` (削減率); None if the current cost is 0. [1]"""
        return None if self.current_cost == 0 else 1 - self.net_cost / self.current_cost

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
        Plain-language notes on every binding constraint and on the months and penalties.

    Shown as two tables (one row per member; the effect table) followed by the rule, the totals
    and the explanations; :meth:`to_dataframe` has one row per member and no total row.
    """

    _HEADER = _COLUMNS
    _INDEX = "code"

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
    def total_reduction_rate(self) -> float | None:
        """``1 - total net cost / total current cost``. [1]"""
        cur = self.total_current_cost
        return None if cur == 0 else 1 - self.total_net_cost / cur

    def effect_table(self) -> EffectTable:
        """The five-year effect table (current cost, cost on the cloud incl. penalties, reduction rate)."""
        rows = tuple(EffectRow(code=m.code, name=m.name, current_cost=m.current_cost, cloud_fee=m.net_cost)
                     for m in self.members)
        return EffectTable(rows=rows, title=f"{self.council}: {self.period_months}-month estimate under "
                                            f"{self.rule.ratio_text()}")

    # -- display ---------------------------------------------------------------------------------
    def _rows(self) -> list[list[Any]]:
        return [
            [m.code, m.name, m.months_on_cloud, m.current_cost, m.rule_share, m.cap, m.cap_bound, m.share,
             m.penalty, m.net_cost, m.reduction, m.reduction_rate]
            for m in self.members
        ]

    def _title(self) -> str:
        if self.fee_period == "member":
            return (f"{self.council}: cost allocation (費用按分) of {self.total_fee:,} yen over each member's own "
                    f"{self.period_months} months from its cloud start")
        return (f"{self.council}: cost allocation (費用按分) of {self.total_fee:,} yen over {self.period_months} "
                f"months from {self.period_start.era_short()} ({self.period_start.iso()})")

    def tables(self) -> dict[str, Table]:
        """The members' table, then the five-year effect table (as the document prints it)."""
        return {self._title(): self.table(), **self.effect_table().tables()}

    def summary(self) -> str:
        """The rule, the totals and why each constraint binds."""
        lines = [f"rule: {self.rule.describe()}",
                 f"total: fee {sum(self.shares):,} yen, net cost {self.total_net_cost:,} yen against current cost "
                 f"{self.total_current_cost:,} yen (reduction {pct(self.total_reduction_rate)})",
                 self.effect_table().summary()]
        if self.explanations:
            lines += ["why:"] + [f"  - {e}" for e in self.explanations]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for JSON): the rule, the totals, the members, the explanations."""
        return {
            "council": self.council,
            "total_fee": self.total_fee,
            "rule": self.rule.describe(),
            "period": {"start": self.period_start.iso(), "months": self.period_months,
                       "fee_period": self.fee_period},
            "members": [
                {"code": m.code, "name": m.name, "first_month": None if m.first_month is None else m.first_month.iso(),
                 "last_month": None if m.last_month is None else m.last_month.iso(),
                 "months_on_cloud": m.months_on_cloud, "current_cost": m.current_cost, "rule_share": m.rule_share,
                 "cap": m.cap, "cap_bound": m.cap_bound, "share": m.share, "penalty": m.penalty,
                 "net_cost": m.net_cost, "reduction": m.reduction, "reduction_rate": m.reduction_rate,
                 "reduction_percent": reduction_percent(m.current_cost, m.net_cost)}
                for m in self.members
            ],
            "total_current_cost": self.total_current_cost,
            "total_net_cost": self.total_net_cost,
            "total_reduction_rate": self.total_reduction_rate,
            "pooled_penalty": self.pooled_penalty,
            "segments": [{"first": s.first.iso(), "last": s.last.iso(), "members": list(s.members), "fee": s.fee}
                         for s in self.segments],
            "explanations": list(self.explanations),
        }

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        body = ", ".join(f"{m.code}={m.share:,}{'*' if m.cap_bound else ''}" for m in self.members)
        return f"Allocation({self.council!r}, total_fee={self.total_fee:,}, {body})"
