"""Is the council's allocation fair and stable, and what happens when a member leaves or joins?

The domain layer: it turns a council (:class:`~jichitai_cloud.Consortium`), an allocation and a
coalition cost model into arrays once, calls the kernels of :mod:`jichitai_cloud.games`, and wraps
the results in immutable reports with ``_repr_html_`` and ``to_dataframe()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from .._display import Column, Lang, TableView, col, cols
from .._numeric import largest_remainder
from ..errors import GameError, ValidationError
from ..model import Consortium, Municipality
from ._costmodels import CoalitionCosts, CostModel
from ._kernels import core_violation, nucleolus, restrict, scrb, shapley
from ._rule import Rule, _allocation_array, _rule_shares

__all__ = [
    "NUCLEOLUS_MAX_MEMBERS",
    "FairnessReport",
    "JoiningReport",
    "LeavingReport",
    "fairness_report",
    "joining_report",
    "leaving_report",
]

NUCLEOLUS_MAX_MEMBERS = 20
"""Largest council for which the reports compute the nucleolus (see :func:`~jichitai_cloud.games.nucleolus`)."""


def _round_to_total(quotas: NDArray[np.float64], total: int) -> tuple[int, ...]:
    return tuple(int(x) for x in largest_remainder(total, quotas))


def _notes_of(cc: CoalitionCosts) -> list[tuple[str, str]]:
    """The cost model's notes as (Japanese, English) pairs."""
    en = cc.notes_in("en")
    return list(zip(cc.notes, en if len(en) == len(cc.notes) else cc.notes, strict=True))


def _nucleolus_or_note(costs: NDArray[np.int64], notes: list[tuple[str, str]]) -> NDArray[np.float64] | None:
    n = int(costs.size).bit_length() - 1
    if n > NUCLEOLUS_MAX_MEMBERS:
        notes.append((f"{n} 団体のため仁 (nucleolus) は計算していません (上限 {NUCLEOLUS_MAX_MEMBERS} 団体)。",
                      f"nucleolus not computed for {n} members (limit {NUCLEOLUS_MAX_MEMBERS})"))
        return None
    try:
        return nucleolus(costs)
    except ImportError:
        notes.append(("仁 (nucleolus) は計算していません: 追加パッケージ scipy が必要です "
                      "(pip install 'jichitai-cloud[games]')。",
                      "nucleolus not computed: it needs scipy, an optional extra "
                      "(pip install 'jichitai-cloud[games]')"))
        return None
    except GameError as exc:
        if "no imputation" not in str(exc):
            raise
        notes.append(("按分する額が各団体の単独費用の合計を上回るため、前仁 (prenucleolus) を示しています。",
                      "the fee exceeds the members' stand-alone costs together: the prenucleolus is shown"))
        return nucleolus(costs, imputations=False)


def _codes_of(mask: int, codes: Sequence[str]) -> tuple[str, ...]:
    return tuple(c for i, c in enumerate(codes) if (mask >> i) & 1)


# ----------------------------------------------------------------------------------------------
# fairness report
# ----------------------------------------------------------------------------------------------
_METHODS = ("rule", "shapley", "nucleolus", "scrb")
_METHOD_JA = {"rule": "按分ルール", "shapley": "シャープレイ値", "nucleolus": "仁", "scrb": "SCRB法"}
_BEFORE = Column("before", "負担額 (変更前)", "Share before", "yen", total=True)
_AFTER = Column("after", "負担額 (変更後)", "Share after", "yen", total=True)
_SHAPLEY_AFTER = Column("shapley_after", "シャープレイ値 (変更後)", "Shapley value after", "yen", total=True)


@attrs.frozen(kw_only=True, slots=True)
class FairnessReport(TableView):
    """The council's allocation beside the cooperative-game allocations, and its stability.

    Attributes
    ----------
    council
        Name of the council.
    codes, names
        Members in order.
    standalone
        Each member's cost alone ``c({i})`` (its 現行経費 unless quoted). [yen]
    shares
        What each member pays under the council's rule (the allocation analysed). [yen]
    shapley, nucleolus, scrb
        The Shapley value (シャープレイ値), nucleolus (仁) and separable-costs-remaining-benefits
        shares of the same total, rounded to yen by largest remainder (``nucleolus`` is ``None``
        above :data:`NUCLEOLUS_MAX_MEMBERS` members). [yen]
    shapley_exact
        The unrounded Shapley value. [yen]
    individually_rational
        Whether each member pays no more than alone (個人合理性).
    total
        The fee split: the sum of :attr:`shares`, used as the grand coalition's cost. [yen]
    model_total
        The cost model's own figure for the whole council. [yen]
    worst_coalition
        The group of members that gains most by procuring on its own (the largest excess).
    worst_excess
        Its excess: what it pays now minus what it would pay alone; > 0 means it would gain that
        much by leaving, so the allocation is not in the core (コア). [yen]
    method_excess
        For each method (``rule``, ``shapley``, ``nucleolus``, ``scrb``): its largest excess and the
        coalition, as ``(method, excess, coalition)``. [yen]
    costs
        The coalition costs analysed.
    notes
        Caveats: completed quotes, a fee different from the model's, prenucleolus used (Japanese).
    notes_en
        The same in English.
    """

    council: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    standalone: tuple[int, ...]
    shares: tuple[int, ...]
    shapley: tuple[int, ...]
    nucleolus: tuple[int, ...] | None
    scrb: tuple[int, ...]
    shapley_exact: tuple[float, ...]
    individually_rational: tuple[bool, ...]
    total: int
    model_total: int
    worst_coalition: tuple[str, ...]
    worst_excess: int
    method_excess: tuple[tuple[str, int, tuple[str, ...]], ...]
    costs: CoalitionCosts = attrs.field(repr=False)
    notes: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()

    @property
    def in_core(self) -> bool:
        """True when no group of members would gain by procuring on its own."""
        return self.worst_excess <= 0

    @property
    def gain_from_leaving(self) -> int:
        """What the worst blocking coalition would save by leaving (0 if none would). [yen]"""
        return max(self.worst_excess, 0)

    @property
    def blocking_coalition(self) -> tuple[str, ...]:
        """The group that gains most by leaving, or ``()`` if the allocation is in the core."""
        return self.worst_coalition if self.worst_excess > 0 else ()

    _COLUMNS = cols("code", "name", "standalone", "share", "shapley", "nucleolus", "scrb", "saving",
                    "individually_rational")
    _KEY = "fairness"
    _SHEET = ("公平性", "Fairness")
    _INDEX = "code"
    _TOTALS = True

    def _rows(self) -> list[list[Any]]:
        nuc = self.nucleolus or (None,) * len(self.codes)
        return [
            [c, nm, a, s, sh, nu, sc, a - s, ir]
            for c, nm, a, s, sh, nu, sc, ir in zip(self.codes, self.names, self.standalone, self.shares,
                                                   self.shapley, nuc, self.scrb, self.individually_rational,
                                                   strict=True)
        ]

    def _who(self, codes: Sequence[str], sep: str) -> str:
        name = dict(zip(self.codes, self.names, strict=True))
        return sep.join(name.get(c, c) for c in codes)

    def summary(self, lang: Lang = "ja") -> str:
        """The verdict in a few lines (Japanese; ``lang="en"``: English)."""
        bad_ir = [c for c, ok in zip(self.codes, self.individually_rational, strict=True) if not ok]
        worst = self.worst_coalition
        if lang == "en":
            lines = [f"fee split: {self.total:,} yen (cost model for the whole council: {self.model_total:,} yen)"]
            lines.append("individual rationality (pays no more than alone): "
                         + ("every member" if not bad_ir else f"violated for {self._who(bad_ir, ', ')}"))
            if self.in_core:
                lines.append(f"in the core (コア): no group gains by leaving; the closest, "
                             f"{self._who(worst, ', ')}, would pay {-self.worst_excess:,} yen more alone")
            else:
                lines.append(f"NOT in the core: {self._who(worst, ', ')} would save {self.worst_excess:,} yen "
                             "by procuring on its own")
            for method, exc, coal in self.method_excess[1:]:
                lines.append(f"  {method}: largest excess {exc:,} yen ({self._who(coal, ', ')})"
                             + ("" if exc <= 0 else " - outside the core"))
            return "\n".join(lines + [f"note: {x}" for x in self.notes_en or self.notes])
        lines = [f"按分する額: {self.total:,}円 (費用モデルによる全団体の費用: {self.model_total:,}円)"]
        lines.append("個人合理性 (単独より負担が多くない): "
                     + ("全団体が満たす" if not bad_ir else f"{self._who(bad_ir, '、')} が満たさない"))
        if self.in_core:
            lines.append(f"コアに属する: 離脱して得をするグループはありません (最も近い {self._who(worst, '・')} も"
                         f"単独では {-self.worst_excess:,}円 多く負担)")
        else:
            lines.append(f"コアに属しません: {self._who(worst, '・')} は単独で調達すると {self.worst_excess:,}円 得をします")
        for method, exc, coal in self.method_excess[1:]:
            lines.append(f"  {_METHOD_JA.get(method, method)}: 最大超過額 {exc:,}円 ({self._who(coal, '・')})"
                         + ("" if exc <= 0 else "、コアの外"))
        return "\n".join(lines + [f"注: {x}" for x in self.notes])

    def __str__(self) -> str:
        return self.to_text()

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return f"fairness of the allocation: {self.council}"
        return f"{self.council}: 費用按分の公平性 (協力ゲームによる検証)"


def fairness_report(consortium: Consortium, allocation: Any, cost_model: CostModel, *,
                    rule: Rule = None) -> FairnessReport:
    """Compare the council's allocation with the Shapley value, nucleolus and SCRB, and test its stability.

    Parameters
    ----------
    consortium
        The council.
    allocation
        What each member pays under the council's rule: integer yen in member order (a sequence or
        array), a mapping ``code -> yen``, or the ``Allocation`` result of the allocation module
        (anything with a ``shares`` attribute holding either); or ``None``: ``rule`` applied to the
        cost model's cost of the whole council. [yen]
    cost_model
        Prices every coalition: a :class:`~jichitai_cloud.games.QuoteTable`, a
        :class:`~jichitai_cloud.games.ScaleEconomyModel` or any object with
        ``coalition_costs(members)``.
    rule
        With ``allocation=None``, the council's rule (see :func:`leaving_report`); default 3:7
        equal:population.

    Returns
    -------
    FairnessReport
        Per member: stand-alone cost, share, Shapley, nucleolus and SCRB shares, individual
        rationality; the worst blocking coalition and its gain from leaving.

    Notes
    -----
    The grand coalition's cost is taken to be the allocation's total (the fee actually split), so
    that every method splits the same amount; where the cost model prices the whole council
    differently, the report says so.  The game's shares are rounded to integer yen by largest
    remainder.

    References
    ----------
    Young, H. P. (1985). Producer incentives in cost allocation. *Econometrica* 53(4), 757-765.

    Young, H. P. (1994). Cost allocation. In *Handbook of Game Theory with Economic Applications*
    vol. 2, ch. 34, 1193-1235. (Stand-alone cost test, core, Shapley value, nucleolus, SCRB.)
    """
    if not isinstance(consortium, Consortium):
        raise ValidationError(f"consortium must be a Consortium, got {type(consortium).__name__}")
    members = consortium.members
    model_costs = cost_model.coalition_costs(members)
    x = _allocation_array(consortium, allocation) if allocation is not None else \
        _rule_shares(rule, members, model_costs.grand, consortium)
    total = int(x.sum())
    cc = model_costs.with_grand(total)
    costs = np.array(cc.costs)
    notes = _notes_of(model_costs)
    if total != model_costs.grand:
        notes.append((f"按分する額は {total:,}円、費用モデルによる全団体の費用は {model_costs.grand:,}円です: "
                      f"分析には {total:,}円 を用いています。",
                      f"the allocation splits {total:,} yen; the cost model puts the whole council at "
                      f"{model_costs.grand:,} yen: the analysis uses {total:,} yen"))
    n = len(members)
    standalone = np.array(cc.standalone, dtype=np.int64)
    phi = shapley(costs)
    nuc = _nucleolus_or_note(costs, notes)
    sc = scrb(costs)
    rule_t = tuple(int(a) for a in x)
    shapley_t = _round_to_total(phi, total)
    nucleolus_t = _round_to_total(nuc, total) if nuc is not None else None
    scrb_t = _round_to_total(sc, total)
    rounded = {"rule": rule_t, "shapley": shapley_t, "nucleolus": nucleolus_t, "scrb": scrb_t}
    method_excess: list[tuple[str, int, tuple[str, ...]]] = []
    worst: tuple[str, ...] = ()
    worst_excess = 0
    if n >= 2:
        for method in _METHODS:
            alloc = rounded[method]
            if alloc is None:
                continue
            mask, exc = core_violation(costs, np.array(alloc, dtype=np.int64))
            method_excess.append((method, int(exc), _codes_of(int(mask), cc.codes)))
        _, worst_excess, worst = method_excess[0]
    else:
        notes.append(("1団体の協議会には、離脱しうるグループがありません。",
                      "a council of one member has no coalition that could leave"))
    return FairnessReport(
        council=consortium.name,
        codes=cc.codes,
        names=tuple(m.name for m in members),
        standalone=tuple(int(a) for a in standalone),
        shares=rule_t,
        shapley=shapley_t,
        nucleolus=nucleolus_t,
        scrb=scrb_t,
        shapley_exact=tuple(float(p) for p in phi),
        individually_rational=tuple(bool(b) for b in x <= standalone),
        total=total,
        model_total=model_costs.grand,
        worst_coalition=worst,
        worst_excess=int(worst_excess),
        method_excess=tuple(method_excess),
        costs=cc,
        notes=tuple(ja for ja, _ in notes),
        notes_en=tuple(en for _, en in notes),
    )


# ----------------------------------------------------------------------------------------------
# leaving and joining
# ----------------------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, slots=True)
class LeavingReport(TableView):
    """What a member's leaving (途中離脱) does to the others' costs and to the council's stability.

    Attributes
    ----------
    council
        Name of the council.
    leaver, leaver_name
        The member leaving.
    leaver_share
        What it paid in the council. [yen]
    leaver_standalone
        What it pays alone (its current cost unless quoted). [yen]
    codes
        The remaining members.
    before, after
        Their shares before (the allocation given, or the rule on the whole council) and after
        (the rule on the smaller council's cost). [yen]
    standalone
        Their stand-alone costs. [yen]
    total_before, total_after
        The whole council's cost before, and the remaining council's cost after. [yen]
    in_core_after
        Whether the new split is still in the core of the remaining council.
    worst_coalition_after, worst_excess_after
        The remaining group that gains most by leaving too, and that gain (> 0: it would). [yen]
    shapley_after
        The Shapley value of the remaining council (a reference split). [yen]
    notes
        Caveats (Japanese).
    notes_en
        The same in English.
    """

    council: str
    leaver: str
    leaver_name: str
    leaver_share: int
    leaver_standalone: int
    codes: tuple[str, ...]
    before: tuple[int, ...]
    after: tuple[int, ...]
    standalone: tuple[int, ...]
    total_before: int
    total_after: int
    in_core_after: bool
    worst_coalition_after: tuple[str, ...]
    worst_excess_after: int
    shapley_after: tuple[int, ...]
    notes: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def change(self) -> tuple[int, ...]:
        """Each remaining member's change in cost (after - before). [yen]"""
        return tuple(a - b for a, b in zip(self.after, self.before, strict=True))

    @property
    def leaver_gain(self) -> int:
        """What the leaver saves by leaving (negative: it pays more alone). [yen]"""
        return self.leaver_share - self.leaver_standalone

    @property
    def extra_for_remaining(self) -> int:
        """How much more the remaining members pay in total than before. [yen]"""
        return self.total_after - (self.total_before - self.leaver_share)

    _COLUMNS = (*cols("code", "name"), _BEFORE, _AFTER, *cols("change", "change_rate", "standalone",
                                                             "individually_rational"), _SHAPLEY_AFTER)
    _KEY = "leaving"
    _SHEET = ("脱退", "Leaving")
    _INDEX = "code"
    _TOTALS = True

    def _rows(self) -> list[list[Any]]:
        names = self.names if len(self.names) == len(self.codes) else self.codes
        return [[c, n, b, a, a - b, Fraction(a - b, b) if b else None, s, a <= s, sh]
                for c, n, b, a, s, sh in zip(self.codes, names, self.before, self.after, self.standalone,
                                             self.shapley_after, strict=True)]

    def _who(self, codes: Sequence[str], sep: str) -> str:
        name = dict(zip(self.codes, self.names, strict=False))
        return sep.join(name.get(c, c) for c in codes)

    def summary(self, lang: Lang = "ja") -> str:
        """The verdict in a few lines (Japanese; ``lang="en"``: English)."""
        worst = self._who(self.worst_coalition_after, ", " if lang == "en" else "・")
        if lang == "en":
            lines = [
                f"{self.leaver} ({self.leaver_name}) leaves: it paid {self.leaver_share:,} yen and pays "
                f"{self.leaver_standalone:,} yen alone ({'saves' if self.leaver_gain >= 0 else 'loses'} "
                f"{abs(self.leaver_gain):,} yen)",
                f"the council's cost goes from {self.total_before:,} to {self.total_after:,} yen; the remaining "
                f"members pay {self.extra_for_remaining:,} yen more in total",
            ]
            if len(self.codes) < 2:
                lines.append("one member remains: there is no council left to be stable")
            elif self.in_core_after:
                lines.append("the new split is in the core (コア) of the remaining council")
            else:
                lines.append(f"the new split is NOT in the core: {worst} would save "
                             f"{self.worst_excess_after:,} yen by leaving too")
            return "\n".join(lines + [f"note: {x}" for x in self.notes_en or self.notes])
        gain = (f"脱退で {self.leaver_gain:,}円 の負担減" if self.leaver_gain >= 0 else
                f"脱退で {-self.leaver_gain:,}円 の負担増")
        lines = [
            f"{self.leaver_name} ({self.leaver}) が脱退: 協議会での負担 {self.leaver_share:,}円 に対し単独では "
            f"{self.leaver_standalone:,}円 ({gain})",
            f"協議会の費用は {self.total_before:,}円 から {self.total_after:,}円 になり、残る団体の負担は合計で "
            f"{self.extra_for_remaining:,}円 増えます",
        ]
        if len(self.codes) < 2:
            lines.append("残る団体が1団体のため、安定性は問題になりません")
        elif self.in_core_after:
            lines.append("脱退後の負担割合は残る団体のコアに属します")
        else:
            lines.append(f"脱退後の負担割合はコアに属しません: {worst} も脱退すると {self.worst_excess_after:,}円 得をします")
        return "\n".join(lines + [f"注: {x}" for x in self.notes])

    def __str__(self) -> str:
        return self.to_text()

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return f"if {self.leaver_name} leaves {self.council}"
        return f"{self.council}: {self.leaver_name}が脱退した場合"


def leaving_report(consortium: Consortium, code: str, cost_model: CostModel, *, rule: Rule = None,
                   allocation: Any = None) -> LeavingReport:
    """The remaining members' new costs under the rule if member ``code`` leaves, and the new stability.

    Parameters
    ----------
    consortium
        The council.
    code
        The member leaving.
    cost_model
        Prices every coalition (see :func:`fairness_report`).
    rule
        The council's rule for the smaller council: driver weights (default 3:7 equal:population)
        or text such as ``"3:7"`` (read by :class:`~jichitai_cloud.AllocationRule` and split by
        :func:`~jichitai_cloud.allocation.split_costs` in exact integer yen, largest remainder),
        an :class:`~jichitai_cloud.AllocationRule` (then
        :func:`~jichitai_cloud.allocate` splits the fee with its guaranteed minimum reduction, months on
        the cloud, penalties and rounding, over the council's evaluation period), or a callable
        ``(members, total) -> shares``.
    allocation
        The current shares (as for :func:`fairness_report`); default: the rule applied to the cost
        model's cost of the whole council.

    Returns
    -------
    LeavingReport
    """
    leaver = consortium.member(code)
    members = consortium.members
    cc = cost_model.coalition_costs(members)
    i = consortium.index(code)
    before_all = _allocation_array(consortium, allocation) if allocation is not None else \
        _rule_shares(rule, members, cc.grand, consortium)
    total_before = int(before_all.sum())
    keep = [j for j in range(len(members)) if j != i]
    if not keep:
        raise ValidationError(f"{code} is the council's only member: nobody remains after it leaves")
    remaining = tuple(members[j] for j in keep)
    sub = restrict(np.array(cc.costs), keep)
    total_after = int(sub[-1])
    after = _rule_shares(rule, remaining, total_after, consortium)
    standalone = sub[np.left_shift(1, np.arange(len(keep)))]
    in_core, worst_exc = True, 0
    worst: tuple[str, ...] = ()
    codes = tuple(m.code for m in remaining)
    if len(keep) >= 2:
        mask, exc = core_violation(sub, after)
        worst, worst_exc = _codes_of(int(mask), codes), int(exc)
        in_core = worst_exc <= 0
    return LeavingReport(
        council=consortium.name, leaver=code, leaver_name=leaver.name, leaver_share=int(before_all[i]),
        leaver_standalone=int(cc.costs[1 << i]), codes=codes,
        before=tuple(int(before_all[j]) for j in keep), after=tuple(int(a) for a in after),
        standalone=tuple(int(s) for s in standalone), total_before=total_before, total_after=total_after,
        in_core_after=in_core, worst_coalition_after=worst, worst_excess_after=worst_exc,
        shapley_after=_round_to_total(shapley(sub), total_after), notes=cc.notes_in("ja"),
        notes_en=cc.notes_in("en"),
        names=tuple(m.name for m in remaining),
    )


@attrs.frozen(kw_only=True, slots=True)
class JoiningReport(TableView):
    """Whether a candidate joining (新規参加) is welcome, and at what share.

    Attributes
    ----------
    council
        Name of the council.
    candidate, candidate_name
        The candidate member.
    marginal_cost
        ``c(N + j) - c(N)``: what the council's cost grows by when it joins. [yen]
    standalone
        The candidate's cost alone. [yen]
    rule_share
        The share the rule would give it in the larger council. [yen]
    shapley_share
        Its Shapley value in the larger council (a reference). [yen]
    codes
        The incumbents.
    before, after
        The incumbents' shares under the rule before and after it joins. [yen]
    total_before, total_after
        The council's cost before and after. [yen]
    in_core_after
        Whether the rule's split of the larger council is in its core.
    worst_coalition_after, worst_excess_after
        The group gaining most by leaving the larger council, and that gain (> 0: it would). [yen]
    notes
        Caveats (Japanese).
    notes_en
        The same in English.
    """

    council: str
    candidate: str
    candidate_name: str
    marginal_cost: int
    standalone: int
    rule_share: int
    shapley_share: int
    codes: tuple[str, ...]
    before: tuple[int, ...]
    after: tuple[int, ...]
    total_before: int
    total_after: int
    in_core_after: bool
    worst_coalition_after: tuple[str, ...]
    worst_excess_after: int
    notes: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def welcome(self) -> bool:
        """True when the rule's share covers the cost it adds (the incumbents pay no more in total)."""
        return self.rule_share >= self.marginal_cost

    @property
    def candidate_gains(self) -> bool:
        """True when the candidate pays no more than alone."""
        return self.rule_share <= self.standalone

    @property
    def acceptable_range(self) -> tuple[int, int] | None:
        """Shares both sides accept: from its marginal cost to its stand-alone cost, or ``None``. [yen]"""
        return (self.marginal_cost, self.standalone) if self.marginal_cost <= self.standalone else None

    _COLUMNS = (*cols("code", "name"), _BEFORE, _AFTER, col("change"))
    _KEY = "joining"
    _SHEET = ("新規参加", "Joining")
    _INDEX = "code"
    _TOTALS = True

    def _rows(self) -> list[list[Any]]:
        names = self.names if len(self.names) == len(self.codes) else self.codes
        return [[c, n, b, a, a - b] for c, n, b, a in zip(self.codes, names, self.before, self.after, strict=True)] + \
            [[self.candidate, self.candidate_name, None, self.rule_share, None]]

    def _who(self, codes: Sequence[str], sep: str) -> str:
        name = dict(zip(self.codes, self.names, strict=False))
        name[self.candidate] = self.candidate_name
        return sep.join(name.get(c, c) for c in codes)

    def summary(self, lang: Lang = "ja") -> str:
        """The verdict in a few lines (Japanese; ``lang="en"``: English)."""
        rng = self.acceptable_range
        if lang == "en":
            lines = [
                f"{self.candidate} ({self.candidate_name}) joins: it adds {self.marginal_cost:,} yen to the council's "
                f"cost ({self.total_before:,} -> {self.total_after:,}); alone it pays {self.standalone:,} yen",
                f"the rule would charge it {self.rule_share:,} yen (Shapley value: {self.shapley_share:,} yen): "
                + ("welcome - the incumbents pay less" if self.welcome else
                   "NOT covering the cost it adds - the incumbents would pay more"),
                "acceptable shares: " + (f"{rng[0]:,} to {rng[1]:,} yen" if rng else
                                         "none (joining costs more than it saves)"),
                ("the larger council's split is in the core (コア)" if self.in_core_after else
                 f"the larger council's split is NOT in the core: {self._who(self.worst_coalition_after, ', ')} "
                 f"would save {self.worst_excess_after:,} yen by leaving"),
            ]
            return "\n".join(lines + [f"note: {x}" for x in self.notes_en or self.notes])
        lines = [
            f"{self.candidate_name} ({self.candidate}) が新規参加: 協議会の費用は {self.marginal_cost:,}円 増え "
            f"({self.total_before:,}円 → {self.total_after:,}円)、単独での費用は {self.standalone:,}円",
            f"按分ルールによる負担は {self.rule_share:,}円 (シャープレイ値 {self.shapley_share:,}円): "
            + ("増える費用を賄えるため、既存団体の負担は減ります" if self.welcome else
               "増える費用を賄えず、既存団体の負担が増えます"),
            "双方が受け入れられる負担額: " + (f"{rng[0]:,}円 〜 {rng[1]:,}円" if rng else
                                             "なし (参加による費用増が節減を上回ります)"),
            ("参加後の負担割合はコアに属します" if self.in_core_after else
             f"参加後の負担割合はコアに属しません: {self._who(self.worst_coalition_after, '・')} は離脱すると "
             f"{self.worst_excess_after:,}円 得をします"),
        ]
        return "\n".join(lines + [f"注: {x}" for x in self.notes])

    def __str__(self) -> str:
        return self.to_text()

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return f"if {self.candidate_name} joins {self.council}"
        return f"{self.council}: {self.candidate_name}が新規参加した場合"


def joining_report(consortium: Consortium, candidate: Municipality, cost_model: CostModel, *,
                   rule: Rule = None) -> JoiningReport:
    """A candidate's marginal cost against the share the rule would give it in the larger council.

    Parameters
    ----------
    consortium
        The council.
    candidate
        The municipality that would join (its code must be new).
    cost_model
        Prices every coalition of the larger council (a quote table needs quotes with the
        candidate, or its groups are completed without savings).
    rule
        The council's rule (see :func:`leaving_report`); default 3:7 equal:population.

    Returns
    -------
    JoiningReport
    """
    if not isinstance(candidate, Municipality):
        raise ValidationError(f"candidate must be a Municipality, got {type(candidate).__name__}")
    larger = consortium.with_member(candidate)  # validates the code is new
    members = larger.members
    n = len(members)
    cc = cost_model.coalition_costs(members)
    costs = np.array(cc.costs)
    old_full = (1 << (n - 1)) - 1
    total_before, total_after = int(costs[old_full]), int(costs[-1])
    before = _rule_shares(rule, consortium.members, total_before, consortium)
    after = _rule_shares(rule, members, total_after, larger)
    mask, exc = core_violation(costs, after)
    return JoiningReport(
        council=consortium.name, candidate=candidate.code, candidate_name=candidate.name,
        marginal_cost=total_after - total_before, standalone=int(costs[1 << (n - 1)]),
        rule_share=int(after[-1]), shapley_share=_round_to_total(shapley(costs), total_after)[-1],
        codes=consortium.codes, before=tuple(int(b) for b in before), after=tuple(int(a) for a in after[:-1]),
        total_before=total_before, total_after=total_after, in_core_after=int(exc) <= 0,
        worst_coalition_after=_codes_of(int(mask), cc.codes), worst_excess_after=int(exc),
        notes=cc.notes_in("ja"), notes_en=cc.notes_in("en"), names=tuple(m.name for m in consortium.members),
    )
