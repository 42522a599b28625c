"""Japan time, the service-hour calendar (サービス提供時間) and the minute timeline of a period.

Every instant is read in Japan Standard Time (JST, UTC+9, no daylight saving time): a naive
``datetime`` is taken to be JST already; an aware one is converted.  Months, fiscal quarters and
fiscal years therefore begin at midnight JST: 2015-03-31T15:00Z is 2015-04-01 00:00 JST, the
first minute of fiscal year 2015.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from typing import Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from .. import _validators as v
from .._display import html_table, text_table
from ..calendar import JST, Month, parse_datetime, to_jst
from ..errors import ValidationError
from . import _kernels as kern

__all__ = ["JST", "ServiceCalendar", "Timeline", "parse_datetime", "to_jst"]

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
class ServiceCalendar:
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

    def cumulative(self, first: _dt.date, days: int) -> NDArray[np.int64]:
        """Cumulative service minutes from midnight JST of ``first`` (see :func:`kernels.service_cumulative`). [minutes]"""
        open_ = self.service_days(first, days)
        lo = np.where(open_, self.open_minute, 0)
        hi = np.where(open_, self.close_minute, 0)
        return kern.service_cumulative(lo, hi)

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

    def to_text(self) -> str:
        """The calendar's rules as a small table."""
        return text_table(["rule", "value"], self._rows(), title="service hours (サービス提供時間)")

    def _rows(self) -> list[list[Any]]:
        return [
            ["opens", self.opens], ["closes", self.closes],
            ["weekdays", "".join(_WEEKDAYS_JA[d] for d in sorted(self.weekdays))],
            ["holidays", ", ".join(d.isoformat() for d in self.holidays)],
            ["year_end_closure", self.year_end_closure],
            ["open_days", ", ".join(d.isoformat() for d in self.open_days)],
        ]

    def _repr_html_(self) -> str:
        return html_table(["rule", "value"], self._rows(), caption="service hours (サービス提供時間)")


@attrs.frozen(slots=True)
class Timeline:
    """Consecutive months in Japan time, counted in minutes from midnight JST of the first day.

    Parameters
    ----------
    start
        First month.
    months
        Number of months. [months]
    """

    start: Month
    months: int = attrs.field(validator=v.integer(min=1, max=1200, unit="months"))

    @property
    def month_list(self) -> tuple[Month, ...]:
        """The months, in order."""
        return tuple(self.start + i for i in range(self.months))

    @property
    def origin(self) -> _dt.datetime:
        """Midnight JST of the first day."""
        d = self.start.first_day()
        return _dt.datetime(d.year, d.month, d.day, tzinfo=JST)

    @property
    def days(self) -> int:
        """Days covered. [days]"""
        return ((self.start + self.months).first_day() - self.start.first_day()).days

    @property
    def minutes(self) -> int:
        """Minutes covered. [minutes]"""
        return self.days * kern.MINUTES_PER_DAY

    def boundaries(self) -> NDArray[np.int64]:
        """Minute index of the first minute of each month, and the end, shape ``(months + 1,)``. [minutes]"""
        first = np.datetime64(self.start.first_day(), "M")
        months = np.arange(first, first + self.months + 1, dtype="datetime64[M]").astype("datetime64[D]")
        out: NDArray[np.int64] = ((months - months[0]).astype(np.int64) * kern.MINUTES_PER_DAY).astype(np.int64)
        return out

    def minute_of(self, instants: Sequence[_dt.datetime], *, ceil: bool = False) -> NDArray[np.int64]:
        """Minute index of each instant (JST), floored (or ceiled), not clipped. [minutes]"""
        origin = self.origin
        secs = np.array([(to_jst(x) - origin).total_seconds() for x in instants], dtype=np.float64)
        return (np.ceil(secs / 60.0) if ceil else np.floor(secs / 60.0)).astype(np.int64)

    def month_of(self, instants: Sequence[_dt.datetime]) -> NDArray[np.int64]:
        """Month number (0 = :attr:`start`) of each instant in Japan time; outside the period: < 0 or >= months."""
        jst = [to_jst(x) for x in instants]
        return np.array([(x.year * 12 + x.month - 1) - self.start.index for x in jst], dtype=np.int64)

    def window_numbers(self, lengths: Sequence[int]) -> NDArray[np.int64]:
        """Window number of each month for windows of the given lengths (1, 3 or 12), fiscal-aligned.

        Returns
        -------
        numpy.ndarray, shape ``(len(lengths), months)``
            0 for the window holding :attr:`start`, rising by one per window (April-aligned).
        """
        idx = self.start.index + np.arange(self.months, dtype=np.int64)
        ln = np.asarray(lengths, dtype=np.int64)[:, None]
        first = idx - (idx % 12 - 3) % ln  # first month of the window (April = month index % 12 == 3)
        ordinal = (first - 3) // ln
        return (ordinal - ordinal[:, :1]).astype(np.int64)
