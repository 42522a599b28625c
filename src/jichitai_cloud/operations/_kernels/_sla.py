"""Pure numpy kernels for service-level monitoring (SLM): availability, compliance, penalties.

Every function takes and returns numpy arrays, validates what it is given (NaN, infinities,
negative minutes and yen raise :class:`~jichitai_cloud.errors.ValidationError`), broadcasts over
leading axes where it says so, and contains no Python loop over members, metrics, months,
outages or scenarios.  (:func:`window_aggregate` loops over the at most five aggregation rules.)

Conventions
-----------
* Time is counted in whole minutes from the first minute of the evaluation period (Japan time);
  the period is cut into months by ``boundaries`` (``M + 1`` minute indices).
* Compliance arrays are shaped ``(..., K, T, N)``: metrics x months (or windows) x members.
* Money is integer yen (int64).  Every division that yields yen floors, and does so exactly in
  integer arithmetic (no float ever touches an amount).

References
----------
.. [1] 総務省, 地方公共団体における情報システムの非機能要件の標準 (非機能要求グレード 地方公共団体版),
   稼働率 = (計画サービス時間 - 停止時間) / 計画サービス時間.
.. [2] 経済産業省 (2008), SaaS向けSLAガイドライン; 総務省 (2010), 地方公共団体における ASP・SaaS
   導入活用ガイドライン: SLA 項目 (稼働率, 障害通知時間, 復旧時間, 応答時間, バックアップ).
.. [3] Hyndman, R. J. and Fan, Y. (1996). Sample quantiles in statistical packages.
   *The American Statistician* 50(4), 361-365 (definition 7, numpy's default ``linear``).
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric._checks import finite_reals, nonnegative_integers
from ..._numeric._dask import any_dask, map_batch
from ...errors import ValidationError

__all__ = [
    "AGGREGATIONS",
    "MINUTES_PER_DAY",
    "achievement",
    "availability",
    "compliance",
    "down_intervals",
    "grouped_max",
    "grouped_percentile",
    "miss_streaks",
    "outage_downtime",
    "penalty_points",
    "scheduled_minutes",
    "service_cumulative",
    "service_minutes_by_month",
    "window_aggregate",
]

MINUTES_PER_DAY: Final = 1440
AGGREGATIONS: Final[tuple[str, ...]] = ("mean", "weighted_mean", "min", "max", "sum")
"""Codes of :func:`window_aggregate`: index 0 = mean, 1 = weighted mean, 2 = min, 3 = max, 4 = sum."""

# -- service calendar ----------------------------------------------------------------------------
def service_cumulative(open_minute: ArrayLike, close_minute: ArrayLike) -> NDArray[np.int64]:
    """Cumulative service minutes from a per-day service window (サービス提供時間).

    Parameters
    ----------
    open_minute
        Minute of the day service opens, shape ``(..., D)`` for D consecutive days; 510 for 8:30.
        A closed day has ``open_minute == close_minute``. [minutes]
    close_minute
        Minute of the day service closes (exclusive), ``open_minute <= close_minute <= 1440``;
        1035 for 17:15, 1440 for midnight. [minutes]

    Returns
    -------
    numpy.ndarray of int64, shape ``(..., D * 1440 + 1)``
        ``F[..., t]``: scheduled service minutes in ``[0, t)``, so that the service minutes in
        ``[a, b)`` are ``F[b] - F[a]``. [minutes]

    Raises
    ------
    ValidationError
        If a window is outside ``0..1440`` or closes before it opens.
    """
    lo = nonnegative_integers(open_minute, "open_minute", unit="minutes")
    hi = nonnegative_integers(close_minute, "close_minute", unit="minutes")
    lo, hi = np.broadcast_arrays(lo, hi)
    if lo.size and (np.max(hi) > MINUTES_PER_DAY or np.any(hi < lo)):
        raise ValidationError("each day's service window must satisfy 0 <= open_minute <= close_minute <= 1440")
    minute = np.arange(MINUTES_PER_DAY, dtype=np.int64)
    mask = (minute >= lo[..., None]) & (minute < hi[..., None])  # (..., D, 1440)
    flat = mask.reshape(*mask.shape[:-2], -1)
    out = np.zeros((*flat.shape[:-1], flat.shape[-1] + 1), dtype=np.int64)
    np.cumsum(flat, axis=-1, out=out[..., 1:])
    return out


def scheduled_minutes(cumulative: ArrayLike, boundaries: ArrayLike) -> NDArray[np.int64]:
    """Scheduled service minutes (計画サービス時間) per month.

    Parameters
    ----------
    cumulative
        Output of :func:`service_cumulative`, shape ``(..., T + 1)``. [minutes]
    boundaries
        Month boundaries as minute indices, shape ``(M + 1,)``, non-decreasing, within ``0..T``. [minutes]

    Returns
    -------
    numpy.ndarray of int64, shape ``(..., M)`` [minutes]
    """
    f = np.asarray(cumulative, dtype=np.int64)
    b = _boundaries(boundaries, f.shape[-1] - 1)
    return np.diff(f[..., b], axis=-1)


def _boundaries(boundaries: ArrayLike, t_max: int) -> NDArray[np.int64]:
    b = nonnegative_integers(boundaries, "boundaries", unit="minutes")
    if b.ndim != 1 or b.size < 2:
        raise ValidationError(f"boundaries must be a 1-d array of at least 2 minute indices, got shape {b.shape}")
    if np.any(np.diff(b) < 0) or b[-1] > t_max:
        raise ValidationError(f"boundaries must be non-decreasing minute indices within 0..{t_max}")
    return b


# -- outages -------------------------------------------------------------------------------------
def down_intervals(
    start: ArrayLike, end: ArrayLike, group: ArrayLike, counted: ArrayLike, planned: ArrayLike,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Disjoint downtime intervals per group: inside a counted outage and inside no planned one.

    Parameters
    ----------
    start, end
        Outage start and end minutes (end exclusive), shape ``(E,)``, ``0 <= start <= end``. [minutes]
    group
        Group of each outage, ``>= 0``.
    counted
        Unplanned outages that count (the vendor's fault), bool ``(E,)``.
    planned
        Planned outages (計画停止), bool ``(E,)``; an outage marked both is planned.

    Returns
    -------
    start, end, group : numpy.ndarray of int64
        Sorted by group and time; within a group the intervals are disjoint and not adjacent
        (touching intervals are merged). [minutes]

    Notes
    -----
    One sweep over the sorted endpoints: a global cumulative sum is a per-group sweep because each
    group's +1/-1 events cancel.
    """
    s = nonnegative_integers(start, "start", unit="minutes").ravel()
    e = nonnegative_integers(end, "end", unit="minutes").ravel()
    g = nonnegative_integers(group, "group", unit="groups").ravel()
    c = np.asarray(counted, dtype=bool).ravel()
    p = np.asarray(planned, dtype=bool).ravel()
    if not (s.shape == e.shape == g.shape == c.shape == p.shape):
        raise ValidationError("start, end, group, counted and planned must have the same length")
    if np.any(e < s):
        i = int(np.flatnonzero(e < s)[0])
        raise ValidationError(f"outage {i} ends (minute {e[i]}) before it starts (minute {s[i]})")
    c = c & ~p  # a planned outage never counts
    keep = (c | p) & (e > s)
    s, e, g, c = s[keep], e[keep], g[keep], c[keep]
    empty = np.zeros(0, np.int64)
    if s.size == 0:
        return empty, empty, empty
    t = np.concatenate([s, e])
    gg = np.concatenate([g, g])
    ci = c.astype(np.int64)
    dc = np.concatenate([ci, -ci])
    dp = np.concatenate([1 - ci, ci - 1])
    order = np.lexsort((t, gg))
    t, gg, dc, dp = t[order], gg[order], dc[order], dp[order]
    down = (gg[:-1] == gg[1:]) & (np.cumsum(dc)[:-1] > 0) & (np.cumsum(dp)[:-1] == 0) & (t[1:] > t[:-1])
    a, b, grp = t[:-1][down], t[1:][down], gg[:-1][down]
    if a.size == 0:
        return empty, empty, empty
    # merge touching segments of the same group
    new = np.r_[True, (grp[1:] != grp[:-1]) | (a[1:] != b[:-1])]
    first = np.flatnonzero(new)
    last = np.r_[first[1:], a.size] - 1
    return a[first].astype(np.int64), b[last].astype(np.int64), grp[first].astype(np.int64)


def service_minutes_by_month(
    start: ArrayLike, end: ArrayLike, group: ArrayLike, n_groups: int, boundaries: ArrayLike,
    cumulative: ArrayLike, calendar: ArrayLike | None = None,
) -> NDArray[np.int64]:
    """Service minutes inside intervals, per group and month (intervals are split at month boundaries).

    Parameters
    ----------
    start, end
        Intervals (end exclusive), shape ``(S,)``, within ``0..T``; overlapping intervals of one
        group are counted twice (pass disjoint ones, e.g. from :func:`down_intervals`). [minutes]
    group
        Group of each interval, ``0 <= group < n_groups``.
    n_groups
        Number of groups G.
    boundaries
        Month boundaries, shape ``(M + 1,)``; minutes outside them are not counted. [minutes]
    cumulative
        Service calendars from :func:`service_cumulative`, ``(C, T + 1)`` or ``(T + 1,)``. [minutes]
    calendar
        Calendar index of each group, ``(G,)`` (default 0).

    Returns
    -------
    numpy.ndarray of int64, shape ``(G, M)`` [minutes]
    """
    a = nonnegative_integers(start, "start", unit="minutes").ravel()
    b = nonnegative_integers(end, "end", unit="minutes").ravel()
    g = nonnegative_integers(group, "group", unit="groups").ravel()
    f = np.atleast_2d(np.asarray(cumulative, dtype=np.int64))
    t_max = f.shape[-1] - 1
    bnd = _boundaries(boundaries, t_max)
    n_months = bnd.size - 1
    if not (a.shape == b.shape == g.shape):
        raise ValidationError("start, end and group must have the same length")
    if np.any(b < a) or (b.size and np.max(b) > t_max):
        raise ValidationError(f"intervals must satisfy 0 <= start <= end <= {t_max}")
    if g.size and np.max(g) >= n_groups:
        raise ValidationError(f"group must be < n_groups = {n_groups}, got {np.max(g)}")
    cal = np.zeros(n_groups, dtype=np.int64) if calendar is None else nonnegative_integers(calendar, "calendar", unit="index")
    if cal.shape != (n_groups,) or (cal.size and np.max(cal) >= f.shape[0]):
        raise ValidationError(f"calendar must give one index < {f.shape[0]} for each of the {n_groups} groups")
    out = np.zeros((n_groups, n_months), dtype=np.int64)
    keep = b > a
    a, b, g = a[keep], b[keep], g[keep]
    if a.size == 0 or n_months == 0:
        return out
    first = np.searchsorted(bnd, a, side="right") - 1
    last = np.searchsorted(bnd, b - 1, side="right") - 1
    pieces = last - first + 1
    idx = np.repeat(np.arange(a.size), pieces)
    offset = np.arange(idx.size) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    month = first[idx] + offset
    inside = (month >= 0) & (month < n_months)
    idx, month = idx[inside], month[inside]
    lo = np.maximum(a[idx], bnd[month])
    hi = np.minimum(b[idx], bnd[month + 1])
    gi = g[idx]
    minutes = f[cal[gi], hi] - f[cal[gi], lo]
    np.add.at(out.reshape(-1), gi * n_months + month, minutes)
    return out


def outage_downtime(
    start: ArrayLike,
    end: ArrayLike,
    group: ArrayLike,
    counted: ArrayLike,
    planned: ArrayLike,
    n_groups: int,
    boundaries: ArrayLike,
    cumulative: ArrayLike,
    calendar: ArrayLike | None = None,
    merge: ArrayLike | None = None,
) -> NDArray[np.int64]:
    """Downtime within service hours (停止時間) per group and month, from an outage log.

    A minute is downtime of a group when it is (a) a scheduled service minute of the group's
    service calendar, (b) inside at least one *counted* outage of the group (unplanned and the
    vendor's fault) and (c) inside no *planned* outage (計画停止) of the group.  Overlapping outages
    are merged (a minute is counted once); outages that are neither counted nor planned (not the
    vendor's fault) do not count and do not excuse.

    With ``merge``, the groups above are sub-groups (e.g. one per business system of a member):
    each sub-group's downtime is found on its own, then a minute is downtime of the merged group
    when it is downtime of any of its sub-groups, so a planned outage of one system never excuses
    an unplanned outage of another.

    Parameters
    ----------
    start, end
        Outage start and end as minute indices (end exclusive), shape ``(E,)``,
        ``0 <= start <= end <= T``. [minutes]
    group
        Group (e.g. member x business system) of each outage, ``0 <= group < n_groups``.
    counted
        Whether each outage counts as downtime (unplanned and the vendor's fault), bool ``(E,)``;
        an outage marked both counted and planned is planned.
    planned
        Whether each outage is planned, bool ``(E,)``; planned minutes are never downtime.
    n_groups
        Number of groups G (of the result: the merged groups when ``merge`` is given).
    boundaries
        Month boundaries, shape ``(M + 1,)``, as minute indices. [minutes]
    cumulative
        Service calendars from :func:`service_cumulative`, shape ``(C, T + 1)`` or ``(T + 1,)``. [minutes]
    calendar
        Calendar index of each (result) group, shape ``(G,)`` (default: calendar 0 for every group).
    merge
        Result group of each sub-group, int array indexed by ``group`` (default: no merging).

    Returns
    -------
    numpy.ndarray of int64, shape ``(G, M)``
        Service-hour minutes of downtime. [minutes]

    References
    ----------
    .. [1] 総務省, 非機能要求グレード 地方公共団体版: 稼働率の算定から計画停止を除く.
    """
    f = np.atleast_2d(np.asarray(cumulative, dtype=np.int64))
    t_max = f.shape[-1] - 1
    e_arr = nonnegative_integers(end, "end", unit="minutes")
    if e_arr.size and np.max(e_arr) > t_max:
        raise ValidationError(f"outage minutes must lie within 0..{t_max}, got {np.max(e_arr)}")
    g_arr = nonnegative_integers(group, "group", unit="groups")
    if merge is None and g_arr.size and np.max(g_arr) >= n_groups:
        raise ValidationError(f"group must be < n_groups = {n_groups}, got {np.max(g_arr)}")
    a, b, g = down_intervals(start, e_arr, g_arr, counted, planned)
    if merge is not None:
        mg = nonnegative_integers(merge, "merge", unit="groups").ravel()
        if g_arr.size and np.max(g_arr) >= mg.size:
            raise ValidationError(f"merge must give a result group for every sub-group (< {mg.size})")
        if mg.size and np.max(mg) >= n_groups:
            raise ValidationError(f"merge must map to groups < n_groups = {n_groups}")
        ones = np.ones(a.size, bool)
        a, b, g = down_intervals(a, b, mg[g], ones, ~ones)
    return service_minutes_by_month(a, b, g, n_groups, boundaries, f, calendar)


def availability(scheduled: ArrayLike, downtime: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Availability (稼働率) = (scheduled service time - downtime) / scheduled service time.

    Any of ``scheduled``, ``downtime`` may be a dask array (the ``scale`` extra): the result is then
    lazy dask arrays, equal to the numpy result, mapped over the blocks of the first axis (scenarios
    or members; the other axes are taken whole).  Errors in a block are raised when it is computed.

    Parameters
    ----------
    scheduled
        Scheduled service minutes (計画サービス時間), any shape. [minutes]
    downtime
        Downtime within service hours (停止時間), same shape, ``0 <= downtime <= scheduled``. [minutes]

    Returns
    -------
    ratio : numpy.ndarray of float64
        Availability in ``[0, 1]``; ``1.0`` where nothing was scheduled. [1]
    defined : numpy.ndarray of bool
        False where nothing was scheduled (the ratio is then not a measurement).

    References
    ----------
    .. [1] 総務省, 地方公共団体における情報システムの非機能要件の標準: 稼働率.
    """
    if any_dask(scheduled, downtime):
        return map_batch(availability, {"scheduled": scheduled, "downtime": downtime},
                         data=("scheduled", "downtime"), table=False)
    s = nonnegative_integers(scheduled, "scheduled", unit="minutes")
    d = nonnegative_integers(downtime, "downtime", unit="minutes")
    s, d = np.broadcast_arrays(s, d)
    if np.any(d > s):
        raise ValidationError("downtime cannot exceed the scheduled service time")
    defined = s > 0
    ratio = np.ones(s.shape, dtype=np.float64)
    np.divide(s - d, s, out=ratio, where=defined)
    return ratio, defined


# -- compliance ----------------------------------------------------------------------------------
def window_aggregate(
    values: ArrayLike,
    observed: ArrayLike,
    window: ArrayLike,
    how: ArrayLike,
    weights: ArrayLike | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Combine monthly observations into window values (monthly, fiscal quarter, fiscal year).

    Any of ``values``, ``observed``, ``weights`` may be a dask array (the ``scale`` extra): the
    result is then lazy dask arrays, equal to the numpy result, mapped over the blocks of the batch
    axis — the scenario axis ``S`` of ``(S, K, T, N)``, or the members axis ``N`` of one table ``(K,
    T, N)`` (the other axes are taken whole).  Errors in a block are raised when it is computed.

    Parameters
    ----------
    values
        Monthly values, shape ``(..., K, T, N)`` (metrics x months x members). [metric unit]
    observed
        Whether each value was observed, bool, same shape (unobserved values are ignored).
    window
        Window number of each month for each metric, int ``(K, T)``, starting at 0 and rising by
        0 or 1 from one month to the next (windows are contiguous runs of months).
    how
        Aggregation code of each metric, int ``(K,)``: 0 mean, 1 weighted mean (by ``weights``),
        2 min, 3 max, 4 sum (see :data:`AGGREGATIONS`).
    weights
        Positive weights for the weighted mean (e.g. scheduled service minutes), same shape as
        ``values``; needed only if some metric uses code 1. [any]

    Returns
    -------
    window_values : numpy.ndarray of float64, shape ``(..., K, W, N)``
        W is the largest number of windows of a metric; windows without an observation (and the
        padding of metrics with fewer windows) hold 0.0. [metric unit]
    count : numpy.ndarray of int64, shape ``(..., K, W, N)``
        Observed months in each window (0: not evaluated). [months]
    """
    if any_dask(values, observed, window, how, weights):
        return map_batch(window_aggregate, {"values": values, "observed": observed, "window": window,
                                            "how": how, "weights": weights},
                         data=("values", "observed", "weights"), table=True)
    v = np.asarray(values, dtype=np.float64)
    obs = np.broadcast_to(np.asarray(observed, dtype=bool), v.shape)
    if v.ndim < 3:
        raise ValidationError(f"values must have shape (..., K, T, N), got {v.shape}")
    finite_reals(np.where(obs, v, 0.0), "values")
    k, t, n = v.shape[-3:]
    w_idx = np.asarray(window, dtype=np.int64)
    if w_idx.shape != (k, t):
        raise ValidationError(f"window must have shape (K, T) = {(k, t)}, got {w_idx.shape}")
    if t and (np.any(w_idx[:, 0] != 0) or np.any(~np.isin(np.diff(w_idx, axis=1), (0, 1)))):
        raise ValidationError("window numbers must start at 0 and rise by 0 or 1 from month to month")
    codes = np.asarray(how, dtype=np.int64)
    if codes.shape != (k,) or np.any((codes < 0) | (codes >= len(AGGREGATIONS))):
        raise ValidationError(f"how must give one code 0..{len(AGGREGATIONS) - 1} for each of the {k} metrics")
    n_win = w_idx[:, -1] + 1 if t else np.zeros(k, np.int64)
    w_max = int(n_win.max()) if k and t else 0
    lead = v.shape[:-3]
    out_v = np.zeros((*lead, k, w_max, n), dtype=np.float64)
    out_n = np.zeros((*lead, k, w_max, n), dtype=np.int64)
    if k == 0 or t == 0:
        return out_v, out_n
    wts: NDArray[np.float64] | None = None
    if np.any(codes == 1):
        if weights is None:
            raise ValidationError("weights are needed for the weighted mean")
        wts = np.broadcast_to(np.asarray(weights, dtype=np.float64), v.shape)
        if np.any(obs & ~(wts > 0)) or not np.all(np.isfinite(np.where(obs, wts, 1.0))):
            raise ValidationError("weights must be finite and > 0 wherever a value is observed")
    monthly = np.all(w_idx == np.arange(t)[None, :], axis=1)  # one month per window: nothing to combine
    if np.any(monthly):
        ks = np.flatnonzero(monthly)
        ok = obs[..., ks, :, :]
        out_v[..., ks, :t, :] = np.where(ok, v[..., ks, :, :], 0.0)
        out_n[..., ks, :t, :] = ok
    for code in np.unique(codes[~monthly]):  # at most five aggregation rules
        ks = np.flatnonzero((codes == code) & ~monthly)
        vk = v[..., ks, :, :]
        ok = obs[..., ks, :, :]
        wk = w_idx[ks]
        starts_2d = np.concatenate([np.ones((ks.size, 1), bool), np.diff(wk, axis=1) > 0], axis=1)
        row, col = np.nonzero(starts_2d)  # row-major: grouped by metric, windows in order
        flat_starts = row * t + col
        shape = (*lead, ks.size * t, n)
        vv = vk.reshape(shape)
        oo = ok.reshape(shape)
        cnt = np.add.reduceat(oo.astype(np.int64), flat_starts, axis=-2)
        if code in (0, 4):
            agg = np.add.reduceat(np.where(oo, vv, 0.0), flat_starts, axis=-2)
            if code == 0:
                agg = np.divide(agg, cnt, out=np.zeros_like(agg), where=cnt > 0)
            agg = _exact_mean(agg, np.where(oo, vv, 0.0), oo, None if code == 4 else cnt.astype(np.float64),
                              flat_starts)
        elif code == 1:
            assert wts is not None
            ww = wts[..., ks, :, :].reshape(shape)
            num = np.add.reduceat(np.where(oo, vv * ww, 0.0), flat_starts, axis=-2)
            den = np.add.reduceat(np.where(oo, ww, 0.0), flat_starts, axis=-2)
            agg = np.divide(num, den, out=np.zeros_like(num), where=cnt > 0)
            whole = np.add.reduceat(oo & (ww != np.rint(ww)), flat_starts, axis=-2) == 0  # integer weights
            agg = _exact_mean(agg, np.where(oo, vv * ww, 0.0), oo, np.where(whole, den, np.nan), flat_starts)
        elif code == 2:
            agg = np.minimum.reduceat(np.where(oo, vv, np.inf), flat_starts, axis=-2)
        else:
            agg = np.maximum.reduceat(np.where(oo, vv, -np.inf), flat_starts, axis=-2)
        agg = np.where(cnt > 0, agg, 0.0)
        dest_k = ks[row]
        dest_w = wk[row, col]
        out_v[..., dest_k, dest_w, :] = agg
        out_n[..., dest_k, dest_w, :] = cnt
    return out_v, out_n


#: Values are taken as multiples of 10**-6 (of the metric's unit, times the weight) when they are
#: within float64 error of one: six decimals cover every target and observation a council writes.
_SNAP: Final = 1e6


def _exact_mean(agg: NDArray[np.float64], parts: NDArray[np.float64], observed: NDArray[np.bool_],
                den: NDArray[np.float64] | None, starts: NDArray[np.int64]) -> NDArray[np.float64]:
    """Window sums or means as the correctly rounded value of their exact decimal sums, where possible.

    ``parts`` (value, or value x integer weight, 0 where unobserved) are snapped to the nearest
    multiple of ``10**-6`` when within float64 error of it, summed in int64 per window (exactly),
    and divided once by ``den`` (the months or the summed weights; None: a sum), so a window whose
    exact mean is the target, e.g. 99.5 % availability weighted by scheduled minutes, has exactly the
    target's float value (never ``99.49999999999999``), and a window below it stays below.  Windows
    where a part is not such a multiple, the numbers exceed 2**53 or ``den`` is NaN keep ``agg``.
    """
    scaled = parts * _SNAP
    snapped = np.rint(scaled)
    good = ~observed | ((np.abs(scaled - snapped) <= np.abs(scaled) * 2.0**-48) & (np.abs(snapped) < 2.0**53))
    total = np.add.reduceat(np.where(good, snapped, 0.0).astype(np.int64), starts, axis=-2)
    ok = np.add.reduceat(~good, starts, axis=-2) == 0
    ok &= np.abs(total) < 2**53
    scale = np.full(total.shape, _SNAP) if den is None else den * _SNAP
    ok &= (scale > 0) & (scale < 2.0**53)  # (NaN compares False)
    exact = np.divide(total.astype(np.float64), scale, out=np.zeros(total.shape), where=ok)
    out: NDArray[np.float64] = np.where(ok, exact, agg)
    return out


def compliance(
    values: ArrayLike, evaluated: ArrayLike, target: ArrayLike, higher_is_better: ArrayLike,
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Which (metric, window, member) values meet their target (SLA達成) and which miss it.

    Any of ``values``, ``evaluated`` may be a dask array (the ``scale`` extra): the result is then
    lazy dask arrays, equal to the numpy result, mapped over the blocks of the batch axis — the
    scenario axis ``S`` of ``(S, K, T, N)``, or the members axis ``N`` of one table ``(K, T, N)``
    (the other axes are taken whole).  Errors in a block are raised when it is computed.

    Parameters
    ----------
    values
        Window values, shape ``(..., K, W, N)``. [metric unit]
    evaluated
        Whether each value exists (e.g. ``count > 0`` from :func:`window_aggregate`), bool.
    target
        Target of each metric, shape ``(K,)``. [metric unit]
    higher_is_better
        Direction of each metric, bool ``(K,)``: True for availability, False for recovery time.

    Returns
    -------
    met, missed : numpy.ndarray of bool, shape ``(..., K, W, N)``
        ``met | missed == evaluated``; a value equal to the target meets it.
    """
    if any_dask(values, evaluated, target, higher_is_better):
        return map_batch(compliance, {"values": values, "evaluated": evaluated, "target": target,
                                      "higher_is_better": higher_is_better},
                         data=("values", "evaluated"), table=True)
    v = np.asarray(values, dtype=np.float64)
    ev = np.broadcast_to(np.asarray(evaluated, dtype=bool), v.shape)
    finite_reals(np.where(ev, v, 0.0), "values")
    tg = np.asarray(target, dtype=np.float64)
    finite_reals(tg, "target")
    hi = np.asarray(higher_is_better, dtype=bool)
    if v.ndim < 3 or tg.shape != (v.shape[-3],) or hi.shape != tg.shape:
        raise ValidationError(f"target and higher_is_better must have shape (K,) for values of shape {v.shape}")
    tg3 = tg[:, None, None]
    ok = np.where(hi[:, None, None], v >= tg3, v <= tg3)
    met = ok & ev
    return met, ev & ~ok


def achievement(
    met: ArrayLike, evaluated: ArrayLike, points: ArrayLike,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Weighted achievement (SLA達成率) as an exact fraction: achieved points / possible points.

    Each evaluated (metric, window) counts its metric's points once; the achievement of a member
    is ``achieved / possible`` (undefined when ``possible == 0``).

    Any of ``met``, ``evaluated`` may be a dask array (the ``scale`` extra): the result is then lazy
    dask arrays, equal to the numpy result, mapped over the blocks of the batch axis — the scenario
    axis ``S`` of ``(S, K, T, N)``, or the members axis ``N`` of one table ``(K, T, N)`` (the other
    axes are taken whole).  Errors in a block are raised when it is computed.

    Parameters
    ----------
    met, evaluated
        Bool arrays of shape ``(..., K, W, N)`` (from :func:`compliance`).
    points
        Integer points (weight) of each metric, shape ``(K,)``, >= 0. [points]

    Returns
    -------
    achieved, possible : numpy.ndarray of int64, shape ``(..., N)`` [points]
    """
    if any_dask(met, evaluated, points):
        return map_batch(achievement, {"met": met, "evaluated": evaluated, "points": points},
                         data=("met", "evaluated"), table=True)
    m = np.asarray(met, dtype=bool)
    ev = np.broadcast_to(np.asarray(evaluated, dtype=bool), m.shape)
    if np.any(m & ~ev):
        raise ValidationError("a value cannot be met without being evaluated")
    p = nonnegative_integers(points, "points", unit="points")
    if m.ndim < 3 or p.shape != (m.shape[-3],):
        raise ValidationError(f"points must have shape (K,) for arrays of shape {m.shape}")
    # per metric: count over windows, then a (K,) dot product
    n_met = m.sum(axis=-2, dtype=np.int64)  # (..., K, N)
    n_ev = ev.sum(axis=-2, dtype=np.int64)
    achieved = np.einsum("...kn,k->...n", n_met, p)
    possible = np.einsum("...kn,k->...n", n_ev, p)
    return achieved.astype(np.int64), possible.astype(np.int64)


def miss_streaks(missed: ArrayLike, evaluated: ArrayLike, axis: int = -2) -> NDArray[np.int64]:
    """Length of the run of consecutive misses ending at each window (連続未達).

    A window that was not evaluated neither extends nor breaks a run; a met window ends it.

    Any of ``missed``, ``evaluated`` may be a dask array (the ``scale`` extra): the result is then
    lazy dask arrays, equal to the numpy result, mapped over the blocks of the batch axis — the
    scenario axis ``S`` of ``(S, K, T, N)``, or the members axis ``N`` of one table ``(K, T, N)``
    (the other axes are taken whole).  Errors in a block are raised when it is computed.

    Parameters
    ----------
    missed, evaluated
        Bool arrays of the same shape; the run is counted along ``axis`` (windows or months).
    axis
        Axis of time. Default ``-2`` (the window axis of ``(..., K, W, N)``).

    Returns
    -------
    numpy.ndarray of int64
        0 where the window was not missed, else 1 for a first miss, 2 for a second in a row ... [windows]
    """
    if any_dask(missed, evaluated, axis):
        return map_batch(miss_streaks, {"missed": missed, "evaluated": evaluated, "axis": axis},
                         data=("missed", "evaluated"), table=True)
    mi = np.asarray(missed, dtype=bool)
    ev = np.broadcast_to(np.asarray(evaluated, dtype=bool), mi.shape)
    if np.any(mi & ~ev):
        raise ValidationError("a value cannot be missed without being evaluated")
    c = np.cumsum(mi, axis=axis, dtype=np.int64)
    at_reset = np.where(ev & ~mi, c, 0)
    last = np.maximum.accumulate(at_reset, axis=axis)
    return np.where(mi, c - last, 0).astype(np.int64)


def penalty_points(
    missed: ArrayLike,
    evaluated: ArrayLike,
    base: ArrayLike,
    multiplier: int = 2,
    cap: int = 3,
    expiry: int = 12,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Penalty points (ペナルティポイント) per miss, heavier on repeat, expiring after ``expiry`` months.

    The ``s``-th consecutive miss of a metric (see :func:`miss_streaks`, months without an
    evaluation skipped) earns ``base x multiplier ** (min(s, cap) - 1)`` points.  The balance at
    month ``t`` is the sum of points earned in months ``t - expiry + 1 .. t`` over all metrics.

    Any of ``missed``, ``evaluated`` may be a dask array (the ``scale`` extra): the result is then
    lazy dask arrays, equal to the numpy result, mapped over the blocks of the batch axis — the
    scenario axis ``S`` of ``(S, K, T, N)``, or the members axis ``N`` of one table ``(K, T, N)``
    (the other axes are taken whole).  Errors in a block are raised when it is computed.

    Parameters
    ----------
    missed, evaluated
        Bool arrays ``(..., K, T, N)``: misses by metric, month and member.
    base
        Points of a first miss of each metric, int ``(K,)``. [points]
    multiplier
        Factor per repeat, >= 1 (1: no escalation). [1]
    cap
        Streak length after which points stop growing, >= 1. [months]
    expiry
        Months a point stays on the balance, >= 1. [months]

    Returns
    -------
    earned : numpy.ndarray of int64, shape ``(..., K, T, N)`` [points]
    balance : numpy.ndarray of int64, shape ``(..., T, N)`` [points]
    """
    if any_dask(missed, evaluated, base, multiplier, cap, expiry):
        return map_batch(penalty_points, {"missed": missed, "evaluated": evaluated, "base": base,
                                          "multiplier": multiplier, "cap": cap, "expiry": expiry},
                         data=("missed", "evaluated"), table=True)
    for name, val, lo in (("multiplier", multiplier, 1), ("cap", cap, 1), ("expiry", expiry, 1)):
        if isinstance(val, bool) or not isinstance(val, int | np.integer) or val < lo:
            raise ValidationError(f"{name} must be an integer >= {lo}, got {val!r}")
    mi = np.asarray(missed, dtype=bool)
    b = nonnegative_integers(base, "base", unit="points")
    if mi.ndim < 3 or b.shape != (mi.shape[-3],):
        raise ValidationError(f"base must have shape (K,) for arrays of shape {mi.shape}")
    streak = miss_streaks(mi, evaluated, axis=-2)
    factor = np.int64(multiplier) ** (np.arange(cap, dtype=np.int64))  # cap entries
    earned = np.where(mi, b[:, None, None] * factor[np.clip(streak, 1, cap) - 1], 0).astype(np.int64)
    per_month = earned.sum(axis=-3)  # (..., T, N)
    c = np.cumsum(per_month, axis=-2)
    shifted = np.zeros_like(c)
    t = c.shape[-2]
    if expiry < t:
        shifted[..., expiry:, :] = c[..., : t - expiry, :]
    return earned, c - shifted


# -- grouped statistics --------------------------------------------------------------------------
def grouped_percentile(
    values: ArrayLike, group: ArrayLike, n_groups: int, q: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Percentiles of samples by group (e.g. 95th-percentile response time per month), linear method.

    Parameters
    ----------
    values
        Samples, shape ``(S,)`` (e.g. response times). [seconds]
    group
        Group of each sample, ``0 <= group < n_groups``.
    n_groups
        Number of groups G.
    q
        Percentile(s) in ``[0, 100]``, scalar or shape ``(Q,)``. [%]

    Returns
    -------
    percentile : numpy.ndarray of float64, shape ``(G,)`` or ``(Q, G)``
        0.0 for empty groups. [unit of values]
    count : numpy.ndarray of int64, shape ``(G,)``
        Samples per group.

    References
    ----------
    .. [1] Hyndman and Fan (1996), definition 7 (numpy ``method="linear"``).
    """
    v = np.asarray(values, dtype=np.float64).ravel()
    finite_reals(v, "values")
    g = nonnegative_integers(group, "group", unit="groups").ravel()
    if g.shape != v.shape or (g.size and np.max(g) >= n_groups):
        raise ValidationError(f"group must give an index < {n_groups} for each of the {v.size} samples")
    qq = np.asarray(q, dtype=np.float64)
    finite_reals(qq, "q")
    if np.any((qq < 0) | (qq > 100)):
        raise ValidationError("q must lie in [0, 100]")
    order = np.lexsort((v, g))
    vs = v[order]
    count = np.bincount(g, minlength=n_groups).astype(np.int64)
    offset = np.concatenate([[0], np.cumsum(count)[:-1]])
    pos = np.maximum(count - 1, 0) * (qq[..., None] / 100.0)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, np.maximum(count - 1, 0))
    frac = pos - lo
    has = count > 0
    if vs.size == 0:
        return np.zeros(np.broadcast_shapes((*qq.shape, n_groups)), np.float64), count
    i_lo = np.where(has, offset + lo, 0)
    i_hi = np.where(has, offset + hi, 0)
    a, b = vs[i_lo], vs[i_hi]
    diff = b - a  # numpy's lerp: from the nearer end, so the result agrees bit for bit
    res = np.where(frac >= 0.5, b - diff * (1 - frac), a + diff * frac)
    return np.where(has, res, 0.0), count


def grouped_max(values: ArrayLike, group: ArrayLike, n_groups: int) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Largest value per group (e.g. the worst recovery time of a month).

    Parameters
    ----------
    values
        Values, shape ``(S,)``. [any unit]
    group
        Group of each value, ``0 <= group < n_groups``.
    n_groups
        Number of groups G.

    Returns
    -------
    maximum : numpy.ndarray of float64, shape ``(G,)``
        0.0 for empty groups. [unit of values]
    count : numpy.ndarray of int64, shape ``(G,)``
    """
    v = np.asarray(values, dtype=np.float64).ravel()
    finite_reals(v, "values")
    g = nonnegative_integers(group, "group", unit="groups").ravel()
    if g.shape != v.shape or (g.size and np.max(g) >= n_groups):
        raise ValidationError(f"group must give an index < {n_groups} for each of the {v.size} values")
    out = np.full(n_groups, -np.inf)
    np.maximum.at(out, g, v)
    count = np.bincount(g, minlength=n_groups).astype(np.int64)
    return np.where(count > 0, out, 0.0), count
