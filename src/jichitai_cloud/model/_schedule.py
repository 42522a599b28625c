"""The migration schedule's records (移行スケジュール): each member's contract and costs, council milestones.

A council keeps, per member, when its current system's contract ends (現行稼働満了想定), what the
current system and the cloud cost a month, the penalty for ending early (違約金), the months in
which it may move (its migration window) and the planned cloud start (クラウド開始); and for the
council, the horizon it plans over, how many cutovers the vendor can take at once, months in
which nobody may cut over, its busy seasons (繁忙期) and milestones such as the My Number schedule
(番号制度スケジュール).  :func:`jichitai_cloud.schedule.plan_migration` plans from these records.
"""

from __future__ import annotations

from typing import Any

import attrs

from .. import _validators as v
from ..calendar import Month
from ..errors import ValidationError

__all__ = ["MigrationSchedule", "MigrationTerms", "Milestone"]


def _to_months(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(v.to_month(x) for x in value)
    return value


def _months(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or not all(isinstance(m, Month) for m in value):
        raise ValidationError(f"{attribute.name} must be a list of months such as 'H28.03', got {value!r}")


def _months_of_year(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or any(isinstance(x, bool) or not isinstance(x, int) or not 1 <= x <= 12
                                           for x in value):
        raise ValidationError(f"{attribute.name} must be a list of months of the year 1-12 (e.g. [3, 4]), "
                              f"got {value!r}")


def _bool(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise ValidationError(f"{attribute.name} must be true or false, got {value!r}")


@attrs.frozen(kw_only=True, slots=True)
class MigrationTerms:
    """One member's contract and costs for planning its move to the cloud.

    Parameters
    ----------
    code
        Member code (団体コード or short id, ``"A"``).
    name
        Name (``"A市"``).
    current_system_end
        Last month the current contract covers (現行稼働満了想定).
    current_monthly
        Current system cost per month within the contract. [yen]
    cloud_monthly
        Cloud cost per month (クラウド利用料). [yen]
    penalty_monthly
        Cancellation penalty per contract month left unused when the contract ends early (違約金). [yen]
    extension_monthly
        Current system cost per month past the contract (延長); default ``current_monthly``. [yen]
    parallel
        Months the current system keeps running after the cloud start (並行稼働). [months]
    can_extend
        Whether the current system may run past its contract; if not, a later cloud start leaves
        months with no system and is not planned.
    earliest, latest
        The member's migration window: the first and last month its cloud start may be.
    planned_start
        The cloud start as planned (クラウド開始), e.g. the document's table.
    migration_start
        First month of migration work (移行: data migration, tests, training) for the planned start;
        default ``migration_months`` before the cloud start.
    group
        Which table the member is in, e.g. ``"基幹系"``.
    """

    code: str = attrs.field(validator=v.member_code)
    name: str = attrs.field(default="", validator=v.text())
    current_system_end: Month = attrs.field(converter=v.to_month, validator=v.month)
    current_monthly: int = attrs.field(converter=v.to_int, validator=v.integer(min=0, unit="yen"))
    cloud_monthly: int = attrs.field(converter=v.to_int, validator=v.integer(min=0, unit="yen"))
    penalty_monthly: int = attrs.field(converter=v.to_int, default=0, validator=v.integer(min=0, unit="yen"))
    extension_monthly: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=0, unit="yen",
                                                                                  optional=True))
    parallel: int = attrs.field(converter=v.to_int, default=0, validator=v.integer(min=0, max=120, unit="months"))
    can_extend: bool = attrs.field(default=True, validator=_bool)
    earliest: Month | None = attrs.field(default=None, converter=v.to_month, validator=v.optional_month)
    latest: Month | None = attrs.field(default=None, converter=v.to_month, validator=v.optional_month)
    planned_start: Month | None = attrs.field(default=None, converter=v.to_month, validator=v.optional_month)
    migration_start: Month | None = attrs.field(default=None, converter=v.to_month, validator=v.optional_month)
    group: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.earliest is not None and self.latest is not None and self.latest < self.earliest:
            raise ValidationError(f"member {self.code!r}: latest {self.latest.era_short()} is before earliest "
                                  f"{self.earliest.era_short()} (the migration window is empty)")
        if (self.migration_start is not None and self.planned_start is not None
                and self.migration_start > self.planned_start):
            raise ValidationError(f"member {self.code!r}: migration_start {self.migration_start.era_short()} is "
                                  f"after planned_start {self.planned_start.era_short()}")


@attrs.frozen(kw_only=True, slots=True)
class Milestone:
    """A council milestone shown above the members (e.g. a My Number schedule row, 番号制度スケジュール).

    Parameters
    ----------
    name
        What happens, e.g. ``"個人番号を住民票に記載"``.
    first
        First month.
    last
        Last month (default: ``first``).
    row
        The row it belongs to, e.g. ``"番号制度スケジュール"`` or ``"(付番対応)"``.
    """

    name: str = attrs.field(validator=v.non_empty_text())
    first: Month = attrs.field(converter=v.to_month, validator=v.month)
    last: Month | None = attrs.field(default=None, converter=v.to_month, validator=v.optional_month)
    row: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.last is not None and self.last < self.first:
            raise ValidationError(f"milestone {self.name!r}: last {self.last.era_short()} is before first "
                                  f"{self.first.era_short()}")

    @property
    def end(self) -> Month:
        """The last month (``first`` when no ``last`` is given)."""
        return self.first if self.last is None else self.last


def _members(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or not value or not all(isinstance(m, MigrationTerms) for m in value):
        raise ValidationError(f"{attribute.name} must list at least one member's terms, got {value!r}")
    v.unique(key=lambda m: m.code, what="code")(None, attribute, value)


@attrs.frozen(kw_only=True, slots=True)
class MigrationSchedule:
    """A council's migration planning input (移行スケジュール).

    Parameters
    ----------
    name
        Name of the schedule, e.g. ``"基幹系(住民記録等)システム移行スケジュール"``.
    horizon_start, horizon_end
        First and last month whose costs are counted (inclusive); candidate cloud starts lie within.
    members
        Each member's :class:`MigrationTerms`; codes unique.
    capacity
        Most cutovers the vendor takes in one month or quarter (``per``); None: no limit. [members]
    per
        ``"month"`` or ``"quarter"`` (fiscal quarter, 1Q = April–June).
    blackout
        Months in which no member may cut over (e.g. ``["H28.03", "H28.04"]``).
    busy_months
        Months of the year that are busy seasons (繁忙期) for tests and training, e.g. ``[3, 4, 5]``.
    test_months
        Months before the cloud start spent on operation tests and training (運用テスト・操作研修). [months]
    migration_months
        Length of the migration phase (移行) before the cloud start when a member gives no
        ``migration_start``. [months]
    milestones
        Council milestones (e.g. the My Number schedule rows).
    source
        Citation.
    notes
        What is illustrative.
    """

    name: str = attrs.field(validator=v.non_empty_text())
    horizon_start: Month = attrs.field(converter=v.to_month, validator=v.month)
    horizon_end: Month = attrs.field(converter=v.to_month, validator=v.month)
    members: tuple[MigrationTerms, ...] = attrs.field(converter=v.to_tuple, validator=_members)
    capacity: int | None = attrs.field(converter=v.to_int, default=None, validator=v.integer(min=1, unit="members", optional=True))
    per: str = attrs.field(default="month", validator=v.one_of(("month", "quarter")))
    blackout: tuple[Month, ...] = attrs.field(default=(), converter=_to_months, validator=_months)
    busy_months: tuple[int, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_months_of_year)
    test_months: int = attrs.field(converter=v.to_int, default=3, validator=v.integer(min=0, max=36, unit="months"))
    migration_months: int = attrs.field(converter=v.to_int, default=6, validator=v.integer(min=0, max=60, unit="months"))
    milestones: tuple[Milestone, ...] = attrs.field(default=(), converter=v.to_tuple)
    source: str = attrs.field(default="", validator=v.text())
    notes: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.horizon_end < self.horizon_start:
            raise ValidationError(f"horizon_end {self.horizon_end.era_short()} is before horizon_start "
                                  f"{self.horizon_start.era_short()}")
        if self.horizon_end - self.horizon_start >= 1200:
            raise ValidationError("the horizon must be at most 1200 months [months]")

    @property
    def codes(self) -> tuple[str, ...]:
        """Member codes in order."""
        return tuple(m.code for m in self.members)

    @property
    def horizon_months(self) -> int:
        """Length of the horizon. [months]"""
        return self.horizon_end - self.horizon_start + 1

    def member(self, code: str) -> MigrationTerms:
        """The terms of member ``code``."""
        from ..errors import UnknownMemberError

        for m in self.members:
            if m.code == code:
                return m
        raise UnknownMemberError(f"no member with code {code!r} in the schedule; members are {list(self.codes)}")
