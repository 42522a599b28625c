"""SLA compliance (SLA達成状況): every observation and window judged against its SLA item.

Months are combined into each item's window (monthly, fiscal quarter, fiscal year; Japan time)
by its aggregation rule, judged against the target, and runs of consecutive misses are counted,
over ``metrics x windows x scopes`` in one vectorised call; the weighted achievement (SLA達成率)
per scope follows as exact fractions.

References
----------
.. [1] 総務省 (2010), 地方公共団体における ASP・SaaS 導入活用ガイドライン: SLA 項目と SLM.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._display import Column, DataTable, Lang, TableView, cols, render_frame, unit_cells
from .._numeric import as_fraction, readonly
from .._validators import to_month as _to_month
from ..calendar import Month
from ..errors import ValidationError
from ..model import SLAMetric
from . import _kernels as kern
from ._observations import ObservationTable
from ._scopes import ALL, scope_label
from ._timeline import Timeline

if TYPE_CHECKING:  # pragma: no cover
    import pandas

_WINDOW_JA = {"monthly": "月次", "quarterly": "四半期", "yearly": "年度"}
_METRIC = Column("metric", "項目コード", "Metric", "code")
_NAME = Column("name", "項目", "Item", "text")
_WINDOW = Column("window", "評価期間", "Window", "text")
_TARGET = Column("target", "目標", "Target", "number", decimals=None)
_SCOPE = Column("scope", "対象", "Scope", "text")
_DETAIL = (_METRIC, _NAME, _WINDOW, _SCOPE, _TARGET, Column("value", "期間値", "Value", "number"),
           *cols("unit", "unit_ja"),
           Column("months", "観測月数", "Months observed", "months"),
           Column("met", "達成", "Met", "flag"), Column("streak", "連続未達", "Missed in a row", "count"),
           Column("complete", "期間完結", "Whole window", "flag"))

__all__ = ["Achievement", "Compliance", "evaluate_sla", "integer_points"]

_AGG_CODE = {a: i for i, a in enumerate(kern.AGGREGATIONS)}


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
    fr = [as_fraction(w, "weight") for w in weights]
    if any(f < 0 for f in fr):
        raise ValidationError(f"weights must be >= 0 [points], got {list(weights)!r}")
    den = math.lcm(*[f.denominator for f in fr]) if fr else 1
    ints = [int(f * den) for f in fr]
    g = math.gcd(*ints) if any(ints) else 1
    return np.array([i // g for i in ints], dtype=np.int64)




# -- compliance ----------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class Compliance(TableView):
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
    monthly_values: NDArray[np.float64] = attrs.field(converter=readonly)
    monthly_observed: NDArray[np.bool_] = attrs.field(converter=readonly)
    monthly_met: NDArray[np.bool_] = attrs.field(converter=readonly)
    monthly_missed: NDArray[np.bool_] = attrs.field(converter=readonly)
    window_count: NDArray[np.int64] = attrs.field(converter=readonly)
    window_first: NDArray[np.int64] = attrs.field(converter=readonly)
    window_values: NDArray[np.float64] = attrs.field(converter=readonly)
    window_months: NDArray[np.int64] = attrs.field(converter=readonly)
    met: NDArray[np.bool_] = attrs.field(converter=readonly)
    missed: NDArray[np.bool_] = attrs.field(converter=readonly)
    complete: NDArray[np.bool_] = attrs.field(converter=readonly)
    streak: NDArray[np.int64] = attrs.field(converter=readonly)
    points: NDArray[np.int64] = attrs.field(converter=readonly)

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
            rows.append([m.id, m.name, self.window_label(k, w), scope_label(self.scopes[n]), float(m.target),
                         float(self.window_values[k, w, n]), *unit_cells(m.unit),
                         int(self.window_months[k, w, n]),
                         bool(self.met[k, w, n]), int(self.streak[k, w, n]), bool(self.complete[k, w])])
        return rows

    def detail(self) -> DataTable:
        """One row per evaluated (metric, window, scope): the table of :meth:`to_dataframe`."""
        return DataTable(key="compliance_detail", title="SLA達成状況 (明細)", title_en="SLA compliance in detail",
                         columns=_DETAIL, rows=self._long_rows(), sheet="SLA達成状況 明細", sheet_en="SLA detail")

    def to_dataframe(self, table: str | None = None) -> pandas.DataFrame:
        """One row per evaluated (metric, window, scope) (:meth:`detail`), or ``table`` by key or title."""
        return render_frame(self.detail() if table is None else self.view(table))

    _COLUMNS = (_METRIC, _NAME, _WINDOW, _TARGET, Column("evaluated", "評価期間数", "Windows evaluated", "count"),
                Column("met", "達成", "Met", "count"), Column("missed", "未達", "Missed", "count"),
                Column("longest_streak", "最長連続未達", "Longest run of misses", "count"))
    _KEY = "compliance"
    _SHEET = ("SLA達成状況", "SLA compliance")

    def _rows(self) -> list[list[Any]]:
        return self._summary_rows()

    def _title(self, lang: Lang = "ja") -> str:
        return "SLA達成状況" if lang == "ja" else "SLA compliance"

    def _summary_rows(self) -> list[list[Any]]:
        ev = self.evaluated.sum(axis=(1, 2))
        met = self.met.sum(axis=(1, 2))
        longest = self.streak.max(axis=(1, 2)) if self.streak.size else np.zeros(len(self.metrics), int)
        return [[m.id, m.name, _WINDOW_JA.get(m.window.value, m.window.value), float(m.target), int(ev[k]), int(met[k]),
                 int(ev[k] - met[k]), int(longest[k])]
                for k, m in enumerate(self.metrics)]

    def __repr__(self) -> str:
        return (f"Compliance({len(self.metrics)} metrics x {self.monthly_values.shape[1]} months from "
                f"{self.start.iso()} x {len(self.scopes)} scopes: {int(self.met.sum())} of "
                f"{int(self.evaluated.sum())} windows met)")


@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class Achievement(TableView):
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
    achieved: NDArray[np.int64] = attrs.field(converter=readonly)
    possible: NDArray[np.int64] = attrs.field(converter=readonly)
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
        return [[scope_label(s), int(self.achieved[i]), int(self.possible[i]), self.fraction(s)]
                for i, s in enumerate(self.scopes)]

    _COLUMNS = (_SCOPE, Column("achieved", "達成点", "Points met", "points", decimals=0),
                Column("possible", "評価点", "Points evaluated", "points", decimals=0),
                Column("achievement", "SLA達成率", "SLA achievement", "percent"))
    _KEY = "achievement"
    _SHEET = ("SLA達成率", "SLA achievement")

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "ja":
            period = "全期間" if self.period == "all" else (
                f"{self.period[2:]}年度" if self.period.startswith("FY") else self.period)
            return f"SLA達成率 ({period})"
        return f"SLA achievement ({self.period})"

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
        for fresh in (values, observed, weights):
            readonly(fresh, copy=False)
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
    for computed in (m_met, m_missed, n_win, window_first, wv, cnt, met, missed, complete, streak, points):
        readonly(computed, copy=False)  # computed here: frozen in place, so the result holds them without a copy
    return Compliance(
        metrics=items, start=table.start, scopes=table.scopes,
        monthly_values=values, monthly_observed=observed, monthly_met=m_met, monthly_missed=m_missed,
        window_count=n_win, window_first=window_first, window_values=wv, window_months=cnt, met=met, missed=missed,
        complete=complete, streak=streak, points=points,
    )
