"""Months, fiscal years (年度), Japanese era notation (和暦) and Japan time.

Councils plan by month and budget by fiscal year (年度, April to March), and their documents write
months in several notations: ``H27.04`` (平成27年4月, April 2015), ``R7.10``, ``令和元年5月``,
``平成27年4月`` and ISO ``2015-04``.  :class:`Month` reads all of them and does month arithmetic.

Eras
----
======  ======  ====================  =================
letter  kanji   first day             year 1 (元年)
======  ======  ====================  =================
``S``   昭和     1926-12-25            1926
``H``   平成     1989-01-08            1989
``R``   令和     2019-05-01            2019
======  ======  ====================  =================

A month that ends before its era began is rejected (``R1.04``: 令和 began on 1 May 2019).  A month
*after* an era ended is accepted and counted on in that era, because plans written before the change
do exactly that: the source document schedules a member for ``H32.03`` (March 2020).  The month in
which an era begins (``H1.01``, ``R1.05``) is accepted, since part of it lies in the era.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterator
from typing import Final, overload

import attrs

from .errors import ParseError, ValidationError

__all__ = ["DATE_ERAS", "ERAS", "JST", "Era", "Month", "fiscal_year_of", "month_range", "parse_datetime", "to_jst"]


JST: Final = _dt.timezone(_dt.timedelta(hours=9), "JST")
"""Japan Standard Time, UTC+9 (Japan has no daylight saving time)."""


@attrs.frozen(slots=True)
class Era:
    """A Japanese era (元号).

    Parameters
    ----------
    letter
        Latin initial used in short notation (``"H"``).
    kanji
        Name in kanji (``"平成"``).
    first_day
        First day of the era.
    """

    letter: str
    kanji: str
    first_day: _dt.date

    @property
    def first_month(self) -> Month:
        """The month the era began in."""
        return Month(self.first_day.year, self.first_day.month)

    def gregorian_year(self, era_year: int) -> int:
        """Gregorian year of ``era_year`` of this era (元年 = 1). [year]"""
        return self.first_day.year + era_year - 1


ERAS: Final[tuple[Era, ...]] = (
    Era("S", "昭和", _dt.date(1926, 12, 25)),
    Era("H", "平成", _dt.date(1989, 1, 8)),
    Era("R", "令和", _dt.date(2019, 5, 1)),
)
DATE_ERAS: Final[tuple[Era, ...]] = (
    Era("M", "明治", _dt.date(1868, 1, 1)),
    Era("T", "大正", _dt.date(1912, 7, 30)),
    *ERAS,
)
"""Every era a date in a resident record may be written in (明治 to 令和), for whole dates (``H31.04.30``).

Dates are checked against the day an era began: 平成 ends on 30 April 2019 (``H31.04.30`` is a date,
``H31.05.01`` is not; ``R01.05.01`` is) and 昭和 on 7 January 1989.  明治 is counted from 1 January
1868 in the Gregorian calendar (as ISO-based calendars do; Japan adopted the Gregorian calendar on
明治6年1月1日, so earlier 明治 dates in a record are conversions anyway).  :data:`ERAS` (昭和 on) stays
the table for months, whose range starts in 1900.
"""
_BY_LETTER: Final = {e.letter: e for e in ERAS}
_BY_KANJI: Final = {e.kanji: e for e in ERAS}

_MIN_YEAR: Final = 1900
_MAX_YEAR: Final = 2200

_ERA_SHORT = re.compile(r"^(?P<era>[SHR])\s*(?P<y>\d{1,2}|元)\s*[./\-]\s*(?P<m>\d{1,2})$", re.IGNORECASE)
_ERA_KANJI = re.compile(r"^(?P<era>昭和|平成|令和)\s*(?P<y>\d{1,2}|元)\s*年\s*(?P<m>\d{1,2})\s*月$")
_GREGORIAN = re.compile(r"^(?P<y>\d{4})\s*(?:[./\-]\s*(?P<m1>\d{1,2})|年\s*(?P<m2>\d{1,2})\s*月)$")


def _check_int(name: str, value: object, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name} must be an integer, got {value!r}")
    if not lo <= value <= hi:
        raise ValidationError(f"{name} must be between {lo} and {hi}, got {value!r}")
    return value


@attrs.frozen(slots=True, order=True)
class Month:
    """A calendar month: the unit of council schedules and of the cost period.

    Parameters
    ----------
    year
        Gregorian year, 1900–2200.
    month
        Month of the year, 1–12.

    Examples
    --------
    >>> m = Month.parse("H27.04")
    >>> m, m.fiscal_year, m.fiscal_quarter
    (Month(2015, 4), 2015, 1)
    >>> Month.parse("令和元年5月") - Month.parse("2015-04")
    49
    >>> (m + 11).era_short()
    'H28.03'
    """

    year: int = attrs.field()
    month: int = attrs.field()

    @year.validator
    def _v_year(self, _a: attrs.Attribute[int], value: int) -> None:
        _check_int("year", value, _MIN_YEAR, _MAX_YEAR)

    @month.validator
    def _v_month(self, _a: attrs.Attribute[int], value: int) -> None:
        _check_int("month", value, 1, 12)

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"

    def __str__(self) -> str:
        return self.iso()

    # -- parsing --------------------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> Month:
        """Read a month from any notation councils use.

        Parameters
        ----------
        text
            ``"H27.04"``, ``"H27.4"``, ``"R7.10"``, ``"平成27年4月"``, ``"令和元年5月"``,
            ``"2015-04"``, ``"2015/4"`` or ``"2015年4月"``.  Full-width digits are accepted.

        Returns
        -------
        Month

        Raises
        ------
        ParseError
            If the text is in no known notation, the month is not 1–12, or the month lies before
            the era began (``"R1.04"``).
        """
        if not isinstance(text, str):
            raise ParseError(f"a month must be given as text such as 'H27.04' or '2015-04', got {text!r}")
        norm = unicodedata.normalize("NFKC", text).strip()
        if m := _GREGORIAN.match(norm):
            mon = int(m["m1"] or m["m2"])
            return cls._make(int(m["y"]), mon, text)
        era: Era | None = None
        mm = _ERA_SHORT.match(norm)
        if mm:
            era = _BY_LETTER[mm["era"].upper()]
        else:
            mm = _ERA_KANJI.match(norm)
            if mm:
                era = _BY_KANJI[mm["era"]]
        if era is None or mm is None:
            raise ParseError(
                f"cannot read {text!r} as a month: expected e.g. 'H27.04', '平成27年4月', 'R7.10', "
                "'令和元年5月' or '2015-04'"
            )
        era_year = 1 if mm["y"] == "元" else int(mm["y"])
        if era_year < 1:
            raise ParseError(f"cannot read {text!r} as a month: era year must be 1 (元年) or more")
        month = cls._make(era.gregorian_year(era_year), int(mm["m"]), text)
        if month < era.first_month:
            raise ParseError(
                f"{text!r} is {month.iso()}, before the {era.kanji} ({era.letter}) era began on "
                f"{era.first_day.isoformat()}"
            )
        return month

    @classmethod
    def _make(cls, year: int, month: int, text: str) -> Month:
        if not 1 <= month <= 12:
            raise ParseError(f"cannot read {text!r} as a month: month must be 1-12, got {month}")
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            raise ParseError(f"cannot read {text!r} as a month: year {year} is outside {_MIN_YEAR}-{_MAX_YEAR}")
        return cls(year, month)

    @classmethod
    def from_date(cls, date: _dt.date) -> Month:
        """The month containing ``date``."""
        return cls(date.year, date.month)

    @classmethod
    def from_index(cls, index: int) -> Month:
        """Inverse of :attr:`index` (months since January of year 0)."""
        year, m0 = divmod(int(index), 12)
        return cls(year, m0 + 1)

    # -- properties -----------------------------------------------------------------------------
    @property
    def index(self) -> int:
        """Months since January of year 0: a plain integer for array work. [months]"""
        return self.year * 12 + self.month - 1

    @property
    def fiscal_year(self) -> int:
        """Fiscal year (年度, April–March): April 2015 and March 2016 are both 2015."""
        return self.year if self.month >= 4 else self.year - 1

    @property
    def fiscal_quarter(self) -> int:
        """Fiscal quarter 1–4: 1Q = April–June, 4Q = January–March."""
        return (self.month - 4) % 12 // 3 + 1

    @property
    def era(self) -> Era:
        """The era this month is written in: the latest era that had begun by the month's end."""
        return [e for e in ERAS if e.first_month <= self][-1] if self >= ERAS[0].first_month else ERAS[0]

    def first_day(self) -> _dt.date:
        """The first day of the month."""
        return _dt.date(self.year, self.month, 1)

    def days(self) -> int:
        """Number of days in the month. [days]"""
        return ((self + 1).first_day() - self.first_day()).days

    # -- formatting -----------------------------------------------------------------------------
    def iso(self) -> str:
        """ISO notation, ``"2015-04"``."""
        return f"{self.year:04d}-{self.month:02d}"

    def era_short(self, era: str | None = None) -> str:
        """Short era notation, ``"H27.04"``.

        Parameters
        ----------
        era
            Era letter to count in (``"H"`` writes March 2020 as ``"H32.03"``); default: the
            era the month belongs to.
        """
        e = self.era if era is None else _BY_LETTER[era.upper()]
        return f"{e.letter}{self.year - e.first_day.year + 1}.{self.month:02d}"

    def wareki(self) -> str:
        """Kanji era notation, ``"平成27年4月"`` (元年 for year 1)."""
        e = self.era
        y = self.year - e.first_day.year + 1
        return f"{e.kanji}{'元' if y == 1 else y}年{self.month}月"

    # -- arithmetic -----------------------------------------------------------------------------
    def __add__(self, months: int) -> Month:
        if isinstance(months, bool) or not isinstance(months, int):
            return NotImplemented
        return Month.from_index(self.index + months)

    __radd__ = __add__

    @overload
    def __sub__(self, other: Month) -> int: ...
    @overload
    def __sub__(self, other: int) -> Month: ...
    def __sub__(self, other: Month | int) -> int | Month:
        if isinstance(other, Month):
            return self.index - other.index
        if isinstance(other, int) and not isinstance(other, bool):
            return Month.from_index(self.index - other)
        return NotImplemented

    def months_until(self, other: Month) -> int:
        """Number of months from this month to ``other`` (negative if ``other`` is earlier). [months]"""
        return other.index - self.index


def month_range(start: Month, count: int) -> Iterator[Month]:
    """The ``count`` consecutive months beginning at ``start``."""
    for k in range(count):
        yield start + k


def fiscal_year_of(month: Month) -> int:
    """Fiscal year (年度) of ``month``; same as :attr:`Month.fiscal_year`."""
    return month.fiscal_year


def to_jst(value: _dt.datetime) -> _dt.datetime:
    """The same instant in Japan time (naive datetimes are taken to be Japan time already).

    Parameters
    ----------
    value
        A ``datetime``, naive (Japan time) or aware (any zone).

    Returns
    -------
    datetime.datetime
        An aware datetime in :data:`JST`.
    """
    if not isinstance(value, _dt.datetime):
        raise ValidationError(f"expected a date and time such as 2015-10-05T09:30, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=JST)
    return value.astimezone(JST)


def parse_datetime(text: str) -> _dt.datetime:
    """Read an ISO 8601 date and time (``2015-10-05 09:30``, ``2015-10-05T00:30:00+00:00``) in Japan time.

    Raises
    ------
    ParseError
        If the text is not an ISO 8601 date and time.
    """
    if isinstance(text, _dt.datetime):
        return to_jst(text)
    if not isinstance(text, str):
        raise ParseError(f"expected a date and time such as '2015-10-05 09:30', got {text!r}")
    norm = text.strip().replace("/", "-")
    if norm.endswith("Z"):
        norm = norm[:-1] + "+00:00"
    try:
        value = _dt.datetime.fromisoformat(norm)
    except ValueError:
        raise ParseError(
            f"cannot read {text!r} as a date and time: expected e.g. '2015-10-05 09:30' (Japan time) "
            "or '2015-10-05T00:30+00:00'"
        ) from None
    if len(norm) <= 10:
        raise ParseError(f"{text!r} has no time of day: expected e.g. '2015-10-05 09:30'")
    return to_jst(value)
