"""Hypothesis strategies for the operations types (SLA items, outages, observations, records).

Re-exported by :mod:`jichitai_cloud.testing.strategies`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import numpy as np
from hypothesis import strategies as st

from ..calendar import JST, Month
from ..model import (
    Aggregation,
    Direction,
    ImprovementRequest,
    Issue,
    ItemStatus,
    MetricKind,
    Observation,
    Outage,
    OutageCause,
    ServiceCalendar,
    SLAMetric,
    Window,
    WorkCategory,
    WorkRecord,
)
from ..operations import CreditBand, ObservationTable, PenaltyPointRule, ServiceCreditScheme
from ._basic import names

__all__ = [
    "credit_schemes",
    "improvement_requests",
    "issues",
    "member_name_maps",
    "observation_tables",
    "observations",
    "operations_metrics",
    "outages",
    "penalty_point_rules",
    "service_calendars",
    "work_records",
]

_CODES = st.sampled_from(["", "A", "B", "C"])
_FY2015 = Month(2015, 4)


@st.composite
def service_calendars(draw: st.DrawFn) -> ServiceCalendar:
    """A service-hour calendar: opening hours, weekdays, some holidays (in 2015-2016)."""
    opens = draw(st.integers(0, 12 * 60))
    closes = draw(st.integers(opens, 1440))
    days = draw(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True))
    holidays = draw(st.lists(st.dates(_dt.date(2015, 1, 1), _dt.date(2016, 12, 31)), max_size=8))
    return ServiceCalendar(opens=f"{opens // 60:02d}:{opens % 60:02d}", closes=f"{closes // 60:02d}:{closes % 60:02d}",
                           weekdays=tuple(sorted(days)), holidays=tuple(holidays),
                           year_end_closure=draw(st.booleans()))


@st.composite
def operations_metrics(draw: st.DrawFn, id: str | None = None) -> SLAMetric:
    """An SLA item of any kind with a consistent unit and target."""
    kind = draw(st.sampled_from(list(MetricKind)))
    if kind is MetricKind.AVAILABILITY:
        unit, target, direction = "%", draw(st.sampled_from([99.0, 99.5, 99.9, 100.0])), Direction.HIGHER
    elif kind in (MetricKind.INCIDENT_NOTIFICATION, MetricKind.RECOVERY_TIME):
        unit, target, direction = draw(st.sampled_from(["minutes", "hours"])), float(draw(st.integers(1, 240))), \
            Direction.LOWER
    elif kind is MetricKind.RESPONSE_TIME:
        unit, target, direction = "seconds", draw(st.sampled_from([1.0, 2.0, 3.0])), Direction.LOWER
    else:
        unit, target, direction = "%", draw(st.sampled_from([80.0, 90.0, 95.0, 100.0])), Direction.HIGHER
    return SLAMetric(
        id=id or draw(st.from_regex(r"\A[a-z][a-z_]{0,9}\Z")),
        name=draw(st.sampled_from(["稼働率", "障害通知時間", "復旧時間", "応答時間", "問合せ回答率", "バックアップ"])),
        unit=unit, target=target, direction=direction, kind=kind,
        window=draw(st.sampled_from(list(Window))),
        aggregation=draw(st.sampled_from([a for a in Aggregation if a is not Aggregation.SUM])),
        weight=float(draw(st.integers(0, 5))),
        percentile=95.0 if kind is MetricKind.RESPONSE_TIME else None,
        penalty_points=draw(st.integers(0, 3)),
    )


@st.composite
def outages(draw: st.DrawFn, start: Month = _FY2015, months: int = 3,
            members: Sequence[str] = ("", "A", "B"), systems: Sequence[str] = ("", "住基", "税")) -> Outage:
    """An outage inside the given months; naive (Japan time) or aware (UTC) timestamps."""
    first = _dt.datetime(start.year, start.month, 1)
    span = ((start + months).first_day() - start.first_day()).days * 1440
    a = draw(st.integers(0, span - 1))
    length = draw(st.integers(0, 3 * 1440))
    s = first + _dt.timedelta(minutes=a)
    e = s + _dt.timedelta(minutes=length)
    if draw(st.booleans()):  # the same instants, written in UTC
        s = s.replace(tzinfo=JST).astimezone(_dt.UTC)
        e = e.replace(tzinfo=JST).astimezone(_dt.UTC)
    notified = s + _dt.timedelta(minutes=draw(st.integers(0, 120))) if draw(st.booleans()) else None
    return Outage(start=s, end=e, planned=draw(st.booleans()), cause=draw(st.sampled_from(list(OutageCause))),
                  member=draw(st.sampled_from(list(members))), system=draw(st.sampled_from(list(systems))),
                  notified=notified)


def observations(metrics: Sequence[str] = ("availability",), start: Month = _FY2015,
                 months: int = 12) -> st.SearchStrategy[Observation]:
    """An observation of one of ``metrics`` within the months."""
    return st.builds(
        Observation,
        metric=st.sampled_from(list(metrics)),
        month=st.integers(0, months - 1).map(lambda i: start + i),
        value=st.floats(0, 100, allow_nan=False),
        member=_CODES,
        weight=st.floats(0.5, 1e4, allow_nan=False),
    )


@st.composite
def observation_tables(draw: st.DrawFn, metrics: int = 3, months: int = 12, members: int = 3,
                       start: Month = _FY2015) -> ObservationTable:
    """A table ``metrics x months x members`` with some cells missing."""
    shape = (metrics, months, members)
    values = np.array(draw(st.lists(st.floats(0, 100, allow_nan=False), min_size=int(np.prod(shape)),
                                    max_size=int(np.prod(shape))))).reshape(shape)
    observed = np.array(draw(st.lists(st.booleans(), min_size=values.size, max_size=values.size))).reshape(shape)
    return ObservationTable.from_arrays([f"m{i}" for i in range(metrics)], start, values, observed,
                                        members=[f"M{i}" for i in range(members)])


def work_records(start: Month = _FY2015, months: int = 12) -> st.SearchStrategy[WorkRecord]:
    """A count of work in a month."""
    return st.builds(WorkRecord, month=st.integers(0, months - 1).map(lambda i: start + i),
                     category=st.sampled_from(list(WorkCategory)), count=st.integers(0, 500), member=_CODES)


@st.composite
def _tracked(draw: st.DrawFn, start: Month, months: int) -> tuple[Month, ItemStatus, Month | None]:
    opened = start + draw(st.integers(0, months - 1))
    status = draw(st.sampled_from(list(ItemStatus)))
    closed = opened + draw(st.integers(0, 6)) if status.closed else None
    return opened, status, closed


@st.composite
def issues(draw: st.DrawFn, id: str = "K-1", start: Month = _FY2015, months: int = 12) -> Issue:
    """An issue (課題) with a consistent status and closing month."""
    opened, status, closed = draw(_tracked(start, months))
    return Issue(id=id, title=draw(st.sampled_from(["帳票の印字ずれ", "バッチ遅延", "=cmd|' /C calc'!A0"])),
                 opened=opened, status=status, closed=closed)


@st.composite
def improvement_requests(draw: st.DrawFn, id: str = "Y-1", start: Month = _FY2015,
                         months: int = 12) -> ImprovementRequest:
    """An improvement request (改善要望) with a consistent status and resolution month."""
    opened, status, closed = draw(_tracked(start, months))
    return ImprovementRequest(id=id, title=draw(st.sampled_from(["CSV出力項目追加", "@SUM(1+1)", "一覧の並び順"])),
                              requested=opened, member=draw(_CODES), status=status, resolved=closed)


def member_name_maps(codes: Sequence[str] = ("A", "B", "C")) -> st.SearchStrategy[dict[str, str]]:
    """``{member code: name}`` naming every one of ``codes`` (``member_names`` of the operations records):
    Japanese, Latin and symbols such as ``=+-@'``, names possibly repeated."""
    return st.lists(names(), min_size=len(codes), max_size=len(codes)).map(
        lambda ns: dict(zip(codes, ns, strict=True)))


@st.composite
def credit_schemes(draw: st.DrawFn) -> ServiceCreditScheme:
    """A valid credit table: bands from 0 %, credits never rising with availability."""
    mins = sorted(draw(st.lists(st.sampled_from([90.0, 95.0, 99.0, 99.5, 99.9]), max_size=4, unique=True)))
    credits = sorted(draw(st.lists(st.integers(0, 5000), min_size=len(mins) + 1, max_size=len(mins) + 1)),
                     reverse=True)
    return ServiceCreditScheme(bands=tuple(CreditBand(min_availability=m, credit_percent=c / 100)
                                           for m, c in zip([0.0, *mins], credits, strict=True)))


def penalty_point_rules() -> st.SearchStrategy[PenaltyPointRule]:
    """A penalty-points rule."""
    return st.builds(PenaltyPointRule, multiplier=st.integers(1, 3), cap=st.integers(1, 4),
                     expiry_months=st.integers(1, 24), yen_per_point=st.integers(0, 100_000),
                     threshold=st.one_of(st.none(), st.integers(1, 30)))
