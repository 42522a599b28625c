"""One decision: the continuity scorecard and the money side by side (サービス継続・切替の判断).

:func:`decide` combines :func:`jichitai_cloud.operations.assess_continuity`'s scorecard of the
incumbent with a :class:`~jichitai_cloud.renewal.RenewalComparison`, and writes the reasoning out.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs
import numpy as np

from .._display import Column, DataTable, Lang, TableView, check_lang, cols
from .._numeric import as_fraction
from ..errors import ValidationError
from ..operations import ContinuityAssessment
from ._compare import RenewalComparison

__all__ = ["RenewalDecision", "decide"]

_SCORE_COLUMNS = (
    Column("option", "選択肢", "Option", "text"),
    Column("criteria_score", "評価項目の評点", "Criteria score", "ratio", decimals=3),
    Column("money_score", "費用の評点", "Money score", "ratio", decimals=3),
    Column("combined", "総合評点", "Combined score", "ratio", decimals=3),
    Column("present_value", "現在価値", "Present value", "number", decimals=0),
    Column("chosen", "選択", "Chosen", "flag"),
)
_LOSER_COLUMNS = (*cols("code", "name"), Column("loss", "負担増", "Pays more", "yen", total=True))
_GUARANTEE_COLUMNS = (*cols("code", "name"), Column("cost", "選択肢の費用", "Cost under the option", "yen", total=True),
                      Column("cap", "最低保障の上限", "Guarantee cap", "yen", total=True),
                      Column("holds", "保障を満たす", "Guarantee holds", "flag"))


@attrs.frozen(kw_only=True, slots=True)
class RenewalDecision(TableView):
    """The scorecard and the money side by side, the option chosen and why (see :func:`decide`).

    Parameters
    ----------
    assessment, comparison
        The two sides.
    weights
        ``(criteria, money)`` weights, adding up to 1. [1]
    criteria_scores, money_scores, combined
        Per option. [1]
    chosen
        The option with the highest combined score (ties to the earlier option).
    losers
        ``(code, yen)`` of each member that pays more under the chosen option than under the option
        it is compared with (:attr:`against`). [yen]
    against
        The incumbent if another option is chosen; else the cheapest other option (None if none).
    min_reduction, caps, holds
        The incumbent rule's guaranteed minimum reduction (None: it has none), each member's cap over
        the horizon, and whether each member's cost under the chosen option is within it. [1], [yen]
    """

    assessment: ContinuityAssessment
    comparison: RenewalComparison
    weights: tuple[float, float]
    criteria_scores: tuple[float, ...]
    money_scores: tuple[float, ...]
    combined: tuple[float, ...]
    chosen: str
    losers: tuple[tuple[str, int], ...]
    against: str | None
    min_reduction: float | None
    caps: tuple[int, ...] | None
    holds: tuple[bool, ...] | None

    @property
    def guarantee_holds(self) -> bool | None:
        """Whether every member's cost under the chosen option is within the current rule's guarantee (None: no guarantee)."""
        return None if self.holds is None else all(self.holds)

    def views(self) -> tuple[DataTable, ...]:
        """The scores per option, the members paying more, and the guarantee check."""
        c = self.comparison
        names = dict(zip(c.codes, c.names, strict=True))
        out = [DataTable(key="decision", title=self._title("ja"), title_en=self._title("en"), columns=_SCORE_COLUMNS,
                         rows=[[n, a, b, s, pv, n == self.chosen] for n, a, b, s, pv in
                               zip(c.option_names, self.criteria_scores, self.money_scores, self.combined,
                                   c.present_values, strict=True)],
                         sheet="総合判断", sheet_en="Decision", index="option")]
        if self.losers:
            out.append(DataTable(key="losers", title=f"{c.council}: 負担が増える団体 ({self.chosen} 対 {self.against})",
                                 title_en=f"{c.council}: members paying more ({self.chosen} against {self.against})",
                                 columns=_LOSER_COLUMNS, rows=[[k, names[k], x] for k, x in self.losers],
                                 sheet="負担増の団体", sheet_en="Members paying more", index="code", totals=True))
        if self.caps is not None and self.holds is not None:
            costs = dict(c.member_costs(self.chosen).items())
            out.append(DataTable(key="guarantee", title=f"{c.council}: 最低保障 ({self.min_reduction:.0%}削減) の確認",
                                 title_en=f"{c.council}: guarantee check ({self.min_reduction:.0%} reduction)",
                                 columns=_GUARANTEE_COLUMNS,
                                 rows=[[k, names[k], costs[k], cap, h] for k, cap, h in
                                       zip(c.codes, self.caps, self.holds, strict=True)],
                                 sheet="最低保障", sheet_en="Guarantee", index="code", totals=True))
        return tuple(out)

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return f"{self.comparison.council}: continue or switch, one decision -> {self.chosen}"
        return f"{self.comparison.council}: サービス継続・切替の総合判断 → {self.chosen}"

    def explain(self, lang: Lang = "ja") -> str:
        """The reasoning written out: scores, money, members paying more, the guarantee (Japanese; ``lang="en"``)."""
        c = self.comparison
        wc, wm = self.weights
        ja = check_lang(lang) == "ja"
        lines = [self.assessment.explain(lang), ""]
        if ja:
            lines.append(f"費用: {c.summary('ja')}")
            lines.append(f"総合評点 = 評価項目 × {wc:.2f} + 費用 × {wm:.2f} (費用の評点 = 最安の現在価値 ÷ 各選択肢の現在価値; "
                         "切替先の評価項目の評点は、継続の判断基準点 ÷ 満点 (新たな調達で基準を満たす前提))")
            for n, a, b, s in zip(c.option_names, self.criteria_scores, self.money_scores, self.combined, strict=True):
                lines.append(f"- {n}: 評価項目 {a:.3f}、費用 {b:.3f} → 総合 {s:.3f}")
            lines.append(f"判断: {self.chosen}")
            if self.losers:
                total = sum(x for _, x in self.losers)
                lines.append(f"{self.against}と比べ負担が増える団体 ({len(self.losers)}団体、計{total:,}円): "
                             + "、".join(f"{dict(zip(c.codes, c.names, strict=True))[k]} +{x:,}円"
                                        for k, x in self.losers))
            elif self.against is not None:
                lines.append(f"{self.against}と比べ負担が増える団体はありません。")
            if self.holds is None:
                lines.append("現行の按分ルールには最低保障がありません。")
            else:
                bad = [nm for nm, h in zip(c.names, self.holds, strict=True) if not h]
                lines.append(f"現行ルールの最低保障 ({self.min_reduction:.0%}削減): "
                             + ("全団体で満たされます。" if not bad else f"{len(bad)}団体で満たされません ({'、'.join(bad)})。"))
            return "\n".join(lines)
        lines.append(f"money: {c.summary('en')}")
        lines.append(f"combined = criteria x {wc:.2f} + money x {wm:.2f} (money score = least present value / the "
                     "option's; a switch scores the continuity threshold / maximum on the criteria, i.e. a new "
                     "procurement is assumed to meet the council's bar)")
        for n, a, b, s in zip(c.option_names, self.criteria_scores, self.money_scores, self.combined, strict=True):
            lines.append(f"- {n}: criteria {a:.3f}, money {b:.3f} -> combined {s:.3f}")
        lines.append(f"decision: {self.chosen}")
        if self.losers:
            lines.append(f"members paying more than under {self.against}: "
                         + ", ".join(f"{k} +{x:,} yen" for k, x in self.losers))
        elif self.against is not None:
            lines.append(f"no member pays more than under {self.against}")
        if self.holds is None:
            lines.append("the current rule has no guaranteed reduction")
        else:
            bad = [k for k, h in zip(c.codes, self.holds, strict=True) if not h]
            lines.append(f"guarantee of the current rule ({self.min_reduction:.0%} reduction): "
                         + ("holds for every member" if not bad else f"broken for {', '.join(bad)}"))
        return "\n".join(lines)

    def summary(self, lang: Lang = "ja") -> str:
        """The reasoning (same as :meth:`explain`)."""
        return self.explain(lang)


def _weights(weights: Any) -> tuple[float, float]:
    if not isinstance(weights, Mapping) or set(weights) - {"criteria", "money"}:
        raise ValidationError(f"weights must be a mapping with 'criteria' and 'money', got {weights!r}")
    w = [weights.get(k, 0.0) for k in ("criteria", "money")]
    if any(isinstance(x, bool) or not isinstance(x, int | float) or not np.isfinite(x) or x < 0 for x in w) \
            or sum(w) <= 0:
        raise ValidationError(f"weights must be finite numbers >= 0, not both 0, got {weights!r}")
    s = float(sum(w))
    return w[0] / s, w[1] / s


def decide(assessment: ContinuityAssessment, comparison: RenewalComparison, *,
           weights: Mapping[str, float]) -> RenewalDecision:
    """Put the continuity scorecard and the money side by side and choose (サービス継続・切替の総合判断).

    Each option gets ``combined = w_criteria × criteria_score + w_money × money_score`` (weights
    normalised to add up to 1):

    * ``criteria_score``: the incumbent's points ÷ the points available (the scorecard of
      :func:`jichitai_cloud.operations.assess_continuity`); a switch scores the council's
      threshold ÷ the points available (a new procurement is assumed to just meet the council's bar);
    * ``money_score``: the least present value ÷ the option's present value (1 for the cheapest).

    The option with the highest combined score is chosen (ties to the earlier option).

    Parameters
    ----------
    assessment
        The incumbent's scorecard.
    comparison
        The options priced (:func:`compare_renewal`).
    weights
        ``{"criteria": w, "money": w}`` (>= 0, not both 0). [1]

    Returns
    -------
    RenewalDecision
        Scores, the chosen option, the members paying more under it (against the incumbent, or if
        the incumbent is chosen, against the cheapest other option) and by how much [yen], and
        whether the guarantee of the incumbent's rule still holds: each member's cost under the
        chosen option (fees, double running, one-offs) within ``floor(current_cost × (1 -
        min_reduction) × horizon_months / period_months)`` [yen].

    Examples
    --------
    >>> from jichitai_cloud import AllocationRule, examples, operations
    >>> from jichitai_cloud.renewal import RenewalOption, compare_renewal
    >>> rule = AllocationRule(ratios="3:7", min_reduction=0.3)
    >>> comp = compare_renewal(examples.toyama(), [RenewalOption("継続", monthly_fee=20_000_000, rule=rule),
    ...                        RenewalOption("切替", monthly_fee=17_000_000, rule=rule, council_one_off=90_000_000)])
    >>> crit = [operations.ContinuityCriterion(measure="availability", name="稼働率", weight=10, worst=0.99, best=1)]
    >>> a = operations.assess_continuity(crit, {"availability": 0.994}, threshold=6)
    >>> decide(a, comp, weights={"criteria": 1, "money": 1}).chosen
    '切替'
    """
    if not isinstance(assessment, ContinuityAssessment):
        raise ValidationError(f"assessment must be a ContinuityAssessment, got {assessment!r}")
    if not isinstance(comparison, RenewalComparison):
        raise ValidationError(f"comparison must be a RenewalComparison, got {comparison!r}")
    wc, wm = _weights(weights)
    c = comparison
    top = assessment.maximum
    if top <= 0:
        raise ValidationError("the assessment's criteria have no weight: no points available")
    crit = [assessment.total / top] + [min(1.0, max(0.0, assessment.threshold / top))] * (len(c.options) - 1)
    pv = np.asarray(c.present_values, dtype=np.float64)
    least = float(pv.min())
    money = [1.0 if x == least else (least / x if x > 0 else 0.0) for x in pv.tolist()]
    combined = [wc * a + wm * b for a, b in zip(crit, money, strict=True)]
    chosen = c.option_names[int(np.argmax(np.asarray(combined)))]
    if chosen != c.incumbent:
        against: str | None = c.incumbent
    else:
        others = list(c.option_names[1:])
        against = min(others, key=lambda n: (c.present_value(n), c.option_names.index(n))) if others else None
    losers: tuple[tuple[str, int], ...] = ()
    if against is not None:
        mine, theirs = dict(c.member_costs(chosen).items()), dict(c.member_costs(against).items())
        losers = tuple((k, mine[k] - theirs[k]) for k in c.codes if mine[k] > theirs[k])
    rule = c.options[0].rule
    caps = holds = None
    r = None if rule is None else rule.min_reduction
    if r is not None:
        keep = 1 - as_fraction(r, "min_reduction")
        caps = tuple(int(Fraction(cur) * keep * c.horizon_months / c.period_months) for cur in c.current_costs)
        costs = dict(c.member_costs(chosen).items())
        holds = tuple(costs[k] <= cap for k, cap in zip(c.codes, caps, strict=True))
    return RenewalDecision(assessment=assessment, comparison=c, weights=(wc, wm), criteria_scores=tuple(crit),
                           money_scores=tuple(money), combined=tuple(combined), chosen=chosen, losers=losers,
                           against=against, min_reduction=r, caps=caps, holds=holds)
