"""The minute timeline of a period of months in Japan time (the time axis of availability).

Months, fiscal quarters and fiscal years begin at midnight JST: 2015-03-31T15:00Z is
2015-04-01 00:00 JST, the first minute of fiscal year 2015.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import attrs
import numpy as np
from numpy.typing import NDArray

from .. import _validators as v
from ..calendar import JST, Month, to_jst
from . import _kernels as kern

__all__ = ["Timeline"]


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
    months: int = attrs.field(converter=v.to_int, validator=v.integer(min=1, max=1200, unit="months"))

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
