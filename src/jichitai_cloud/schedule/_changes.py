"""Joining and leaving as schedule changes (途中離脱・新規参加): every member's months and fee before and after.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 8. まとめ: 途中離脱や新規参加への対応.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .._display import Lang, TableView, cols
from ..allocation import AllocationRule, MembershipChange, membership_change
from ..calendar import Month
from ..model import Consortium, Municipality
from ._plan import MigrationPlan

__all__ = ["ScheduleChange", "schedule_change"]


@attrs.frozen(kw_only=True, slots=True)
class ScheduleChange(TableView):
    """A member joining or leaving a running council: each member's months on the cloud and fee share.

    Parameters
    ----------
    plan
        The migration plan the council runs on.
    change
        The allocations before and after (:class:`~jichitai_cloud.allocation.MembershipChange`).
    """

    plan: MigrationPlan
    change: MembershipChange

    _COLUMNS = cols("code", "name", "cloud_start", "leaves", "months_before", "months_after", "share_before",
                    "share_after", "change")
    _KEY = "schedule_change"
    _SHEET = ("途中離脱・新規参加", "Membership change")
    _INDEX = "code"
    _TOTALS = True

    def _rows(self) -> list[list[Any]]:
        before, after = self.change.before, self.change.after
        leaving = dict(self.change.leaving)
        codes = list(before.codes) + [c for c in after.codes if c not in before.codes]
        rows = []
        for c in codes:
            b = before.member(c) if c in before.codes else None
            a = after.member(c) if c in after.codes else None
            line = a or b
            assert line is not None
            sb, sa = (b.share if b else 0), (a.share if a else 0)
            rows.append([c, line.name, line.first_month, leaving.get(c), b.months_on_cloud if b else 0,
                         a.months_on_cloud if a else 0, sb, sa, sa - sb])
        return rows

    def _title(self, lang: Lang = "ja") -> str:
        return self.change._title(lang)

    def summary(self, lang: Lang = "ja") -> str:
        """The notes of the allocation after the change (Japanese; ``lang="en"``: English)."""
        return self.change.summary(lang)

    def __str__(self) -> str:
        return self.to_text()


def schedule_change(plan: MigrationPlan, council: Consortium, total_fee: int | Sequence[int],
                    rule: AllocationRule | None = None, *, joining: Sequence[Municipality] = (),
                    leaving: Mapping[str, Month | str] | None = None,
                    total_fee_after: int | Sequence[int] | None = None) -> ScheduleChange:
    """Members joining or leaving a council that runs on ``plan``, and the effect on everyone's fee.

    Parameters
    ----------
    plan
        The migration plan; its cloud starts are applied to ``council`` (:meth:`MigrationPlan.apply`).
    council
        The council (population, current cost … of each member).
    total_fee
        The cloud fee over the evaluation period, or the fee of each month. [yen]
    rule
        The allocation rule (default 均等割:人口割 = 3:7).
    joining
        New members, each with its ``cloud_start`` (the month it joins).
    leaving
        Member code → first month it is no longer on the cloud. [month]
    total_fee_after
        The fee after the change, if the vendor's fee changes. [yen]

    Returns
    -------
    ScheduleChange
        Per member (old and new): cloud start, leaving month, months on the cloud and fee share before
        and after, through :func:`jichitai_cloud.allocation.membership_change`.
    """
    change = membership_change(plan.apply(council), total_fee, rule, leaving=leaving, joining=joining,
                               total_fee_after=total_fee_after)
    return ScheduleChange(plan=plan, change=change)
