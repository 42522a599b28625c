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
import functools
import re
import warnings
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from .. import _validators as v
from .._display import Column, Lang, TableView
from .._validators import month as _month
from .._validators import to_month as _to_month
from ..calendar import Month, parse_datetime, to_jst
from ..errors import ValidationError, ValidationWarning

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


JP: Final = "JP"
"""The token in :attr:`ServiceCalendar.holidays` standing for Japan's public holidays (国民の祝日,
振替休日 and 国民の休日, from the ``holidays`` package, for any year asked about)."""


def _dates(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple):
        raise ValidationError(f"{attribute.name} must be a list of dates, got {value!r}")
    for d in value:
        if attribute.name == "holidays" and d == JP:
            continue
        if not isinstance(d, _dt.date) or isinstance(d, _dt.datetime):
            raise ValidationError(f"{attribute.name} must hold dates such as 2015-05-04, got {d!r}")


def _to_dates(value: Any) -> Any:
    if isinstance(value, str) and value.strip().upper() == JP:
        return (JP,)
    value = v.to_tuple(value)
    if isinstance(value, tuple):
        out: list[Any] = []
        token = False
        for d in value:
            if isinstance(d, str) and d.strip().upper() == JP:
                token = True
                continue
            if isinstance(d, str):
                try:
                    d = _dt.date.fromisoformat(d.strip())
                except ValueError:
                    raise ValidationError(f"cannot read {d!r} as a date: expected e.g. 2015-05-04 (or \"JP\" for "
                                          "Japan's public holidays)") from None
            out.append(d)
        try:
            dates = tuple(sorted(set(out)))
        except TypeError:
            return tuple(out)  # the validator names what is not a date
        return ((JP,) if token else ()) + dates
    return value


def _month_day(text: Any, field: str) -> int:
    """``"12-29"`` (or ``"12/29"``) as 1229."""
    m = re.fullmatch(r"\s*(\d{1,2})[-/](\d{1,2})\s*", text) if isinstance(text, str) else None
    if m is None or not (1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= 31):
        raise ValidationError(f"{field} must be month-day text such as '12-29', got {text!r}")
    return int(m[1]) * 100 + int(m[2])


def _year_end(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, tuple) or len(value) != 2:
        raise ValidationError(f"{attribute.name} must be (first, last) month-days such as ('12-29', '01-03'), "
                              f"got {value!r}")
    for x in value:
        _month_day(x, attribute.name)


@functools.lru_cache(maxsize=256)
def japan_holidays(year: int) -> tuple[tuple[_dt.date, str], ...]:
    """Japan's public holidays of ``year``: 国民の祝日, 振替休日 and 国民の休日, with their Japanese names.

    From the ``holidays`` package (imported on first use; computed once per year).
    """
    import holidays as _holidays  # a core dependency, imported lazily (import time of the package)

    days = _holidays.country_holidays("JP", years=year, language="ja")
    return tuple(sorted((d, str(name)) for d, name in days.items()))


@attrs.frozen(kw_only=True, slots=True)
class ServiceCalendar(TableView):
    """The service-hour calendar (サービス提供時間) an availability target applies to.

    Local-government SLAs rarely promise 24x7: the usual promise is the office's opening hours,
    e.g. weekdays 8:30–17:15 except public holidays and the year-end closure.
    :meth:`japan` (or ``holidays = "JP"`` in an operations file) takes 国民の祝日, 振替休日 and
    国民の休日 of every year asked about from the ``holidays`` package; dates listed in
    :attr:`holidays` are the council's own closed days (or, without ``"JP"``, every closed day).
    A calendar that closes weekends but lists no holidays at all warns
    (:class:`~jichitai_cloud.errors.ValidationWarning`) when used for a period containing a public
    holiday, naming the first one it counts as service time.

    Parameters
    ----------
    opens
        Time service opens, ``"08:30"``.
    closes
        Time service closes, ``"17:15"`` (``"24:00"`` for midnight); must not precede :attr:`opens`.
    weekdays
        Days of the week with service, 0 = Monday … 6 = Sunday; default Monday–Friday.
    holidays
        Closed days (public holidays, 祝日), as dates; the token ``"JP"`` adds Japan's public
        holidays of any year (see :meth:`japan`).
    year_end_closure
        Closed over the year end (年末年始, the closed days of local governments under
        地方自治法 第4条の2): from 29 December to 3 January unless :attr:`year_end` says otherwise.
    year_end
        First and last closed day of the year end, month-day text, default ``("12-29", "01-03")``.
    open_days
        Days with service despite the rules above (e.g. a Sunday opening for tax returns, 休日開庁).
    name
        Label, e.g. ``"平日 8:30-17:15"``.
    """

    opens: str = attrs.field(default="08:30", validator=_hhmm)
    closes: str = attrs.field(default="17:15", validator=_hhmm)
    weekdays: tuple[int, ...] = attrs.field(default=(0, 1, 2, 3, 4), converter=v.to_tuple, validator=_weekdays)
    holidays: tuple[_dt.date | str, ...] = attrs.field(default=(), converter=_to_dates, validator=_dates)
    year_end_closure: bool = attrs.field(default=True)
    year_end: tuple[str, str] = attrs.field(default=("12-29", "01-03"), converter=v.to_tuple, validator=_year_end)
    open_days: tuple[_dt.date, ...] = attrs.field(default=(), converter=_to_dates, validator=_dates)
    name: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.close_minute < self.open_minute:
            raise ValidationError(f"closes ({self.closes}) must not be before opens ({self.opens})")

    @classmethod
    def japan(cls, opens: str = "08:30", closes: str = "17:15", *, weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
              closed: tuple[Any, ...] = (), year_end: tuple[str, str] | None = ("12-29", "01-03"),
              open_days: tuple[Any, ...] = (), name: str = "") -> ServiceCalendar:
        """Office hours in Japan: Japan's public holidays (国民の祝日・振替休日・国民の休日, any year)
        and the council's own closed days are not service time.

        Parameters
        ----------
        opens, closes
            Service hours, default 08:30–17:15 (the default calendar's).
        weekdays
            Days of the week with service (0 = Monday), default Monday–Friday.
        closed
            The council's own closed days besides the public holidays, as dates.
        year_end
            Year-end closure (年末年始), first and last day, default 12/29–1/3; None: none.
        open_days
            Days with service despite the rules (休日開庁).
        name
            Label.

        Examples
        --------
        >>> import datetime
        >>> cal = ServiceCalendar.japan()
        >>> cal.service_days(datetime.date(2015, 5, 1), 7).tolist()  # 5/3-5/6: 祝日 and 振替休日
        [True, False, False, False, False, False, True]
        """
        return cls(opens=opens, closes=closes, weekdays=weekdays, holidays=(JP, *closed),
                   year_end_closure=year_end is not None, year_end=year_end or ("12-29", "01-03"),
                   open_days=open_days, name=name)

    @property
    def national_holidays(self) -> bool:
        """Whether Japan's public holidays are closed days (the ``"JP"`` token in :attr:`holidays`)."""
        return JP in self.holidays

    @property
    def closed_dates(self) -> tuple[_dt.date, ...]:
        """The dates listed in :attr:`holidays` (without the ``"JP"`` token)."""
        return tuple(d for d in self.holidays if isinstance(d, _dt.date))

    def public_holidays(self, first: _dt.date, days: int) -> tuple[tuple[_dt.date, str], ...]:
        """Japan's public holidays within ``days`` days from ``first``, with their names (from ``holidays``)."""
        last = first + _dt.timedelta(days=max(days, 1) - 1)
        return tuple((d, n) for y in range(first.year, last.year + 1) for d, n in japan_holidays(y)
                     if first <= d <= last)

    def unlisted_holiday(self, first: _dt.date, days: int) -> tuple[_dt.date, str] | None:
        """The first public holiday of the period counted as service time by a calendar that closes
        weekends but lists no holidays at all (None otherwise, or if there is none)."""
        if self.holidays or not {5, 6}.isdisjoint(self.weekdays) or days <= 0:
            return None
        hol = self.public_holidays(first, days)
        if not hol:
            return None
        open_ = self._open_days(first, days)
        for d, name in hol:  # a handful of holidays a year
            if open_[(d - first).days]:
                return d, name
        return None

    def holiday_warning(self, first: _dt.date, days: int, lang: Lang = "ja") -> str:
        """One line saying which public holiday the calendar counts as service time (``""`` if none)."""
        hit = self.unlisted_holiday(first, days)
        if hit is None:
            return ""
        d, name = hit
        if lang == "en":
            return (f"The service calendar lists no holidays: {d.isoformat()} ({name}) and other public holidays "
                    "count as service time; use ServiceCalendar.japan() or holidays = \"JP\"")
        return (f"サービス提供時間に祝日の指定がありません: {d.isoformat()} ({name}) などの祝日を提供時間として"
                "数えています (ServiceCalendar.japan() または holidays = \"JP\" を指定してください)")

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
        """Whether each of ``days`` consecutive days from ``first`` has service (vectorised over days).

        Warns (:class:`~jichitai_cloud.errors.ValidationWarning`) if the calendar closes weekends
        but lists no holidays and the period holds a public holiday (see :meth:`holiday_warning`).
        """
        note = self.holiday_warning(first, days, "en") if not self.holidays else ""
        if note:
            warnings.warn(ValidationWarning(note), stacklevel=2)
        return self._open_days(first, days)

    def _open_days(self, first: _dt.date, days: int) -> NDArray[np.bool_]:
        d = np.arange(np.datetime64(first, "D"), np.datetime64(first, "D") + days, dtype="datetime64[D]")
        weekday = (d.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        open_ = np.isin(weekday, np.array(self.weekdays, dtype=np.int64))
        closed = list(self.closed_dates)
        if self.national_holidays and days > 0:
            closed += [h for h, _ in self.public_holidays(first, days)]
        if closed:
            open_ &= ~np.isin(d, np.array(closed, dtype="datetime64[D]"))
        if self.year_end_closure:
            month = d.astype("datetime64[M]")
            mday = (d - month.astype("datetime64[D]")).astype(np.int64) + 1
            md = (month.astype(np.int64) % 12 + 1) * 100 + mday
            lo, hi = (_month_day(x, "year_end") for x in self.year_end)
            open_ &= ~(((md >= lo) & (md <= hi)) if lo <= hi else ((md >= lo) | (md <= hi)))
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
        if self.national_holidays:
            parts.append("国民の祝日")
        if self.closed_dates:
            parts.append(f"{'休業日' if self.national_holidays else '祝日'} {len(self.closed_dates)}日")
        if self.year_end_closure:
            a, b = (_month_day(x, "year_end") for x in self.year_end)
            parts.append(f"年末年始({a // 100}/{a % 100}-{b // 100}/{b % 100})")
        text = parts[0] + (f", excluding {' and '.join(parts[1:])} (を除く)" if len(parts) > 1 else "")
        return f"{self.name}: {text}" if self.name else text

    def __repr__(self) -> str:
        return f"ServiceCalendar({self.describe()!r})"

    def _rows(self) -> list[list[Any]]:
        return [
            ["開始時刻 (opens)", self.opens], ["終了時刻 (closes)", self.closes],
            ["提供曜日 (weekdays)", "".join(_WEEKDAYS_JA[d] for d in sorted(self.weekdays))],
            ["休日 (holidays)", "、".join((["国民の祝日 (JP)"] if self.national_holidays else [])
                                         + [d.isoformat() for d in self.closed_dates])],
            [f"年末年始休止 {self.year_end[0]}〜{self.year_end[1]} (year-end closure)",
             "あり (yes)" if self.year_end_closure else "なし (no)"],
            ["臨時開庁日 (open days)", "、".join(d.isoformat() for d in self.open_days)],
        ]

    _COLUMNS = (Column("rule", "項目", "Rule", "text"), Column("value", "設定", "Setting", "text"))
    _KEY = "service_calendar"
    _SHEET = ("サービス提供時間", "Service hours")

    def _title(self, lang: Lang = "ja") -> str:
        label = "サービス提供時間" if lang == "ja" else "Service hours"
        return f"{label}: {self.name}" if self.name else label

