"""Observations as arrays, and observations derived from the outage log or from raw samples.

The domain layer turns :class:`~jichitai_cloud.model.Observation` records into the arrays
``metrics x months x scopes`` the kernels take (:class:`ObservationTable`), and derives monthly
observations of incident items (notification and recovery times) and percentile items (e.g. the
95th-percentile response time).

References
----------
.. [1] 総務省 (2010), 地方公共団体における ASP・SaaS 導入活用ガイドライン: SLA 項目と SLM.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import _validators as v
from .._display import Column, DataTable, Lang, TableView, render_frame
from .._numeric import readonly
from .._validators import month as _month
from .._validators import to_month as _to_month
from ..calendar import Month
from ..errors import ValidationError
from ..model import Observation, Outage, SLAMetric
from . import _kernels as kern
from ._scopes import ALL, default_scopes, scope_label, scope_match, to_scopes
from ._timeline import Timeline

if TYPE_CHECKING:  # pragma: no cover
    import pandas

_OBS = (Column("metric", "項目コード", "Metric", "code"), Column("month", "月", "Month", "month"),
        Column("member", "団体コード", "Member", "code"), Column("system", "業務", "System", "text"),
        Column("value", "値", "Value", "number"), Column("weight", "重み", "Weight", "number"))

__all__ = ["ObservationTable", "incident_observations", "percentile_observations"]


def _float_array(value: ArrayLike) -> NDArray[np.float64]:
    return readonly(value, np.float64)


def _bool_array(value: ArrayLike) -> NDArray[np.bool_]:
    return readonly(value, bool)


@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class ObservationTable(TableView):
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
    scopes: tuple[tuple[str, str], ...] = attrs.field(converter=to_scopes)
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

    _PREVIEW = 200

    def _all_rows(self) -> list[list[Any]]:
        """One row per observation: metric, month, member, system, value, weight."""
        return [[o.metric, o.month, o.member, o.system, o.value, o.weight] for o in self.observations()]

    def views(self) -> tuple[DataTable, ...]:
        """A preview: the first 200 observations with their scope label (:meth:`to_dataframe` has them all)."""
        rows = [[r[0], r[1], scope_label((r[2], r[3])), r[4], r[5]] for r in self._all_rows()[: self._PREVIEW]]
        return (DataTable(key="observations", title=self._title("ja"), title_en=self._title("en"),
                          columns=(_OBS[0], _OBS[1], Column("scope", "対象", "Scope", "text"), *_OBS[4:]), rows=rows,
                          sheet="観測値", sheet_en="Observations"),)

    def to_dataframe(self, table: str | None = None) -> pandas.DataFrame:
        """Every observation: metric, month (``Period[M]``), member, system, value, weight."""
        if table is not None:
            return render_frame(self.view(table))
        return render_frame(DataTable(key="observations_all", title="観測値", title_en="Observations", columns=_OBS,
                                      rows=self._all_rows()))

    def _title(self, lang: Lang = "ja") -> str:
        n, months = len(self), self.values.shape[1]
        if lang == "ja":
            return (f"観測値: {len(self.metrics)} 項目 × {months} か月 ({self.start.era_short()} から) × "
                    f"{len(self.scopes)} 対象、観測 {n} 件" + (f" (先頭 {self._PREVIEW} 件)" if n > self._PREVIEW else ""))
        return (f"Observations: {len(self.metrics)} metrics x {months} months from {self.start.iso()} x "
                f"{len(self.scopes)} scopes, {n} observed" + (f" (first {self._PREVIEW})" if n > self._PREVIEW else ""))


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
    scopes = default_scopes(members, None)
    incidents = [o for o in outages if o.counted]
    out: list[Observation] = []
    if not incidents:
        return ()
    month = tl.month_of([o.start for o in incidents])
    hit = scope_match([o.member for o in incidents], [s[0] for s in scopes])
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
