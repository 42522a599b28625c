"""Operations input records: monthly observations, the outage log and the service-hour calendar.

These are the records the secretariat keeps for service-level monitoring (SLM); the computations
that use them (availability, compliance, the monthly report) live in
:mod:`jichitai_cloud.operations`.

Every instant is read in Japan Standard Time (JST, UTC+9, no daylight saving time): a naive
``datetime`` is taken to be JST already; an aware one is converted (see
:func:`jichitai_cloud.calendar.to_jst`).

Scopes
------
Records may be for the whole council (member ``""``, 全体) or for one member, and for all
business systems (system ``""``) or one.

References
----------
.. [1] 総務省, 地方公共団体における情報システムの非機能要件の標準: 稼働率 99.5 %,
   稼働率 = (計画サービス時間 - 停止時間) / 計画サービス時間.
.. [2] 総務省 (2010), 地方公共団体における ASP・SaaS 導入活用ガイドライン: SLA 項目と SLM.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from .. import _validators as v
from .._display import Column, Lang, TableView
from .._validators import month as _month
from .._validators import to_month as _to_month
from ..calendar import Month, parse_datetime, to_jst
from ..errors import ValidationError

__all__ = ["ALL", "Observation", "Outage", "OutageCause", "ServiceCalendar", "scope_code"]

ALL = ""
"""Member or system code meaning "the whole council" / "every system" (全体)."""


def scope_code(_inst: Any, attribute: Any, value: Any) -> None:
    """Validator: ``""`` (the whole council, every system) or a code (see :func:`check_member_code`)."""
    if not isinstance(value, str):
        raise ValidationError(f"{attribute.name} must be a code without surrounding spaces ('' = all), got {value!r}")
    if value != ALL:
        v.check_member_code(value, attribute.name)


# -- observations --------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class Observation:
    """One monthly measurement of an SLA item (SLM実績値).

    Parameters
    ----------
    metric
        Id of the :class:`~jichitai_cloud.SLAMetric` measured.
    month
        Month measured (``"H27.10"``, ``"2015-10"``).
    value
        Measured value, in the metric's unit. [metric unit]
    member
        Member code, or ``""`` for the whole council (全体).
    system
        Business system (業務), or ``""`` for all systems.
    weight
        Weight of this month in a weighted window mean (availability: its scheduled service
        minutes), > 0. [any]
    note
        Free text.
    """

    metric: str = attrs.field(validator=v.non_empty_text())
    month: Month = attrs.field(converter=_to_month, validator=_month)
    value: float = attrs.field(validator=v.real())
    member: str = attrs.field(default=ALL, validator=scope_code)
    system: str = attrs.field(default=ALL, validator=scope_code)
    weight: float = attrs.field(default=1.0, validator=v.real(min=0, min_exclusive=True))
    note: str = attrs.field(default="", validator=v.text())

    @property
    def scope(self) -> tuple[str, str]:
        """``(member, system)``."""
        return (self.member, self.system)



# -- outages -------------------------------------------------------------------------------------
class OutageCause(enum.StrEnum):
    """Whose fault an outage was (障害原因の区分)."""

    VENDOR = "vendor"
    """受託者 (the vendor): counts against availability unless planned."""
    MEMBER = "member"
    """団体側 (a member's own equipment, network or operation): does not count."""
    EXTERNAL = "external"
    """外部要因 (carrier line, power company, disaster: force majeure): does not count."""

    @classmethod
    def _missing_(cls, value: object) -> OutageCause | None:
        """Accept the Japanese names (``"受託者"``, ``"団体"``, ``"外部"``)."""
        return _CAUSE_ALIASES.get(value.strip()) if isinstance(value, str) else None


_CAUSE_ALIASES = {"受託者": OutageCause.VENDOR, "ベンダー": OutageCause.VENDOR, "団体": OutageCause.MEMBER,
                  "団体側": OutageCause.MEMBER, "外部": OutageCause.EXTERNAL, "外部要因": OutageCause.EXTERNAL,
                  "不可抗力": OutageCause.EXTERNAL}


def _to_cause(value: Any) -> OutageCause:  # a named converter: mypy's attrs plugin reads its return type
    return v.to_enum(OutageCause, "cause")(value)


def _to_instant(value: Any) -> Any:
    if isinstance(value, str):
        return parse_datetime(value)
    if isinstance(value, _dt.datetime):
        return to_jst(value)
    return value


def _to_optional_instant(value: Any) -> Any:
    if value is None or value == "":
        return None
    return _to_instant(value)


def _instant(_inst: Any, attribute: Any, value: Any) -> None:
    if value is None and attribute.name == "notified":
        return
    if not isinstance(value, _dt.datetime):
        raise ValidationError(f"{attribute.name} must be a date and time such as '2015-10-05 09:30', got {value!r}")


@attrs.frozen(kw_only=True, slots=True)
class Outage:
    """One entry of the outage log (障害・停止記録).

    Parameters
    ----------
    start, end
        When the service stopped and was restored.  Naive times (and ISO text without an offset)
        are Japan time; aware times are converted to Japan time.
    planned
        A planned outage (計画停止: maintenance, version upgrade レベルアップ, power work 停電対応
        announced in advance).  Planned minutes are never downtime.
    cause
        ``"vendor"`` (default), ``"member"`` or ``"external"``; only the vendor's unplanned outages
        count against availability.
    member
        Member affected, or ``""`` for every member.
    system
        Business system affected, or ``""`` for every system.
    notified
        When the vendor notified the council (障害通知), for the notification-time item.
    description
        What happened.
    """

    start: _dt.datetime = attrs.field(converter=_to_instant, validator=_instant)
    end: _dt.datetime = attrs.field(converter=_to_instant, validator=_instant)
    planned: bool = attrs.field(default=False, validator=attrs.validators.instance_of(bool))
    cause: OutageCause = attrs.field(default=OutageCause.VENDOR, converter=_to_cause)
    member: str = attrs.field(default=ALL, validator=scope_code)
    system: str = attrs.field(default=ALL, validator=scope_code)
    notified: _dt.datetime | None = attrs.field(default=None, converter=_to_optional_instant, validator=_instant)
    description: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(f"end ({self.end.isoformat()}) is before start ({self.start.isoformat()})")
        if self.notified is not None and self.notified < self.start:
            raise ValidationError(f"notified ({self.notified.isoformat()}) is before start ({self.start.isoformat()})")

    @property
    def counted(self) -> bool:
        """Counts as downtime: unplanned and the vendor's fault."""
        return not self.planned and self.cause is OutageCause.VENDOR

    @property
    def duration_minutes(self) -> float:
        """Length of the outage (wall clock, not only service hours). [minutes]"""
        return (self.end - self.start).total_seconds() / 60.0

    @property
    def notification_minutes(self) -> float | None:
        """Minutes from the start to the notification (None if not recorded). [minutes]"""
        return None if self.notified is None else (self.notified - self.start).total_seconds() / 60.0



# -- service hours -------------------------------------------------------------------------------
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")
_WEEKDAYS_JA: Final = "月火水木金土日"




def _minute_of_day(text: str, name: str) -> int:
    m = _HHMM.match(text.strip()) if isinstance(text, str) else None
    if m is None:
        raise ValidationError(f"{name} must be a time such as '08:30' (or '24:00'), got {text!r}")
    h, mi = int(m[1]), int(m[2])
    if mi >= 60 or h * 60 + mi > 1440:
        raise ValidationError(f"{name} must be a time between 00:00 and 24:00, got {text!r}")
    return h * 60 + mi


def _hhmm(_inst: Any, attribute: Any, value: Any) -> None:
    _minute_of_day(value, attribute.name)


def _weekdays(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6
                                           for d in value):
        raise ValidationError(f"{attribute.name} must list weekdays 0 (Monday) .. 6 (Sunday), got {value!r}")
    v.unique(what="weekday")(None, attribute, value)


def _dates(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple):
        raise ValidationError(f"{attribute.name} must be a list of dates, got {value!r}")
    for d in value:
        if not isinstance(d, _dt.date) or isinstance(d, _dt.datetime):
            raise ValidationError(f"{attribute.name} must hold dates such as 2015-05-04, got {d!r}")


def _to_dates(value: Any) -> Any:
    value = v.to_tuple(value)
    if isinstance(value, tuple):
        out = []
        for d in value:
            if isinstance(d, str):
                try:
                    d = _dt.date.fromisoformat(d.strip())
                except ValueError:
                    raise ValidationError(f"cannot read {d!r} as a date: expected e.g. 2015-05-04") from None
            out.append(d)
        return tuple(sorted(set(out)))
    return value


@attrs.frozen(kw_only=True, slots=True)
class ServiceCalendar(TableView):
    """The service-hour calendar (サービス提供時間) an availability target applies to.

    Local-government SLAs rarely promise 24x7: the usual promise is the office's opening hours,
    e.g. weekdays 8:30–17:15 except public holidays and the year-end closure.  The package ships
    no holiday table (and depends on no holiday package): the council lists its closed days
    explicitly in :attr:`holidays` (国民の祝日・振替休日・国民の休日 of the years concerned, and
    any of its own).

    Parameters
    ----------
    opens
        Time service opens, ``"08:30"``.
    closes
        Time service closes, ``"17:15"`` (``"24:00"`` for midnight); must not precede :attr:`opens`.
    weekdays
        Days of the week with service, 0 = Monday … 6 = Sunday; default Monday–Friday.
    holidays
        Closed days (public holidays, 祝日), as dates.
    year_end_closure
        Closed from 29 December to 3 January (年末年始, the closed days of local governments under
        地方自治法 第4条の2).
    open_days
        Days with service despite the rules above (e.g. a Sunday opening for tax returns, 休日開庁).
    name
        Label, e.g. ``"平日 8:30-17:15"``.
    """

    opens: str = attrs.field(default="08:30", validator=_hhmm)
    closes: str = attrs.field(default="17:15", validator=_hhmm)
    weekdays: tuple[int, ...] = attrs.field(default=(0, 1, 2, 3, 4), converter=v.to_tuple, validator=_weekdays)
    holidays: tuple[_dt.date, ...] = attrs.field(default=(), converter=_to_dates, validator=_dates)
    year_end_closure: bool = attrs.field(default=True)
    open_days: tuple[_dt.date, ...] = attrs.field(default=(), converter=_to_dates, validator=_dates)
    name: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.close_minute < self.open_minute:
            raise ValidationError(f"closes ({self.closes}) must not be before opens ({self.opens})")

    @classmethod
    def always(cls) -> ServiceCalendar:
        """Round the clock, every day (24時間365日)."""
        return cls(opens="00:00", closes="24:00", weekdays=tuple(range(7)), year_end_closure=False,
                   name="24時間365日")

    @property
    def open_minute(self) -> int:
        """Minute of the day service opens (510 for 08:30). [minutes]"""
        return _minute_of_day(self.opens, "opens")

    @property
    def close_minute(self) -> int:
        """Minute of the day service closes (1035 for 17:15). [minutes]"""
        return _minute_of_day(self.closes, "closes")

    def service_days(self, first: _dt.date, days: int) -> NDArray[np.bool_]:
        """Whether each of ``days`` consecutive days from ``first`` has service (vectorised over days)."""
        d = np.arange(np.datetime64(first, "D"), np.datetime64(first, "D") + days, dtype="datetime64[D]")
        weekday = (d.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        open_ = np.isin(weekday, np.array(self.weekdays, dtype=np.int64))
        if self.holidays:
            open_ &= ~np.isin(d, np.array(self.holidays, dtype="datetime64[D]"))
        if self.year_end_closure:
            month = d.astype("datetime64[M]")
            mday = (d - month.astype("datetime64[D]")).astype(np.int64) + 1
            mon = month.astype(np.int64) % 12 + 1
            open_ &= ~(((mon == 12) & (mday >= 29)) | ((mon == 1) & (mday <= 3)))
        if self.open_days:
            open_ |= np.isin(d, np.array(self.open_days, dtype="datetime64[D]"))
        return open_

    def service_windows(self, first: _dt.date, days: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Opening and closing minute of each of ``days`` days from ``first`` (both 0 on a closed day).

        The per-day service windows that
        :func:`jichitai_cloud.operations.kernels.service_cumulative` takes. [minutes]
        """
        open_ = self.service_days(first, days)
        lo = np.where(open_, self.open_minute, 0).astype(np.int64)
        hi = np.where(open_, self.close_minute, 0).astype(np.int64)
        return lo, hi

    def describe(self) -> str:
        """One line, e.g. ``"月-金 08:30-17:15, 祝日 16日・年末年始を除く"``."""
        days = "".join(_WEEKDAYS_JA[d] for d in sorted(self.weekdays))
        parts = [f"{days} {self.opens}-{self.closes}"]
        if self.holidays:
            parts.append(f"祝日 {len(self.holidays)}日")
        if self.year_end_closure:
            parts.append("年末年始(12/29-1/3)")
        text = parts[0] + (f", excluding {' and '.join(parts[1:])} (を除く)" if len(parts) > 1 else "")
        return f"{self.name}: {text}" if self.name else text

    def __repr__(self) -> str:
        return f"ServiceCalendar({self.describe()!r})"

    def _rows(self) -> list[list[Any]]:
        return [
            ["開始時刻 (opens)", self.opens], ["終了時刻 (closes)", self.closes],
            ["提供曜日 (weekdays)", "".join(_WEEKDAYS_JA[d] for d in sorted(self.weekdays))],
            ["休日 (holidays)", "、".join(d.isoformat() for d in self.holidays)],
            ["年末年始休止 12/29-1/3 (year-end closure)", "あり (yes)" if self.year_end_closure else "なし (no)"],
            ["臨時開庁日 (open days)", "、".join(d.isoformat() for d in self.open_days)],
        ]

    _COLUMNS = (Column("rule", "項目", "Rule", "text"), Column("value", "設定", "Setting", "text"))
    _KEY = "service_calendar"
    _SHEET = ("サービス提供時間", "Service hours")

    def _title(self, lang: Lang = "ja") -> str:
        label = "サービス提供時間" if lang == "ja" else "Service hours"
        return f"{label}: {self.name}" if self.name else label

