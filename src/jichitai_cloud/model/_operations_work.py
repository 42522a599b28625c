"""Operations records of the monthly review: work done, issues, improvement requests, the schedule.

Every month the operations subcommittee (運用管理部会) reviews last month's work (当月作業実績:
inquiries 問合せ対応, version upgrades レベルアップ, power-outage work 停電対応, incident handling
障害対応), the schedule (翌月以降の作業予定), work for changes in law (制度改正対応), open issues
(課題・検討事項) and improvement requests (改善要望).  These are those records; the report that
shows them is :func:`jichitai_cloud.operations.monthly_report`.

References
----------
.. [1] 富山県情報システム共同利用推進協議会事務局 (2016), 6. 運用: 運用管理部会定例会; 運用過程での
   主な成果物 (毎月) 1-5.
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any

import attrs

from .. import _validators as v
from .._validators import month as _month
from .._validators import to_month as _to_month
from ..calendar import Month
from ..errors import ValidationError
from ._operations_records import ALL, scope_code

__all__ = [
    "ImprovementRequest",
    "Issue",
    "ItemStatus",
    "LegalChange",
    "ScheduledWork",
    "WorkCategory",
    "WorkRecord",
]


def _system_names(_inst: Any, attribute: Any, value: Any) -> None:
    """Validator: a tuple of business-system names, none blank."""
    if not isinstance(value, tuple) or not all(isinstance(c, str) and c.strip() for c in value):
        raise ValidationError(f"{attribute.name} must be a list of names, got {value!r}")


class WorkCategory(enum.StrEnum):
    """Kinds of operations work (作業区分)."""

    INQUIRY = "inquiry"
    """問合せ対応: inquiries answered."""
    UPGRADE = "upgrade"
    """レベルアップ: package version upgrades applied."""
    POWER_OUTAGE = "power_outage"
    """停電対応: shutdown and restart around a (building) power outage."""
    INCIDENT = "incident"
    """障害対応: incidents handled."""
    LEGAL_CHANGE = "legal_change"
    """制度改正対応: changes for a revised law or system."""
    MAINTENANCE = "maintenance"
    """定期保守: routine maintenance."""
    OTHER = "other"
    """その他."""

    @property
    def ja(self) -> str:
        """Japanese name."""
        return _WORK_JA[self]

    @property
    def en(self) -> str:
        """English name (``"Inquiries"``)."""
        return _WORK_EN[self]

    @classmethod
    def _missing_(cls, value: object) -> WorkCategory | None:
        """Accept the Japanese names (``"問合せ対応"``)."""
        return _WORK_ALIASES.get(value.strip()) if isinstance(value, str) else None


_WORK_JA = {
    WorkCategory.INQUIRY: "問合せ対応",
    WorkCategory.UPGRADE: "レベルアップ",
    WorkCategory.POWER_OUTAGE: "停電対応",
    WorkCategory.INCIDENT: "障害対応",
    WorkCategory.LEGAL_CHANGE: "制度改正対応",
    WorkCategory.MAINTENANCE: "定期保守",
    WorkCategory.OTHER: "その他",
}


class ItemStatus(enum.StrEnum):
    """Status of an issue or improvement request (対応状況)."""

    OPEN = "open"
    """受付 / 未着手: received, not started."""
    IN_PROGRESS = "in_progress"
    """検討中 / 対応中: being examined or worked on."""
    PLANNED = "planned"
    """対応予定: agreed, scheduled."""
    DONE = "done"
    """対応済 / 完了: done."""
    DECLINED = "declined"
    """見送り / 対応不可: not done."""
    WITHDRAWN = "withdrawn"
    """取下げ: withdrawn by the member."""

    @property
    def ja(self) -> str:
        """Japanese name."""
        return _STATUS_JA[self]

    @property
    def en(self) -> str:
        """English name (``"In progress"``)."""
        return _STATUS_EN[self]

    @property
    def closed(self) -> bool:
        """Done, declined or withdrawn."""
        return self in (ItemStatus.DONE, ItemStatus.DECLINED, ItemStatus.WITHDRAWN)

    @classmethod
    def _missing_(cls, value: object) -> ItemStatus | None:
        """Accept the Japanese names (``"検討中"``, ``"対応済"``)."""
        return _STATUS_ALIASES.get(value.strip()) if isinstance(value, str) else None


_STATUS_JA = {
    ItemStatus.OPEN: "受付",
    ItemStatus.IN_PROGRESS: "検討中",
    ItemStatus.PLANNED: "対応予定",
    ItemStatus.DONE: "対応済",
    ItemStatus.DECLINED: "見送り",
    ItemStatus.WITHDRAWN: "取下げ",
}
_STATUS_EN = {ItemStatus.OPEN: "Received", ItemStatus.IN_PROGRESS: "Under review", ItemStatus.PLANNED: "Planned",
              ItemStatus.DONE: "Done", ItemStatus.DECLINED: "Declined", ItemStatus.WITHDRAWN: "Withdrawn"}
_WORK_EN = {WorkCategory.INQUIRY: "Inquiries", WorkCategory.UPGRADE: "Version upgrades",
            WorkCategory.POWER_OUTAGE: "Power outages", WorkCategory.INCIDENT: "Incidents",
            WorkCategory.LEGAL_CHANGE: "Legal changes", WorkCategory.MAINTENANCE: "Maintenance",
            WorkCategory.OTHER: "Other"}
_STATUS_ALIASES = {**{ja: s for s, ja in _STATUS_JA.items()}, "未着手": ItemStatus.OPEN, "対応中": ItemStatus.IN_PROGRESS,
                   "完了": ItemStatus.DONE, "対応不可": ItemStatus.DECLINED, "取り下げ": ItemStatus.WITHDRAWN}
_WORK_ALIASES = {**{ja: c for c, ja in _WORK_JA.items()}, "問い合わせ対応": WorkCategory.INQUIRY,
                 "保守": WorkCategory.MAINTENANCE}


def _to_status(value: Any) -> ItemStatus:  # a named converter: mypy's attrs plugin reads its return type
    return v.to_enum(ItemStatus, "status")(value)


def _to_category(value: Any) -> WorkCategory:
    return v.to_enum(WorkCategory, "category")(value)


def _to_opt_month(value: Any) -> Any:
    return None if value is None or value == "" else _to_month(value)


def _opt_date(_inst: Any, attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, _dt.date) or isinstance(value, _dt.datetime)):
        raise ValidationError(f"{attribute.name} must be a date such as 2015-11-14, got {value!r}")


def _to_opt_date(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(f"cannot read {value!r} as a date: expected e.g. 2015-11-14") from None
    return value


# -- inputs --------------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class WorkRecord:
    """A count of work done in a month (当月作業実績), e.g. 42 inquiries answered.

    Parameters
    ----------
    month
        Month the work was done.
    category
        :class:`WorkCategory` (``"inquiry"`` or ``"問合せ対応"`` …).
    count
        Number of items. [items]
    member
        Member concerned, or ``""`` for the whole council.
    system
        Business system, or ``""``.
    note
        Free text.
    """

    month: Month = attrs.field(converter=_to_month, validator=_month)
    category: WorkCategory = attrs.field(converter=_to_category)
    count: int = attrs.field(converter=v.to_int, validator=v.integer(min=0, unit="items"))
    member: str = attrs.field(default=ALL, validator=scope_code)
    system: str = attrs.field(default=ALL, validator=scope_code)
    note: str = attrs.field(default="", validator=v.text())


def _status_consistent(self: Any, closed_field: str) -> None:
    closed = getattr(self, closed_field)
    opened = getattr(self, "opened" if hasattr(self, "opened") else "requested")
    if self.status.closed and closed is None:
        raise ValidationError(f"{type(self).__name__} {self.id!r} is {self.status.value!r} but has no {closed_field} month")
    if closed is not None and not self.status.closed:
        raise ValidationError(f"{type(self).__name__} {self.id!r} has {closed_field} {closed.iso()} but status "
                              f"{self.status.value!r} (expected done, declined or withdrawn)")
    if closed is not None and closed < opened:
        raise ValidationError(f"{type(self).__name__} {self.id!r}: {closed_field} {closed.iso()} is before {opened.iso()}")


def _status_at(status: ItemStatus, opened: Month, closed: Month | None, month: Month) -> ItemStatus | None:
    if opened > month:
        return None
    if closed is not None:
        return status if closed <= month else ItemStatus.IN_PROGRESS
    return status


@attrs.frozen(kw_only=True, slots=True)
class Issue:
    """An issue under discussion (課題・検討事項).

    Parameters
    ----------
    id
        Identifier, e.g. ``"K-003"``.
    title
        What it is about.
    opened
        Month it was raised.
    status
        :class:`ItemStatus` now; a closed status needs :attr:`closed`.
    closed
        Month it was settled.
    owner
        Who acts (``"vendor"``, a member code, ``"secretariat"``).
    note
        Free text.
    """

    id: str = attrs.field(validator=v.non_empty_text())
    title: str = attrs.field(validator=v.non_empty_text())
    opened: Month = attrs.field(converter=_to_month, validator=_month)
    status: ItemStatus = attrs.field(default=ItemStatus.OPEN, converter=_to_status)
    closed: Month | None = attrs.field(default=None, converter=_to_opt_month, validator=v.optional_month)
    owner: str = attrs.field(default="", validator=v.text())
    note: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        _status_consistent(self, "closed")

    def status_at(self, month: Month) -> ItemStatus | None:
        """Status at the end of ``month`` (None if not yet raised; in progress if closed later)."""
        return _status_at(self.status, self.opened, self.closed, month)


@attrs.frozen(kw_only=True, slots=True)
class ImprovementRequest:
    """An improvement request (改善要望) from a member to the vendor.

    Parameters
    ----------
    id
        Identifier, e.g. ``"Y-012"``.
    title
        What is asked.
    requested
        Month it was asked.
    member
        Member asking, or ``""`` for all.
    system
        Business system (業務), e.g. ``"住民記録"``.
    status
        :class:`ItemStatus` now; a closed status needs :attr:`resolved`.
    resolved
        Month it was done, declined or withdrawn.
    planned
        Month it is planned for (対応予定月).
    note
        Free text.
    """

    id: str = attrs.field(validator=v.non_empty_text())
    title: str = attrs.field(validator=v.non_empty_text())
    requested: Month = attrs.field(converter=_to_month, validator=_month)
    member: str = attrs.field(default=ALL, validator=scope_code)
    system: str = attrs.field(default=ALL, validator=scope_code)
    status: ItemStatus = attrs.field(default=ItemStatus.OPEN, converter=_to_status)
    resolved: Month | None = attrs.field(default=None, converter=_to_opt_month, validator=v.optional_month)
    planned: Month | None = attrs.field(default=None, converter=_to_opt_month, validator=v.optional_month)
    note: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        _status_consistent(self, "resolved")

    def status_at(self, month: Month) -> ItemStatus | None:
        """Status at the end of ``month`` (None if not yet asked)."""
        return _status_at(self.status, self.requested, self.resolved, month)


@attrs.frozen(kw_only=True, slots=True)
class ScheduledWork:
    """Planned work (作業予定): a version upgrade, power-outage work, a legal change going live …

    Parameters
    ----------
    month
        Month planned.
    category
        :class:`WorkCategory`.
    title
        What will be done.
    date
        Day, if fixed.
    systems
        Business systems concerned (empty: all).
    members
        Members concerned (empty: all).
    outage
        Whether the service stops (a planned outage 計画停止 to announce).
    note
        Free text.
    """

    month: Month = attrs.field(converter=_to_month, validator=_month)
    category: WorkCategory = attrs.field(converter=_to_category)
    title: str = attrs.field(validator=v.non_empty_text())
    date: _dt.date | None = attrs.field(default=None, converter=_to_opt_date, validator=_opt_date)
    systems: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_system_names)
    members: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.member_codes())
    outage: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    note: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.date is not None and Month.from_date(self.date) != self.month:
            raise ValidationError(f"scheduled work {self.title!r}: date {self.date} is not in month {self.month.iso()}")


@attrs.frozen(kw_only=True, slots=True)
class LegalChange:
    """Work for a change in law or national system (制度改正対応).

    Parameters
    ----------
    id
        Identifier.
    title
        The change, e.g. ``"個人番号の利用開始"``.
    effective
        Month the change takes effect (施行).
    systems
        Business systems concerned.
    status
        :class:`ItemStatus`; a closed status needs :attr:`completed`.
    completed
        Month the work was finished.
    note
        Free text.
    """

    id: str = attrs.field(validator=v.non_empty_text())
    title: str = attrs.field(validator=v.non_empty_text())
    effective: Month = attrs.field(converter=_to_month, validator=_month)
    systems: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_system_names)
    status: ItemStatus = attrs.field(default=ItemStatus.PLANNED, converter=_to_status)
    completed: Month | None = attrs.field(default=None, converter=_to_opt_month, validator=v.optional_month)
    note: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.status.closed and self.completed is None:
            raise ValidationError(f"legal change {self.id!r} is {self.status.value!r} but has no completed month")
        if self.completed is not None and not self.status.closed:
            raise ValidationError(f"legal change {self.id!r} has completed {self.completed.iso()} but status "
                                  f"{self.status.value!r}")

    def status_at(self, month: Month) -> ItemStatus:
        """Status at the end of ``month``."""
        if self.completed is not None:
            return self.status if self.completed <= month else ItemStatus.IN_PROGRESS
        return self.status
