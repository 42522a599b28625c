"""Continue or switch the vendor after five years (サービス継続・切替の判断).

The council scores the incumbent on criteria it chooses (SLA achievement, cost, improvement
requests resolved, incidents …).  Each criterion turns a measured value into a score between 0
and 1 along a straight line from a *worst* value (0) to a *best* value (1) — the usual
加算方式 scoring of a comprehensive evaluation — and earns ``score x weight`` points.  The total
is compared with a threshold the council set beforehand.  The result explains every criterion.

References
----------
.. [1] 富山県情報システム共同利用推進協議会事務局 (2016), 6. 運用, 3 サービス継続・切替の判断:
   サービス開始の5年経過後にサービスを継続するかどうか判断.
.. [2] 総務省, 地方公共団体における総合評価一般競争入札 (加算方式): 評価項目ごとの得点の加重和.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import _validators as v
from .._display import Column, Lang, TableView, check_lang, cols, unit_cells, unit_word
from .._numeric import readonly
from ..errors import ValidationError
from ..model import Consortium, ImprovementRequest, ItemStatus, Outage
from . import _kernels as kern
from ._compliance import Compliance

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = [
    "ContinuityAssessment",
    "ContinuityCriterion",
    "assess_continuity",
    "incumbent_measures",
    "scenario_totals",
]


@attrs.frozen(kw_only=True, slots=True)
class ContinuityCriterion:
    """One criterion of the continue-or-switch decision.

    Parameters
    ----------
    measure
        Key of the measured value (e.g. ``"sla_achievement"``, see :func:`incumbent_measures`).
    name
        Name shown, e.g. ``"SLA達成率"``.
    weight
        Points of the criterion. [points]
    worst, best
        Values scoring 0 and 1 (``best < worst`` when lower is better, e.g. incidents). [measure unit]
    unit
        Unit of the measure (``"%"``, ``"件/年"``).
    note
        Why this criterion and these bounds.
    """

    measure: str = attrs.field(validator=v.non_empty_text())
    name: str = attrs.field(validator=v.non_empty_text())
    weight: float = attrs.field(validator=v.real(min=0, unit="points"))
    worst: float = attrs.field(validator=v.real())
    best: float = attrs.field(validator=v.real())
    unit: str = attrs.field(default="", validator=v.text())
    note: str = attrs.field(default="", validator=v.text())

    def __attrs_post_init__(self) -> None:
        if self.worst == self.best:
            raise ValidationError(f"criterion {self.name!r}: worst and best must differ, both are {self.best!r}")


@attrs.frozen(kw_only=True, slots=True, eq=False, repr=False)
class ContinuityAssessment(TableView):
    """The incumbent's score on each criterion and the decision.

    Attributes
    ----------
    criteria
        The criteria.
    values, score, points
        Measured value, score in [0, 1] and points of each criterion, ``(C,)``.
    threshold
        Points needed to continue. [points]
    """

    criteria: tuple[ContinuityCriterion, ...]
    values: NDArray[np.float64] = attrs.field(converter=readonly)
    score: NDArray[np.float64] = attrs.field(converter=readonly)
    points: NDArray[np.float64] = attrs.field(converter=readonly)
    threshold: float

    @property
    def total(self) -> float:
        """Total points. [points]"""
        return float(self.points.sum())

    @property
    def maximum(self) -> float:
        """Points available. [points]"""
        return float(sum(c.weight for c in self.criteria))

    @property
    def decision(self) -> str:
        """``"continue"`` (継続) when the total reaches the threshold, else ``"consider switching"`` (切替検討)."""
        return "continue" if self.total >= self.threshold else "consider switching"

    @property
    def decision_ja(self) -> str:
        """``"継続"`` or ``"切替検討"``."""
        return "継続" if self.decision == "continue" else "切替検討"

    def explain(self, lang: Lang = "ja") -> str:
        """The decision explained criterion by criterion, in Japanese (``lang="en"``: English)."""
        if check_lang(lang) == "ja":
            return self._explain_ja()
        lines = [f"Continue or switch vendor: {self.total:.1f} / {self.maximum:.1f} points, "
                 f"threshold {self.threshold:.1f} -> {self.decision}"]
        for c, x, s, p in zip(self.criteria, self.values.tolist(), self.score.tolist(), self.points.tolist(),
                              strict=True):
            side = "lower is better" if c.best < c.worst else "higher is better"
            lines.append(f"- {c.name}: measured {x:.4g} {unit_word(c.unit, 'en')} ({side}; worst {c.worst:g} scores 0, best "
                         f"{c.best:g} scores 1) -> score {s:.3f} x weight {c.weight:g} = {p:.1f} points"
                         + (f"; {c.note}" if c.note else ""))
        short = self.threshold - self.total
        if short > 0:
            gains = sorted(((c.weight * (1 - s), c.name) for c, s in zip(self.criteria, self.score.tolist(),
                                                                          strict=True)), reverse=True)
            lines.append(f"  {short:.1f} points short; most room on: " + ", ".join(
                f"{n} (+{g:.1f} possible)" for g, n in gains[:2] if g > 0))
        return "\n".join(lines)

    def _explain_ja(self) -> str:
        lines = [f"サービス継続・切替の判断: {self.total:.1f} / {self.maximum:.1f} 点 (基準 {self.threshold:.1f} 点) → "
                 f"{self.decision_ja}"]
        for c, x, s, p in zip(self.criteria, self.values.tolist(), self.score.tolist(), self.points.tolist(),
                              strict=True):
            side = "小さいほど良い" if c.best < c.worst else "大きいほど良い"
            lines.append(f"- {c.name}: 実績 {x:.4g} {unit_word(c.unit, 'ja')} ({side}。{c.worst:g} で 0、{c.best:g} で満点) → "
                         f"評点 {s:.3f} × 重み {c.weight:g} = {p:.1f} 点" + (f" ({c.note})" if c.note else ""))
        short = self.threshold - self.total
        if short > 0:
            gains = sorted(((c.weight * (1 - s), c.name) for c, s in zip(self.criteria, self.score.tolist(),
                                                                          strict=True)), reverse=True)
            lines.append(f"  基準まで {short:.1f} 点不足。伸びしろの大きい項目: " + "、".join(
                f"{n} (最大 +{g:.1f} 点)" for g, n in gains[:2] if g > 0))
        return "\n".join(lines)

    def _rows(self) -> list[list[Any]]:
        return [[c.name, c.measure, float(x), *unit_cells(c.unit), float(c.worst), float(c.best), float(s),
                 float(c.weight), float(p)] for c, x, s, p in zip(self.criteria, self.values, self.score, self.points, strict=True)]

    _COLUMNS = (Column("criterion", "評価項目", "Criterion", "text"), Column("measure", "指標", "Measure", "code"),
                Column("value", "実績", "Measured", "number"),
                *cols("unit", "unit_ja"),
                Column("worst", "0点となる値", "Scores 0 at", "number"), Column("best", "満点となる値", "Scores 1 at", "number"),
                Column("score", "評点", "Score", "ratio", decimals=3), Column("weight", "重み", "Weight", "points", decimals=1),
                Column("points", "得点", "Points", "points", decimals=1, total=True))
    _KEY = "continuity"
    _SHEET = ("継続・切替の判断", "Continue or switch")
    _TOTALS = True

    def __repr__(self) -> str:
        return f"ContinuityAssessment({self.total:.1f} / {self.maximum:.1f} points, {self.decision})"

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "ja":
            return f"サービス継続・切替の判断: {self.total:.1f} / {self.maximum:.1f} 点 → {self.decision_ja}"
        return f"Continue or switch vendor: {self.total:.1f} / {self.maximum:.1f} points -> {self.decision}"

    def summary(self, lang: Lang = "ja") -> str:
        """The decision, explained criterion by criterion (same as :meth:`explain`)."""
        return self.explain(lang)


def assess_continuity(criteria: Sequence[ContinuityCriterion], measures: Mapping[str, float], *,
                      threshold: float) -> ContinuityAssessment:
    """Score the incumbent vendor on the council's criteria and decide continue or switch.

    Parameters
    ----------
    criteria
        The criteria the council chose.
    measures
        Measured value of each criterion's :attr:`~ContinuityCriterion.measure`.
    threshold
        Points needed to continue. [points]

    Returns
    -------
    ContinuityAssessment

    Raises
    ------
    ValidationError
        A criterion's measure is missing, or a value is not finite.

    References
    ----------
    .. [1] 総務省, 総合評価一般競争入札 (加算方式): 得点の加重和.
    """
    crit = tuple(criteria)
    if not crit:
        raise ValidationError("give at least one criterion")
    missing = [c.measure for c in crit if c.measure not in measures]
    if missing:
        raise ValidationError(f"no measured value for {missing}; measures given: {sorted(measures)}")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not np.isfinite(threshold):
        raise ValidationError(f"threshold must be a finite number [points], got {threshold!r}")
    values = np.array([measures[c.measure] for c in crit], dtype=np.float64)
    score, points, _ = kern.weighted_scores(values, [c.worst for c in crit], [c.best for c in crit],
                                            [c.weight for c in crit])
    return ContinuityAssessment(criteria=crit, values=values, score=score, points=points, threshold=float(threshold))


def scenario_totals(criteria: Sequence[ContinuityCriterion], values: ArrayLike,
                    weights: ArrayLike | None = None) -> NDArray[np.float64]:
    """Totals for many scenarios at once (e.g. a sensitivity study of the measures or weights).

    ``values`` may be a dask array chunked along the scenarios (the ``scale`` extra): the result
    is then a lazy dask array ``(S,)``, equal to the numpy result.

    Parameters
    ----------
    criteria
        The criteria.
    values
        Measured values, shape ``(S, C)``. [measure units]
    weights
        Weights, ``(C,)`` (default: the criteria's). [points]

    Returns
    -------
    numpy.ndarray, shape ``(S,)`` [points]
    """
    w = [c.weight for c in criteria] if weights is None else weights
    return kern.weighted_scores(values, [c.worst for c in criteria], [c.best for c in criteria], w)[2]


def incumbent_measures(
    *,
    compliance: Compliance | None = None,
    improvement_requests: Iterable[ImprovementRequest] = (),
    outages: Iterable[Outage] = (),
    years: float | None = None,
    council: Consortium | None = None,
) -> dict[str, float]:
    """The usual measures of the incumbent over the contract period.

    Parameters
    ----------
    compliance
        SLA compliance over the period.
    improvement_requests
        Every improvement request (改善要望).
    outages
        The outage log.
    years
        Length of the period for per-year rates (default: the compliance months / 12). [years]
    council
        The council, for the cost measure (its published cloud fees and members' current costs).

    Returns
    -------
    dict
        ``sla_achievement`` [%] (weighted, whole period, council-wide over every scope);
        ``requests_resolved`` [%] (done among requests closed or open; withdrawn ones left out);
        ``incidents_per_year`` [件/年] (unplanned outages that were the vendor's fault);
        ``cost_reduction`` [%] (1 - cloud fee / current cost over all members, when published).
    """
    out: dict[str, float] = {}
    if compliance is not None:
        ach = compliance.achievement()
        possible = int(ach.possible.sum())
        out["sla_achievement"] = 100.0 * int(ach.achieved.sum()) / possible if possible else 100.0
        if years is None:
            years = compliance.monthly_values.shape[1] / 12
    reqs = [r for r in improvement_requests if r.status is not ItemStatus.WITHDRAWN]
    if reqs:
        out["requests_resolved"] = 100.0 * sum(r.status is ItemStatus.DONE for r in reqs) / len(reqs)
    outs = list(outages)
    if years is not None and years > 0:
        out["incidents_per_year"] = sum(o.counted for o in outs) / years
    if council is not None and council.published is not None and council.published.cloud_fees:
        fees = council.published.cloud_fees
        current = sum(m.current_cost for m in council.members if m.code in fees)
        if current > 0:
            out["cost_reduction"] = 100.0 * (1 - sum(int(x) for x in fees.values()) / current)
    return out

