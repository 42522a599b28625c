"""Service-level monitoring (SLM): observations, outage logs, availability and compliance.

The domain layer turns objects (observations, outages, SLA items) into arrays once, calls the
kernels of :mod:`jichitai_cloud.operations._kernels`, and wraps the arrays in frozen results.

Scopes
------
Observations may be for the whole council (member ``""``, 全体) or for one member, and for all
business systems (system ``""``) or one.  Each distinct ``(member, system)`` pair is a *scope*,
one column of the compliance arrays ``metrics x months x scopes``.

References
----------
.. [1] 総務省, 地方公共団体における情報システムの非機能要件の標準: 稼働率 99.5 %,
   稼働率 = (計画サービス時間 - 停止時間) / 計画サービス時間.
.. [2] 総務省 (2010), 地方公共団体における ASP・SaaS 導入活用ガイドライン: SLA 項目と SLM.
"""

from __future__ import annotations

import datetime as _dt
import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import _validators as v
from .._display import TableView, dataframe, html_table, text_table
from .._validators import month as _month
from .._validators import to_month as _to_month
from ..calendar import Month
from ..errors import ValidationError
from ..model import SLAMetric, Window
from . import _kernels as kern
from ._time import ServiceCalendar, Timeline, parse_datetime, to_jst

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "ALL",
    "Achievement",
    "Availability",
    "Compliance",
    "ErrorBudget",
    "Observation",
    "ObservationTable",
    "Outage",
    "OutageCause",
    "availability_from_outages",
    "evaluate_sla",
    "exact_fraction",
    "incident_observations",
    "integer_points",
    "percentile_observations",
    "scope_label",
]

ALL = ""
"""Member or system code meaning "the whole council" / "every system" (全体)."""

_AGG_CODE = {a: i for i, a in enumerate(kern.AGGREGATIONS)}


def scope_label(scope: tuple[str, str]) -> str:
    """``"A"``, ``"A/住基"``, ``"全体"`` for a ``(member, system)`` scope."""
    member, system = scope
    m = member or "全体"
    return f"{m}/{system}" if system else m


def exact_fraction(value: float | int | str, name: str = "value") -> Fraction:
    """A decimal number as written (``99.5`` -> 199/2, ``99.7`` -> 997/10), never its binary approximation.

    Floats are read through their shortest decimal representation (``repr``), so a target typed as
    ``99.7`` is exactly 99.7 and thresholds are compared and floored exactly.
    """
    if isinstance(value, bool):
        raise ValidationError(f"{name} must be a number, got {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(f"{name} must be a finite number, got {value!r}")
        return Fraction(repr(value))
    try:
        return Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise ValidationError(f"{name} must be a number, got {value!r}") from None


def integer_points(weights: Sequence[float]) -> NDArray[np.int64]:
    """Decimal weights scaled to the smallest integers with the same ratios (1.5, 1 -> 3, 2).

    Parameters
    ----------
    weights
        Non-negative weights (points) as written. [points]

    Returns
    -------
    numpy.ndarray of int64
        Integer points proportional to ``weights`` exactly. [points]
    """
    fr = [exact_fraction(w, "weight") for w in weights]
    if any(f < 0 for f in fr):
        raise ValidationError(f"weights must be >= 0 [points], got {list(weights)!r}")
    den = math.lcm(*[f.denominator for f in fr]) if fr else 1
    ints = [int(f * den) for f in fr]
    g = math.gcd(*ints) if any(ints) else 1
    return np.array([i // g for i in ints], dtype=np.int64)


def _code(_inst: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or value != value.strip():
        raise ValidationError(f"{attribute.name} must be a code without surrounding spaces ('' = all), got {value!r}")


def _readonly(a: NDArray[Any]) -> NDArray[Any]:
    """A read-only array: arrays already read-only are kept (no copy), others are copied first."""
    a = np.asarray(a)
    if a.flags.writeable:
        a = a.copy()
        a.setflags(write=False)
    return a


def _freeze(*arrays: NDArray[Any]) -> None:
    """Mark freshly computed arrays read-only (so results can hold them without a copy)."""
    for a in arrays:
        a.setflags(write=False)


def _to_scopes(value: Iterable[Iterable[str]]) -> tuple[tuple[str, str], ...]:
    out = []
    for x in value:
        pair = tuple(x)
        if len(pair) != 2 or not all(isinstance(c, str) for c in pair):
            raise ValidationError(f"a scope must be a (member, system) pair of codes, got {x!r}")
        out.append((pair[0], pair[1]))
    return tuple(out)


def _float_array(value: ArrayLike) -> NDArray[np.float64]:
    return _readonly(np.asarray(value, dtype=np.float64))


def _bool_array(value: ArrayLike) -> NDArray[np.bool_]:
    return _readonly(np.asarray(value, dtype=bool))


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
    member: str = attrs.field(default=ALL, validator=_code)
    system: str = attrs.field(default=ALL, validator=_code)
    weight: float = attrs.field(default=1.0, validator=v.real(min=0, min_exclusive=True))
    note: str = attrs.field(default="", validator=v.text())

    @property
    def scope(self) -> tuple[str, str]:
        """``(member, system)``."""
        return (self.member, self.system)


@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class ObservationTable:
    """Observations as arrays ``metrics x months x scopes`` (the form the kernels take).

    Build with :meth:`from_observations` (objects, e.g. read from CSV) or :meth:`from_arrays`.

    Parameters
    ----------
    metrics
        Metric ids, one per row of the arrays (K).
    start
        First month (T consecutive months follow).
    scopes
        ``(member, system)`` of each column (N).
    values
        Values, float ``(K, T, N)``; ignored where not observed. [metric unit]
    observed
        Whether each value was observed, bool ``(K, T, N)``.
    weights
        Weights for weighted window means, float ``(K, T, N)``, > 0 where observed. [any]
    """

    metrics: tuple[str, ...] = attrs.field(converter=v.to_tuple)
    start: Month = attrs.field(converter=_to_month, validator=_month)
    scopes: tuple[tuple[str, str], ...] = attrs.field(converter=_to_scopes)
    values: NDArray[np.float64] = attrs.field(converter=_float_array)
    observed: NDArray[np.bool_] = attrs.field(converter=_bool_array)
    weights: NDArray[np.float64] = attrs.field(converter=_float_array)

    def __attrs_post_init__(self) -> None:
        shape = (len(self.metrics), self.values.shape[1] if self.values.ndim == 3 else -1, len(self.scopes))
        if self.values.ndim != 3 or self.values.shape != shape:
            raise ValidationError(f"values must have shape (metrics, months, scopes) = {shape}, got {self.values.shape}")
        if self.observed.shape != shape or self.weights.shape != shape:
            raise ValidationError("observed and weights must have the same shape as values")
        if len(set(self.metrics)) != len(self.metrics):
            raise ValidationError(f"metrics must be unique, got {self.metrics}")
        if len(set(self.scopes)) != len(self.scopes):
            raise ValidationError("scopes must be unique")
        obs = self.observed
        if not np.all(np.isfinite(self.values[obs])):
            raise ValidationError("observed values must be finite numbers")
        if not np.all(np.isfinite(self.weights[obs])) or np.any(self.weights[obs] <= 0):
            raise ValidationError("weights must be finite and > 0 where a value is observed")

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def from_arrays(cls, metrics: Sequence[str], start: Month | str, values: ArrayLike,
                    observed: ArrayLike | None = None, weights: ArrayLike | None = None,
                    scopes: Sequence[tuple[str, str]] | None = None,
                    members: Sequence[str] | None = None) -> ObservationTable:
        """A table from arrays ``(K, T, N)``.

        Parameters
        ----------
        metrics
            Metric ids (K).
        start
            First month.
        values
            Values ``(K, T, N)``. [metric unit]
        observed
            Mask, default all observed.
        weights
            Weights, default 1.
        scopes
            ``(member, system)`` per column; or give ``members`` (system ``""``).
        members
            Member codes per column.
        """
        vals = np.asarray(values, dtype=np.float64)
        if vals.ndim != 3:
            raise ValidationError(f"values must have shape (metrics, months, scopes), got {vals.shape}")
        if scopes is None:
            scopes = [(m, ALL) for m in (members if members is not None else [ALL] * vals.shape[2])]
        obs = np.ones(vals.shape, bool) if observed is None else np.broadcast_to(np.asarray(observed, bool), vals.shape)
        wts = np.ones(vals.shape) if weights is None else np.broadcast_to(np.asarray(weights, np.float64), vals.shape)
        return cls(metrics=tuple(metrics), start=start, scopes=tuple(scopes), values=vals, observed=obs, weights=wts)

    @classmethod
    def from_observations(cls, observations: Iterable[Observation], *, metrics: Sequence[str] | None = None,
                          start: Month | str | None = None, months: int | None = None,
                          scopes: Sequence[tuple[str, str]] | None = None) -> ObservationTable:
        """Arrange observations into a table.

        Parameters
        ----------
        observations
            The observations; at most one per (metric, month, member, system).
        metrics
            Metric ids (rows) in order; default: those observed, sorted.
        start, months
            The months covered; default: first to last month observed.
        scopes
            ``(member, system)`` columns; default: those observed, sorted (council-wide first).

        Raises
        ------
        ValidationError
            Duplicate observations, or observations outside the given metrics, months or scopes
            (each listed; nothing is dropped).
        """
        obs = tuple(observations)
        if start is None and not obs:
            raise ValidationError("no observations: give start and months for an empty table")
        start_m = _to_month(start) if start is not None else min(o.month for o in obs)
        if months is None:
            months = (max(o.month for o in obs) - start_m + 1) if obs else 1
        metric_ids = tuple(metrics) if metrics is not None else tuple(sorted({o.metric for o in obs}))
        scope_list = tuple(scopes) if scopes is not None else tuple(sorted({o.scope for o in obs}))
        k_of = {m: i for i, m in enumerate(metric_ids)}
        n_of = {s: i for i, s in enumerate(scope_list)}
        problems: list[str] = []
        ks = [k_of.get(o.metric, -1) for o in obs]
        ts = [o.month - start_m for o in obs]
        ns = [n_of.get(o.scope, -1) for o in obs]
        for o, kk, tt, nn in zip(obs, ks, ts, ns, strict=True):
            if kk < 0:
                problems.append(f"{o.metric!r} {o.month.iso()}: unknown metric (known: {list(metric_ids)})")
            if not 0 <= tt < months:
                problems.append(f"{o.metric!r} {o.month.iso()}: month outside {start_m.iso()} + {months} months")
            if nn < 0:
                problems.append(f"{o.metric!r} {o.month.iso()}: scope {scope_label(o.scope)!r} not in the table")
        if problems:
            raise ValidationError("observations do not fit the table:\n  - " + "\n  - ".join(problems[:20]))
        shape = (len(metric_ids), months, len(scope_list))
        values = np.zeros(shape)
        weights = np.ones(shape)
        observed = np.zeros(shape, bool)
        if obs:
            idx = (np.array(ks), np.array(ts), np.array(ns))
            flat = np.ravel_multi_index(idx, shape)
            uniq, counts = np.unique(flat, return_counts=True)
            if np.any(counts > 1):
                dup = [o for o, f in zip(obs, flat, strict=True) if f in set(uniq[counts > 1].tolist())]
                shown = sorted({f"{o.metric} {o.month.iso()} {scope_label(o.scope)}" for o in dup})
                raise ValidationError(f"duplicate observations for {shown[:10]}")
            values[idx] = [o.value for o in obs]
            weights[idx] = [o.weight for o in obs]
            observed[idx] = True
        return cls(metrics=metric_ids, start=start_m, scopes=scope_list, values=values, observed=observed,
                   weights=weights)

    # -- views ----------------------------------------------------------------------------------
    @property
    def months(self) -> tuple[Month, ...]:
        """The months covered."""
        return tuple(self.start + i for i in range(self.values.shape[1]))

    @property
    def members(self) -> tuple[str, ...]:
        """Member code of each scope."""
        return tuple(s[0] for s in self.scopes)

    def __len__(self) -> int:
        return int(self.observed.sum())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ObservationTable):
            return NotImplemented
        return (self.metrics, self.start, self.scopes) == (other.metrics, other.start, other.scopes) and \
            np.array_equal(self.observed, other.observed) and \
            np.array_equal(np.where(self.observed, self.values, 0), np.where(other.observed, other.values, 0)) and \
            np.array_equal(np.where(self.observed, self.weights, 1), np.where(other.observed, other.weights, 1))

    __hash__ = None  # type: ignore[assignment]

    def observations(self) -> tuple[Observation, ...]:
        """The observed cells as :class:`Observation` objects."""
        k, t, n = np.nonzero(self.observed)
        return tuple(
            Observation(metric=self.metrics[a], month=self.start + int(b), member=self.scopes[c][0],
                        system=self.scopes[c][1], value=float(self.values[a, b, c]),
                        weight=float(self.weights[a, b, c]))
            for a, b, c in zip(k.tolist(), t.tolist(), n.tolist(), strict=True)
        )

    def __repr__(self) -> str:
        return (f"ObservationTable({len(self.metrics)} metrics x {self.values.shape[1]} months from "
                f"{self.start.iso()} x {len(self.scopes)} scopes, {len(self)} observed)")

    def _rows(self) -> list[list[Any]]:
        return [[o.metric, o.month.iso(), scope_label(o.scope), o.value, o.weight] for o in self.observations()]

    def to_dataframe(self) -> pandas.DataFrame:
        """One row per observation: metric, month, member, system, value, weight."""
        return dataframe(["metric", "month", "member", "system", "value", "weight"],
                         [[o.metric, o.month.iso(), o.member, o.system, o.value, o.weight]
                          for o in self.observations()])

    def _repr_html_(self) -> str:
        rows = self._rows()
        return html_table(["metric", "month", "scope", "value", "weight"], rows[:200],
                          caption=repr(self) + (" (first 200)" if len(rows) > 200 else ""))


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


def _to_cause(value: Any) -> OutageCause:
    result: OutageCause = v.to_enum(OutageCause, "cause")(value)
    return result


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
    member: str = attrs.field(default=ALL, validator=_code)
    system: str = attrs.field(default=ALL, validator=_code)
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


def _scope_match(codes: Sequence[str], wanted: Sequence[str]) -> NDArray[np.bool_]:
    """(E, N): outage code applies to scope code ("" on either side matches everything)."""
    c = np.array(list(codes), dtype=object)[:, None]
    w = np.array(list(wanted), dtype=object)[None, :]
    return (c == ALL) | (w == ALL) | (c == w)  # type: ignore[no-any-return]


def _default_scopes(members: Sequence[str] | None, systems: Sequence[str] | None) -> tuple[tuple[str, str], ...]:
    mem = tuple(members) if members is not None else (ALL,)
    sys_ = tuple(systems) if systems is not None else (ALL,)
    return tuple((m, s) for m in mem for s in sys_)


# -- availability --------------------------------------------------------------------------------
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
    scheduled: NDArray[np.int64] = attrs.field(converter=_readonly)
    downtime: NDArray[np.int64] = attrs.field(converter=_readonly)
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
        frac = exact_fraction(target, "target") / 100
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
        pct = self.percent
        return [[m.iso(), scope_label(s), int(self.scheduled[i, j]), int(self.downtime[i, j]),
                 float(pct[i, j]) if self.defined[i, j] else None]
                for i, m in enumerate(self.months) for j, s in enumerate(self.scopes)]

    _HEADER = ("month", "scope", "scheduled_minutes", "downtime_minutes", "availability_%")

    def __repr__(self) -> str:
        t, n = self.scheduled.shape
        worst = float(np.min(self.percent[self.defined])) if self.defined.any() else float("nan")
        return f"Availability({t} months from {self.start.iso()} x {n} scopes, lowest {worst:.3f} %)"

    def _title(self) -> str:
        return "availability (稼働率)"


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
    scheduled: NDArray[np.int64] = attrs.field(converter=_readonly)
    downtime: NDArray[np.int64] = attrs.field(converter=_readonly)
    allowed: NDArray[np.int64] = attrs.field(converter=_readonly)

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
        used = self.used
        return [[lab, scope_label(s), int(self.scheduled[i, j]), int(self.allowed[i, j]), int(self.downtime[i, j]),
                 int(self.remaining[i, j]), float(used[i, j]), bool(self.met[i, j])]
                for i, lab in enumerate(self.labels) for j, s in enumerate(self.scopes)]

    _HEADER = ("window", "scope", "scheduled_minutes", "allowed_minutes", "downtime_minutes", "remaining_minutes",
               "used", "met")

    def __repr__(self) -> str:
        return (f"ErrorBudget(target={self.target} %, {self.window.value}, {len(self.labels)} windows x "
                f"{len(self.scopes)} scopes, {int((~self.met).sum())} over budget)")

    def _title(self) -> str:
        return f"error budget (許容停止時間) for {self.target} % ({self.window})"


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
    scopes = _default_scopes(members, systems)
    cals = _calendar_for(calendar)
    cal_names = list(cals)
    cum = np.stack([cals[c].cumulative(tl.start.first_day(), tl.days) for c in cal_names])
    cal_of_scope = np.array([cal_names.index(s if s in cals else ALL) for _, s in scopes], dtype=np.int64)
    b = tl.boundaries()
    sched = cum[cal_of_scope][:, b[1:]] - cum[cal_of_scope][:, b[:-1]]  # (N, T)
    n = len(scopes)
    if outs:
        start_min = np.clip(tl.minute_of([o.start for o in outs]), 0, tl.minutes)
        end_min = np.clip(tl.minute_of([o.end for o in outs], ceil=True), 0, tl.minutes)
        hit = _scope_match([o.member for o in outs], [s[0] for s in scopes]) & \
            _scope_match([o.system for o in outs], [s[1] for s in scopes])
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


def incident_observations(
    outages: Iterable[Outage],
    start: Month | str,
    months: int,
    *,
    notification: SLAMetric | None = None,
    recovery: SLAMetric | None = None,
    members: Sequence[str] | None = None,
) -> tuple[Observation, ...]:
    """Worst notification and recovery times of each month (障害通知時間・復旧時間), as observations.

    Only unplanned outages that were the vendor's fault are incidents.  An incident belongs to the
    month (Japan time) it started in; the month's value is the longest time of its incidents.  A
    month without incidents has no observation (nothing to judge).

    Parameters
    ----------
    outages
        The outage log (``notified`` is needed for the notification item).
    start, months
        Months to report. [months]
    notification, recovery
        The SLA items (unit ``"minutes"`` or ``"hours"``).
    members
        Member scopes (default ``[""]``: every incident).

    Returns
    -------
    tuple of Observation
    """
    tl = Timeline(_to_month(start), months)
    scopes = _default_scopes(members, None)
    incidents = [o for o in outages if o.counted]
    out: list[Observation] = []
    if not incidents:
        return ()
    month = tl.month_of([o.start for o in incidents])
    hit = _scope_match([o.member for o in incidents], [s[0] for s in scopes])
    inside = (month >= 0) & (month < months)
    for metric, attr in ((notification, "notification"), (recovery, "recovery")):  # two items
        if metric is None:
            continue
        scale = {"minutes": 1.0, "hours": 60.0}.get(metric.unit)
        if scale is None:
            raise ValidationError(f"metric {metric.id!r}: unit must be 'minutes' or 'hours', got {metric.unit!r}")
        if attr == "notification":
            has = np.array([o.notified is not None for o in incidents], bool)
            minutes = np.array([o.notification_minutes or 0.0 for o in incidents])
        else:
            has = np.ones(len(incidents), bool)
            minutes = np.array([o.duration_minutes for o in incidents])
        e_idx, g_idx = np.nonzero(hit & (inside & has)[:, None])
        group = month[e_idx] * len(scopes) + g_idx
        worst, count = kern.grouped_max(minutes[e_idx] / scale, group, months * len(scopes))
        for flat in np.flatnonzero(count > 0).tolist():
            t, g = divmod(flat, len(scopes))
            out.append(Observation(metric=metric.id, month=tl.start + t, member=scopes[g][0], system=scopes[g][1],
                                   value=float(worst[flat]), note=f"{int(count[flat])} incident(s)"))
    return tuple(out)


def percentile_observations(
    metric: SLAMetric,
    months: Sequence[Month | str],
    values: ArrayLike,
    *,
    members: Sequence[str] | None = None,
) -> tuple[Observation, ...]:
    """Monthly percentile of raw samples (e.g. the 95th-percentile online response time) as observations.

    Parameters
    ----------
    metric
        A response-time item with :attr:`~jichitai_cloud.SLAMetric.percentile` set.
    months
        Month of each sample.
    values
        The samples (e.g. response times), one per month entry. [metric unit]
    members
        Member code of each sample (default: all council-wide).

    Returns
    -------
    tuple of Observation
        One per (month, member) with samples.

    References
    ----------
    .. [1] Hyndman and Fan (1996), definition 7 (numpy's ``linear`` percentile).
    """
    if metric.percentile is None:
        raise ValidationError(f"metric {metric.id!r} has no percentile set")
    ms = [_to_month(m) for m in months]
    vals = np.asarray(values, dtype=np.float64)
    if vals.shape != (len(ms),):
        raise ValidationError(f"values must have one sample per month entry ({len(ms)}), got shape {vals.shape}")
    mem = list(members) if members is not None else [ALL] * len(ms)
    if len(mem) != len(ms):
        raise ValidationError("members must give one code per sample")
    if not ms:
        return ()
    idx = np.array([m.index for m in ms], dtype=np.int64)
    codes = sorted(set(mem))
    code_idx = np.array([codes.index(c) for c in mem], dtype=np.int64) if len(codes) > 1 else np.zeros(len(ms), int)
    base = int(idx.min())
    group = (idx - base) * len(codes) + code_idx
    n_groups = (int(idx.max()) - base + 1) * len(codes)
    pct, count = kern.grouped_percentile(vals, group, n_groups, metric.percentile)
    return tuple(
        Observation(metric=metric.id, month=Month.from_index(base + g // len(codes)), member=codes[g % len(codes)],
                    value=float(pct[g]), note=f"{int(count[g])} samples")
        for g in np.flatnonzero(count > 0).tolist()
    )


# -- compliance ----------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class Compliance:
    """SLA compliance (SLA達成状況) over metrics x windows x scopes, and month by month.

    Attributes
    ----------
    metrics
        The SLA items, one per row (K).
    start
        First month of the table (T months).
    scopes
        ``(member, system)`` of each column (N).
    monthly_values, monthly_observed, monthly_met, monthly_missed
        Each month's observation and its judgement against the target, ``(K, T, N)``.
    window_count
        Number of windows of each metric, int ``(K,)``; windows ``w >= window_count[k]`` are padding.
    window_first
        Month number (0 = :attr:`start`) of the first month of each window, int ``(K, W)``; a
        window at the edges may begin before :attr:`start` (its months before the table are not
        observed).
    window_values, window_months, met, missed
        Each window's value, observed months, and judgement, ``(K, W, N)``.
    complete
        Whether the window lies wholly inside the table, ``(K, W)``.
    streak
        Consecutive missed windows ending at each window, ``(K, W, N)``.
    points
        Integer points of each metric (its weight, scaled exactly to integers), ``(K,)``.
    """

    metrics: tuple[SLAMetric, ...]
    start: Month
    scopes: tuple[tuple[str, str], ...]
    monthly_values: NDArray[np.float64] = attrs.field(converter=_readonly)
    monthly_observed: NDArray[np.bool_] = attrs.field(converter=_readonly)
    monthly_met: NDArray[np.bool_] = attrs.field(converter=_readonly)
    monthly_missed: NDArray[np.bool_] = attrs.field(converter=_readonly)
    window_count: NDArray[np.int64] = attrs.field(converter=_readonly)
    window_first: NDArray[np.int64] = attrs.field(converter=_readonly)
    window_values: NDArray[np.float64] = attrs.field(converter=_readonly)
    window_months: NDArray[np.int64] = attrs.field(converter=_readonly)
    met: NDArray[np.bool_] = attrs.field(converter=_readonly)
    missed: NDArray[np.bool_] = attrs.field(converter=_readonly)
    complete: NDArray[np.bool_] = attrs.field(converter=_readonly)
    streak: NDArray[np.int64] = attrs.field(converter=_readonly)
    points: NDArray[np.int64] = attrs.field(converter=_readonly)

    # -- views ----------------------------------------------------------------------------------
    @property
    def months(self) -> tuple[Month, ...]:
        """The months covered."""
        return tuple(self.start + i for i in range(self.monthly_values.shape[1]))

    @property
    def evaluated(self) -> NDArray[np.bool_]:
        """Windows with at least one observed month, ``(K, W, N)``."""
        return self.window_months > 0

    def metric_index(self, metric: str | SLAMetric) -> int:
        """Row of a metric."""
        mid = metric.id if isinstance(metric, SLAMetric) else metric
        for i, m in enumerate(self.metrics):
            if m.id == mid:
                return i
        raise ValidationError(f"no SLA item {mid!r}; items are {[m.id for m in self.metrics]}")

    def window_label(self, k: int, w: int) -> str:
        """Label of window ``w`` of metric ``k`` (``"2015-10"``, ``"FY2015 3Q"``, ``"FY2015"``)."""
        return self.metrics[k].window.label(self.start + int(self.window_first[k, w]))

    @property
    def window_exists(self) -> NDArray[np.bool_]:
        """Real windows (not padding), ``(K, W)``."""
        return np.arange(self.window_first.shape[1])[None, :] < self.window_count[:, None]

    def window_of_month(self, k: int, t: int) -> int:
        """Window number of month ``t`` (0 = :attr:`start`) for metric ``k``."""
        first = self.window_first[k, : int(self.window_count[k])]
        return int(np.searchsorted(first, t, side="right") - 1)

    def _window_mask(self, fiscal_year: int | None, months: tuple[Month, Month] | None) -> NDArray[np.bool_]:
        """(K, W) windows selected: by the fiscal year of their first month, or lying within [from, to]."""
        valid = self.window_exists.copy()
        first_idx = self.start.index + self.window_first
        if fiscal_year is not None:
            fy = np.where(first_idx % 12 >= 3, first_idx // 12, first_idx // 12 - 1)
            valid &= fy == fiscal_year
        if months is not None:
            lo, hi = months
            lens = np.array([m.window.months for m in self.metrics])[:, None]
            valid &= (first_idx >= lo.index) & (first_idx + lens - 1 <= hi.index)
        return valid

    def achievement(self, *, fiscal_year: int | None = None, months: tuple[Month | str, Month | str] | None = None,
                    ) -> Achievement:
        """Weighted achievement (SLA達成率) per scope: met points / evaluated points.

        Each evaluated (metric, window) counts the metric's points once, so a monthly item weighs
        once per month and a yearly item once per year.

        Parameters
        ----------
        fiscal_year
            Only windows beginning in this fiscal year (年度), e.g. 2015.
        months
            Only windows lying wholly within ``(first, last)`` month.

        Returns
        -------
        Achievement
        """
        rng = None if months is None else (_to_month(months[0]), _to_month(months[1]))
        sel = self._window_mask(fiscal_year, rng)[:, :, None]
        met = self.met & sel
        ev = self.evaluated & sel
        achieved, possible = kern.achievement(met, ev, self.points)
        label = f"FY{fiscal_year}" if fiscal_year is not None else (
            f"{rng[0].iso()}..{rng[1].iso()}" if rng is not None else "all")
        return Achievement(scopes=self.scopes, achieved=achieved, possible=possible, period=label)

    def _long_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = []
        k_idx, w_idx, n_idx = np.nonzero(self.evaluated)
        for k, w, n in zip(k_idx.tolist(), w_idx.tolist(), n_idx.tolist(), strict=True):
            m = self.metrics[k]
            rows.append([m.id, m.name, self.window_label(k, w), scope_label(self.scopes[n]), m.target,
                         float(self.window_values[k, w, n]), m.unit, int(self.window_months[k, w, n]),
                         bool(self.met[k, w, n]), int(self.streak[k, w, n]), bool(self.complete[k, w])])
        return rows

    _HEADER = ("metric", "name", "window", "scope", "target", "value", "unit", "months", "met", "streak", "complete")

    def to_dataframe(self) -> pandas.DataFrame:
        """One row per evaluated (metric, window, scope)."""
        return dataframe(list(self._HEADER), self._long_rows())

    def to_text(self) -> str:
        """Summary per metric: windows evaluated, met, missed, longest streak."""
        return text_table(["metric", "name", "window", "target", "evaluated", "met", "missed", "longest_streak"],
                          self._summary_rows(), title="SLA compliance (SLA達成状況)")

    def _summary_rows(self) -> list[list[Any]]:
        ev = self.evaluated.sum(axis=(1, 2))
        met = self.met.sum(axis=(1, 2))
        longest = self.streak.max(axis=(1, 2)) if self.streak.size else np.zeros(len(self.metrics), int)
        return [[m.id, m.name, m.window.value, m.target, int(ev[k]), int(met[k]), int(ev[k] - met[k]), int(longest[k])]
                for k, m in enumerate(self.metrics)]

    def _repr_html_(self) -> str:
        return html_table(["metric", "name", "window", "target", "evaluated", "met", "missed", "longest_streak"],
                          self._summary_rows(), caption="SLA compliance (SLA達成状況)")

    def __repr__(self) -> str:
        return (f"Compliance({len(self.metrics)} metrics x {self.monthly_values.shape[1]} months from "
                f"{self.start.iso()} x {len(self.scopes)} scopes: {int(self.met.sum())} of "
                f"{int(self.evaluated.sum())} windows met)")


@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class Achievement:
    """Weighted SLA achievement (SLA達成率) per scope, as exact fractions.

    Attributes
    ----------
    scopes
        ``(member, system)`` of each entry.
    achieved, possible
        Points met and points evaluated, int ``(N,)``. [points]
    period
        What was counted (``"FY2015"``).
    """

    scopes: tuple[tuple[str, str], ...]
    achieved: NDArray[np.int64] = attrs.field(converter=_readonly)
    possible: NDArray[np.int64] = attrs.field(converter=_readonly)
    period: str = "all"

    @property
    def percent(self) -> NDArray[np.float64]:
        """Achievement in percent (100 where nothing was evaluated). [%]"""
        out = np.full(self.achieved.shape, 100.0)
        np.divide(self.achieved * 100, self.possible, out=out, where=self.possible > 0)
        return out

    def fraction(self, scope: tuple[str, str] | str) -> Fraction:
        """Exact achievement of one scope (a member code means ``(code, "")``). [1]"""
        key = (scope, ALL) if isinstance(scope, str) else scope
        i = self.scopes.index(key)
        p = int(self.possible[i])
        return Fraction(int(self.achieved[i]), p) if p else Fraction(1)

    def _rows(self) -> list[list[Any]]:
        pct = self.percent
        return [[scope_label(s), int(self.achieved[i]), int(self.possible[i]), float(pct[i])]
                for i, s in enumerate(self.scopes)]

    def to_dataframe(self) -> pandas.DataFrame:
        """One row per scope."""
        return dataframe(["scope", "achieved_points", "possible_points", "achievement_%"], self._rows())

    def to_text(self) -> str:
        """A text table."""
        return text_table(["scope", "achieved_points", "possible_points", "achievement_%"], self._rows(),
                          title=f"SLA achievement (SLA達成率), {self.period}")

    def _repr_html_(self) -> str:
        return html_table(["scope", "achieved_points", "possible_points", "achievement_%"], self._rows(),
                          caption=f"SLA achievement (SLA達成率), {self.period}")

    def __repr__(self) -> str:
        return f"Achievement({self.period}: " + ", ".join(
            f"{scope_label(s)} {p:.2f} %" for s, p in zip(self.scopes, self.percent.tolist(), strict=True)) + ")"


def evaluate_sla(metrics: Sequence[SLAMetric], table: ObservationTable) -> Compliance:
    """Judge every observation and every window against its SLA item, in one vectorised call.

    Months are combined into each item's window (monthly, fiscal quarter, fiscal year; Japan
    time) by its aggregation rule, the window values are compared with the targets (a value equal
    to the target meets it), and runs of consecutive misses are counted.

    Parameters
    ----------
    metrics
        The SLA items; every metric of ``table`` must be among them (items without
        observations are included, never evaluated).
    table
        The observations.

    Returns
    -------
    Compliance

    Raises
    ------
    ValidationError
        If the table holds a metric that is not defined.

    References
    ----------
    .. [1] 総務省 (2010), 地方公共団体における ASP・SaaS 導入活用ガイドライン: SLM.
    """
    by_id = {m.id: m for m in metrics}
    if len(by_id) != len(metrics):
        raise ValidationError("SLA item ids must be unique")
    unknown = [m for m in table.metrics if m not in by_id]
    if unknown:
        raise ValidationError(f"observations refer to unknown SLA items {unknown}; defined: {list(by_id)}")
    items = tuple(metrics)
    k = len(items)
    t = table.values.shape[1]
    n = len(table.scopes)
    row_of = {mid: i for i, mid in enumerate(table.metrics)}
    pick = np.array([row_of.get(m.id, -1) for m in items], dtype=np.int64)
    if np.array_equal(pick, np.arange(len(table.metrics))):  # same rows in the same order: no copy
        values, observed, weights = table.values, table.observed, table.weights
    else:
        has = pick >= 0
        values = np.zeros((k, t, n))
        observed = np.zeros((k, t, n), bool)
        weights = np.ones((k, t, n))
        values[has] = table.values[pick[has]]
        observed[has] = table.observed[pick[has]]
        weights[has] = table.weights[pick[has]]
        _freeze(values, observed, weights)
    tl = Timeline(table.start, t)
    lengths = [m.window.months for m in items]
    window = tl.window_numbers(lengths) if k else np.zeros((0, t), np.int64)
    how = np.array([_AGG_CODE[m.aggregation.value] for m in items], dtype=np.int64)
    target = np.array([m.target for m in items], dtype=np.float64)
    higher = np.array([m.higher_is_better for m in items], dtype=bool)
    wv, cnt = kern.window_aggregate(values, observed, window, how, weights=weights)
    ev = cnt > 0
    met, missed = kern.compliance(wv, ev, target, higher)
    streak = kern.miss_streaks(missed, ev, axis=-2)
    m_met, m_missed = kern.compliance(values, observed, target, higher)
    # first month (relative to start) of each window, and whether it lies wholly in the table
    w_max = wv.shape[1]
    idx = table.start.index + np.arange(t)
    ln = np.array(lengths, dtype=np.int64)[:, None] if k else np.ones((0, 1), np.int64)
    first_of_month = idx[None, :] - (idx[None, :] % 12 - 3) % ln - table.start.index  # (K, T)
    window_first = np.zeros((k, w_max), dtype=np.int64)
    rows = np.repeat(np.arange(k), t)
    window_first[rows, window.ravel()] = first_of_month.ravel()
    n_win = window[:, -1] + 1 if t and k else np.zeros(k, np.int64)
    exists = np.arange(w_max)[None, :] < n_win[:, None]
    complete = exists & (window_first >= 0) & (window_first + ln <= t)
    points = integer_points([m.weight for m in items])
    _freeze(m_met, m_missed, n_win, window_first, wv, cnt, met, missed, complete, streak, points)
    return Compliance(
        metrics=items, start=table.start, scopes=table.scopes,
        monthly_values=values, monthly_observed=observed, monthly_met=m_met, monthly_missed=m_missed,
        window_count=n_win, window_first=window_first, window_values=wv, window_months=cnt, met=met, missed=missed,
        complete=complete, streak=streak, points=points,
    )

