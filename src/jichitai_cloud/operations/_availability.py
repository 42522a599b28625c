"""Availability (稼働率) within service hours, from the outage log and the service-hour calendar.

``availability = (scheduled service minutes - downtime) / scheduled service minutes``, per month
and scope, in Japan time, and the error budget (許容停止時間) an availability target allows.

References
----------
.. [1] 総務省, 地方公共団体における情報システムの非機能要件の標準: 稼働率 99.5 %,
   稼働率 = (計画サービス時間 - 停止時間) / 計画サービス時間.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._display import Column, Lang, TableView, col
from .._numeric import as_fraction, readonly
from .._validators import to_month as _to_month
from ..calendar import Month
from ..errors import ValidationError
from ..model import Observation, Outage, ServiceCalendar, SLAMetric, Window
from . import _kernels as kern
from ._scopes import ALL, default_scopes, scope_label, scope_match
from ._timeline import Timeline

__all__ = ["Availability", "ErrorBudget", "availability_from_outages"]

_WINDOW_JA = {"monthly": "月次", "quarterly": "四半期", "yearly": "年度"}
_SCOPE = Column("scope", "対象", "Scope", "text")
_MINUTES = {key: Column(key, ja, en, "number", decimals=0, bilingual=False) for key, ja, en in (
    ("scheduled_minutes", "計画サービス時間 (分)", "Scheduled minutes"),
    ("downtime_minutes", "停止時間 (分)", "Downtime minutes"),
    ("allowed_minutes", "許容停止時間 (分)", "Allowed minutes"),
    ("remaining_minutes", "残り許容時間 (分)", "Remaining minutes"))}  # the unit in the heading


@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class Availability(TableView):
    """Availability (稼働率) within service hours per month and scope, from an outage log.

    Attributes
    ----------
    start
        First month.
    scopes
        ``(member, system)`` of each column.
    scheduled
        Scheduled service minutes (計画サービス時間), int ``(T, N)``. [minutes]
    downtime
        Downtime within service hours (停止時間: unplanned, the vendor's fault, outside planned
        outages), int ``(T, N)``. [minutes]
    calendar
        The service-hour calendar(s) used, by system (``""``: the default).
    """

    start: Month
    scopes: tuple[tuple[str, str], ...]
    scheduled: NDArray[np.int64] = attrs.field(converter=readonly)
    downtime: NDArray[np.int64] = attrs.field(converter=readonly)
    calendar: tuple[tuple[str, ServiceCalendar], ...] = ()

    @property
    def months(self) -> tuple[Month, ...]:
        """The months covered."""
        return tuple(self.start + i for i in range(self.scheduled.shape[0]))

    @property
    def ratio(self) -> NDArray[np.float64]:
        """Availability in [0, 1] (1.0 where nothing was scheduled), ``(T, N)``. [1]"""
        return kern.availability(self.scheduled, self.downtime)[0]

    @property
    def percent(self) -> NDArray[np.float64]:
        """Availability in percent, ``100 x (scheduled - downtime) / scheduled``, ``(T, N)``. [%]"""
        s, d = self.scheduled, self.downtime
        out = np.full(s.shape, 100.0)
        np.divide((s - d) * 100, s, out=out, where=s > 0)
        return out

    @property
    def defined(self) -> NDArray[np.bool_]:
        """False where nothing was scheduled (no measurement)."""
        return self.scheduled > 0

    def observations(self, metric: str | SLAMetric) -> tuple[Observation, ...]:
        """The monthly availability as observations of ``metric`` (in percent, weighted by scheduled minutes)."""
        mid = metric.id if isinstance(metric, SLAMetric) else metric
        if isinstance(metric, SLAMetric) and metric.unit != "%":
            raise ValidationError(f"availability observations are in percent; metric {mid!r} has unit {metric.unit!r}")
        t, n = np.nonzero(self.defined)
        pct = self.percent
        return tuple(
            Observation(metric=mid, month=self.start + int(a), member=self.scopes[b][0], system=self.scopes[b][1],
                        value=float(pct[a, b]), weight=float(self.scheduled[a, b]))
            for a, b in zip(t.tolist(), n.tolist(), strict=True)
        )

    def error_budget(self, target: float, window: Window | str = Window.MONTHLY) -> ErrorBudget:
        """Allowed downtime (許容停止時間) for an availability target, and how much is used.

        Parameters
        ----------
        target
            Availability target, e.g. 99.5. [%]
        window
            ``"monthly"``, ``"quarterly"`` or ``"yearly"`` (fiscal, Japan time).

        Returns
        -------
        ErrorBudget
        """
        w = Window(window)
        frac = as_fraction(target, "target") / 100
        if not 0 <= frac <= 1:
            raise ValidationError(f"target must be 0..100 [%], got {target!r}")
        tl = Timeline(self.start, self.scheduled.shape[0])
        win = tl.window_numbers([w.months])[0]
        n_win = int(win[-1]) + 1
        # sum minutes per window: windows are contiguous runs of months
        starts = np.flatnonzero(np.r_[True, np.diff(win) > 0])
        sched = np.add.reduceat(self.scheduled, starts, axis=0)
        down = np.add.reduceat(self.downtime, starts, axis=0)
        allowed = kern.error_budget(sched, frac.numerator, frac.denominator)
        labels = tuple(w.label(self.start + int(s)) for s in starts)
        assert len(labels) == n_win
        return ErrorBudget(target=float(target), window=w, labels=labels, scopes=self.scopes,
                           scheduled=sched, downtime=down, allowed=allowed)

    def _rows(self) -> list[list[Any]]:
        out: list[list[Any]] = []
        for i, m in enumerate(self.months):
            for j, s in enumerate(self.scopes):
                sched, down = int(self.scheduled[i, j]), int(self.downtime[i, j])
                out.append([m, scope_label(s), sched, down, Fraction(sched - down, sched) if sched else None])
        return out

    _COLUMNS = (col("month"), _SCOPE, _MINUTES["scheduled_minutes"], _MINUTES["downtime_minutes"],
                Column("availability", "稼働率", "Availability", "percent", decimals=3))
    _KEY = "availability"
    _SHEET = ("稼働率", "Availability")

    def __repr__(self) -> str:
        t, n = self.scheduled.shape
        worst = float(np.min(self.percent[self.defined])) if self.defined.any() else float("nan")
        return f"Availability({t} months from {self.start.iso()} x {n} scopes, lowest {worst:.3f} %)"

    def _title(self, lang: Lang = "ja") -> str:
        return "稼働率 (サービス提供時間内)" if lang == "ja" else "Availability within service hours"

    def _notes(self, lang: Lang = "ja") -> tuple[str, ...]:
        return (("稼働率 = (計画サービス時間 - 停止時間) ÷ 計画サービス時間。計画サービス時間のない月は空欄。",) if lang == "ja"
                else ("Availability = (scheduled - downtime) / scheduled minutes; blank where nothing was scheduled.",))


@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class ErrorBudget(TableView):
    """Allowed downtime per window (許容停止時間) for an availability target, and its use.

    Attributes
    ----------
    target
        Availability target. [%]
    window
        Window length.
    labels
        Label of each window (``"FY2015 3Q"``).
    scopes
        ``(member, system)`` of each column.
    scheduled, downtime, allowed
        Minutes per window and scope, int ``(W, N)``; the target is met iff ``downtime <= allowed``. [minutes]
    """

    target: float
    window: Window
    labels: tuple[str, ...]
    scopes: tuple[tuple[str, str], ...]
    scheduled: NDArray[np.int64] = attrs.field(converter=readonly)
    downtime: NDArray[np.int64] = attrs.field(converter=readonly)
    allowed: NDArray[np.int64] = attrs.field(converter=readonly)

    @property
    def remaining(self) -> NDArray[np.int64]:
        """Allowed minus used downtime (negative: over budget). [minutes]"""
        return self.allowed - self.downtime

    @property
    def used(self) -> NDArray[np.float64]:
        """Share of the budget used (0 when nothing is allowed and nothing was down; inf when over a zero budget). [1]"""
        out = np.where(self.downtime > 0, np.inf, 0.0)
        np.divide(self.downtime, self.allowed, out=out, where=self.allowed > 0)
        return out

    @property
    def met(self) -> NDArray[np.bool_]:
        """Target met: downtime within the budget."""
        return self.downtime <= self.allowed

    def _rows(self) -> list[list[Any]]:
        out: list[list[Any]] = []
        for i, lab in enumerate(self.labels):
            for j, s in enumerate(self.scopes):
                allowed, down = int(self.allowed[i, j]), int(self.downtime[i, j])
                used = Fraction(down, allowed) if allowed else (None if down else Fraction(0))
                out.append([lab, scope_label(s), int(self.scheduled[i, j]), allowed, down,
                            int(self.remaining[i, j]), used, bool(self.met[i, j])])
        return out

    _COLUMNS = (Column("window", "評価期間", "Window", "text"), _SCOPE, _MINUTES["scheduled_minutes"],
                _MINUTES["allowed_minutes"], _MINUTES["downtime_minutes"], _MINUTES["remaining_minutes"],
                Column("used", "使用率", "Budget used", "percent"), Column("met", "目標達成", "Target met", "flag"))
    _KEY = "error_budget"
    _SHEET = ("許容停止時間", "Error budget")

    def __repr__(self) -> str:
        return (f"ErrorBudget(target={self.target} %, {self.window.value}, {len(self.labels)} windows x "
                f"{len(self.scopes)} scopes, {int((~self.met).sum())} over budget)")

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "ja":
            return f"許容停止時間 (稼働率目標 {self.target:g}%、{_WINDOW_JA.get(self.window.value, self.window.value)})"
        return f"Error budget for {self.target:g}% availability ({self.window.value})"

    def _notes(self, lang: Lang = "ja") -> tuple[str, ...]:
        if not (self.allowed == 0).any() or not (self.downtime[self.allowed == 0] > 0).any():
            return ()
        return (("許容停止時間 0 で停止のあった期間の使用率は空欄。",) if lang == "ja"
                else ("Budget used is blank where downtime exceeded a zero budget.",))


def _calendar_for(calendar: ServiceCalendar | Mapping[str, ServiceCalendar]) -> dict[str, ServiceCalendar]:
    if isinstance(calendar, ServiceCalendar):
        return {ALL: calendar}
    cals = dict(calendar)
    if ALL not in cals:
        raise ValidationError("a calendar per system needs a default under the key '' (all other systems)")
    return cals


def availability_from_outages(
    outages: Iterable[Outage],
    calendar: ServiceCalendar | Mapping[str, ServiceCalendar],
    start: Month | str,
    months: int,
    *,
    members: Sequence[str] | None = None,
    systems: Sequence[str] | None = None,
    service_start: Mapping[str, Month] | None = None,
) -> Availability:
    """Availability (稼働率) within service hours, per month and scope, from an outage log.

    ``availability = (scheduled service minutes - downtime) / scheduled service minutes`` where the
    scheduled minutes follow the service-hour calendar and the downtime counts the service-hour
    minutes inside an unplanned outage that was the vendor's fault and inside no planned outage.
    Planned outages are *not* taken out of the scheduled time (so they can never lower the
    availability); outages of other causes are not downtime.  Times are resolved to the minute: a
    started minute of an outage counts (start floored, end ceiled, Japan time).

    Parameters
    ----------
    outages
        The outage log.
    calendar
        The service-hour calendar, or one per system name (key ``""`` for the rest).
    start, months
        First month and number of months evaluated (outages outside contribute nothing). [months]
    members
        Member scopes to evaluate (default: ``[""]``, the service as a whole, which every
        outage affects).  An outage for member ``""`` affects every member.
    systems
        System scopes (default: ``[""]``: an outage of any system affects the member).
    service_start
        First month on the service of members that join later (クラウド開始): nothing is
        scheduled for them before it, so those months have no availability.

    Returns
    -------
    Availability

    References
    ----------
    .. [1] 総務省, 地方公共団体における情報システムの非機能要件の標準: 稼働率.
    """
    outs = tuple(outages)
    tl = Timeline(_to_month(start), months)
    scopes = default_scopes(members, systems)
    cals = _calendar_for(calendar)
    cal_names = list(cals)
    cum = np.stack([kern.service_cumulative(*cals[c].service_windows(tl.start.first_day(), tl.days))
                    for c in cal_names])
    cal_of_scope = np.array([cal_names.index(s if s in cals else ALL) for _, s in scopes], dtype=np.int64)
    b = tl.boundaries()
    sched = cum[cal_of_scope][:, b[1:]] - cum[cal_of_scope][:, b[:-1]]  # (N, T)
    n = len(scopes)
    if outs:
        start_min = np.clip(tl.minute_of([o.start for o in outs]), 0, tl.minutes)
        end_min = np.clip(tl.minute_of([o.end for o in outs], ceil=True), 0, tl.minutes)
        hit = scope_match([o.member for o in outs], [s[0] for s in scopes]) & \
            scope_match([o.system for o in outs], [s[1] for s in scopes])
        e_idx, g_idx = np.nonzero(hit)
        # sub-groups: a scope for the whole service (system "") is judged system by system, then merged,
        # so that a planned outage of one system never excuses an unplanned outage of another
        names = sorted({o.system for o in outs} - {ALL})
        n_sub = len(names) + 1  # sub-group 0: outages of every system
        sys_of = np.array([0 if o.system == ALL else names.index(o.system) + 1 for o in outs], dtype=np.int64)
        wide = np.array([sc[1] == ALL for sc in scopes], bool)[g_idx]
        every = sys_of[e_idx] == 0
        reps = np.where(wide & every, n_sub, 1)  # an all-systems outage applies to every sub-group
        e_rep = np.repeat(e_idx, reps)
        g_rep = np.repeat(g_idx, reps)
        k_rep = np.arange(e_rep.size) - np.repeat(np.cumsum(reps) - reps, reps)
        sub = np.where(np.repeat(wide & every, reps), k_rep, np.where(np.repeat(wide, reps), sys_of[e_rep], 0))
        counted = np.array([o.counted for o in outs], bool)[e_rep]
        planned = np.array([o.planned for o in outs], bool)[e_rep]
        merge = np.repeat(np.arange(n, dtype=np.int64), n_sub)
        down = kern.outage_downtime(start_min[e_rep], end_min[e_rep], g_rep * n_sub + sub, counted, planned,
                                    n, b, cum, calendar=cal_of_scope, merge=merge)
    else:
        down = np.zeros((n, tl.months), np.int64)
    if service_start:
        first = np.array([_to_month(service_start[m]).index if m in service_start else tl.start.index
                          for m, _ in scopes], dtype=np.int64)
        before = (tl.start.index + np.arange(tl.months))[None, :] < first[:, None]  # (N, T)
        sched = np.where(before, 0, sched)
        down = np.where(before, 0, down)
    return Availability(start=tl.start, scopes=scopes, scheduled=sched.T, downtime=down.T,
                        calendar=tuple(cals.items()))
