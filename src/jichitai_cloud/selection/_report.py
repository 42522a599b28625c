"""The selection report: the best groupings, each candidate's group, share and reduction, and why."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs

from .._display import Column, DataTable, Lang, TableView, col, cols

__all__ = ["GroupOutcome", "Grouping", "SelectionReport"]

_ALONE = "単独"
_CONDITION_JA = {"size": "団体数の上限", "contract window": "契約満了時期", "contiguity": "隣接",
                 "distance": "庁舎間の距離", "guarantee": "最低保障"}
_RANK = col("rank")
_GROUP = Column("group", "グループ", "Group", "text")
_EXTRA = Column("extra_vs_best", "最良案との差", "Extra against the best", "yen")
_FEASIBLE = Column("guarantee_feasible", "最低保障の実現", "Guarantee feasible", "flag")
_CANDIDATE_COLUMNS = (
    _RANK, _GROUP, *cols("code", "name", "current_cost", "estimated", "share", "reduction", "reduction_rate"),
    Column("guarantee_met", "最低保障の充足", "Guarantee met", "flag"),
    Column("group_in_core", "グループがコアに属する", "Group in the core", "flag"),
)
_RANKING_COLUMNS = (
    _RANK, Column("total", "費用計", "Total cost", "yen"),
    Column("saving", "削減額 (全団体単独比)", "Saving against everyone alone", "yen"), _EXTRA,
    Column("shared_groups", "共同利用グループ数", "Shared groups", "count"),
    Column("groups", "グループ構成", "Groups", "text"), _FEASIBLE,
    Column("all_in_core", "全グループがコアに属する", "All groups in the core", "flag"),
)
_GROUP_COLUMNS = (
    _RANK, _GROUP, Column("members", "構成団体", "Members", "text"), Column("size", "団体数", "Size", "count"),
    Column("cost", "グループの費用", "Group cost", "yen"), col("standalone"),
    Column("saving", "削減額", "Saving", "yen"), _FEASIBLE,
    Column("core_excess", "最大超過額 (コア判定)", "Largest excess (core test)", "yen"),
    Column("blocking_subgroup", "単独で得をする部分集団", "Blocking subgroup", "text"),
)
_WHY_COLUMNS = (Column("alternative", "案", "Alternative", "text"), Column("total", "費用計", "Total cost", "yen"),
                _EXTRA, Column("why_not", "選ばなかった理由", "Why not chosen", "text"))


@attrs.frozen(kw_only=True, slots=True)
class GroupOutcome:
    """One group of a grouping: its cost, each member's share under the rule, and its stability.

    Attributes
    ----------
    members
        Codes of the members (in candidate order).
    cost
        The group's cost (a single candidate: its current cost). [yen]
    standalone
        What the members pay alone together (their current costs). [yen]
    shares
        Each member's share of :attr:`cost` under the council's rule (a member alone: its current
        cost). [yen]
    caps
        Each member's guaranteed maximum under the rule (最低保障), or ``None`` without a guarantee. [yen]
    guarantee_feasible
        Whether the rule can give every member its guaranteed minimum reduction (the caps add up
        to at least the cost); ``None`` for a member alone or without a guarantee.
    core_excess
        The largest saving a proper subgroup would make by procuring on its own, given the shares
        (``<= 0``: in the core, コア); ``None`` for a member alone. [yen]
    blocking
        The subgroup with that excess (codes), if it is positive.
    """

    members: tuple[str, ...]
    cost: int
    standalone: int
    shares: tuple[int, ...]
    caps: tuple[int, ...] | None
    guarantee_feasible: bool | None
    core_excess: int | None
    blocking: tuple[str, ...] = ()

    @property
    def saving(self) -> int:
        """``standalone - cost``. [yen]"""
        return self.standalone - self.cost

    @property
    def in_core(self) -> bool | None:
        """Whether no subgroup would be better off alone (``None`` for a member alone)."""
        return None if self.core_excess is None else self.core_excess <= 0


@attrs.frozen(kw_only=True, slots=True)
class Grouping:
    """One partition of the candidates, ranked by total cost.

    Attributes
    ----------
    rank
        1 for the best.
    total
        Total cost of all groups (candidates alone at their current cost). [yen]
    groups
        The groups, largest saving first.
    """

    rank: int
    total: int
    groups: tuple[GroupOutcome, ...]

    @property
    def shared(self) -> tuple[GroupOutcome, ...]:
        """The groups of two or more members."""
        return tuple(g for g in self.groups if len(g.members) > 1)


@attrs.frozen(kw_only=True, slots=True)
class SelectionReport(TableView):
    """Which candidates should share one cloud: the best groupings and why.

    Attributes
    ----------
    pool
        Name of the candidate pool.
    codes, names
        Candidates in order.
    current_costs
        Each candidate's current cost (現行経費). [yen]
    estimated
        Whether the current cost is the cost model's estimate.
    groupings
        The best partitions, best first (:attr:`Grouping.rank`).
    alone_total
        Every candidate alone: the sum of the current costs. [yen]
    grand_total
        All candidates in one group, at the cost model's price. [yen]
    grand_excluded
        Why the one-group solution is not permitted (empty if it is).
    constraints
        ``(constraint, groups it excludes, best total without it)`` for each active constraint:
        what the constraint costs. [groups, yen]
    conditions
        The conditions on a group, in one line.
    rule, cost_rule
        The allocation rule and the cost model, described (in Japanese).
    conditions_en, rule_en, cost_rule_en
        The conditions, the rule and the cost model in English.
    notes
        What is estimated or illustrative (in Japanese).
    notes_en
        The same in English (``()``: none given, the notes are shown as they are).
    proven_optimal
        Whether the best grouping is proven optimal (False only when ``recommend``'s
        ``time_limit`` was reached: then only the best grouping found is reported).
    lower_bound
        A proven lower bound on the best total (``None``: not computed, e.g. by an older caller;
        equal to the best total when proven). [yen]
    """

    pool: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    current_costs: tuple[int, ...]
    estimated: tuple[bool, ...]
    groupings: tuple[Grouping, ...]
    alone_total: int
    grand_total: int
    grand_excluded: tuple[str, ...]
    constraints: tuple[tuple[str, int, int], ...]
    conditions: str
    rule: str
    cost_rule: str
    notes: tuple[str, ...] = ()
    proven_optimal: bool = True
    lower_bound: int | None = None
    conditions_en: str = ""
    rule_en: str = ""
    cost_rule_en: str = ""
    notes_en: tuple[str, ...] = ()

    @property
    def gap(self) -> float:
        """``(best total - lower_bound) / best total``: 0 when proven optimal. [1]"""
        if self.proven_optimal or self.lower_bound is None or self.best.total <= 0:
            return 0.0
        return (self.best.total - self.lower_bound) / self.best.total

    def _proof(self, lang: Lang) -> list[str]:
        if self.proven_optimal:
            return []
        lb = self.lower_bound if self.lower_bound is not None else 0
        if lang == "en":
            return [f"NOT proven optimal (time limit reached): best found {self.best.total:,} yen, lower bound "
                    f"{lb:,} yen, gap {self.gap:.2%}"]
        return [f"最適性は未証明 (時間制限に到達): 見つかった最良 {self.best.total:,}円、下界 {lb:,}円、"
                f"ギャップ {self.gap:.2%}"]

    @property
    def best(self) -> Grouping:
        """The best grouping."""
        return self.groupings[0]

    def _name(self, code: str) -> str:
        return self.names[self.codes.index(code)]

    def _label(self, g: GroupOutcome) -> str:
        return "・".join(self._name(c) for c in g.members)

    def _candidates(self) -> DataTable:
        rows = []
        for gr in self.groupings:
            for k, g in enumerate(gr.groups):
                label = f"G{k + 1}" if len(g.members) > 1 else _ALONE
                for j, code in enumerate(g.members):
                    i = self.codes.index(code)
                    cur = self.current_costs[i]
                    share = g.shares[j]
                    met = None if g.caps is None or len(g.members) == 1 else share <= g.caps[j]
                    rows.append([gr.rank, label, code, self.names[i], cur, self.estimated[i], share, cur - share,
                                 Fraction(cur - share, cur) if cur else None, met, g.in_core])
        return DataTable(key="candidates", title=f"{self.pool}: 候補団体ごとの負担額と削減額",
                         title_en=f"{self.pool}: each candidate's share and reduction", columns=_CANDIDATE_COLUMNS,
                         rows=rows, sheet="候補団体", sheet_en="Candidates")

    def _ranking(self) -> DataTable:
        best = self.best.total
        rows = []
        for gr in self.groupings:
            shared = gr.shared
            feas = [g.guarantee_feasible for g in shared if g.guarantee_feasible is not None]
            rows.append([gr.rank, gr.total, self.alone_total - gr.total, gr.total - best, len(shared),
                         " | ".join(self._label(g) for g in shared) or "(全団体が単独)",
                         all(feas) if feas else None, all(bool(g.in_core) for g in shared)])
        return DataTable(key="ranking", title=f"{self.pool}: グループ分けの順位", title_en=f"{self.pool}: ranked groupings",
                         columns=_RANKING_COLUMNS, rows=rows, sheet="順位", sheet_en="Ranking", index="rank")

    def _groups(self) -> DataTable:
        rows = []
        for gr in self.groupings:
            for k, g in enumerate(gr.shared):
                rows.append([gr.rank, f"G{k + 1}", self._label(g), len(g.members), g.cost, g.standalone,
                             g.saving, g.guarantee_feasible, g.core_excess, "・".join(map(self._name, g.blocking))])
        return DataTable(key="groups", title=f"{self.pool}: 共同利用グループ", title_en=f"{self.pool}: shared groups",
                         columns=_GROUP_COLUMNS, rows=rows, sheet="グループ", sheet_en="Groups")

    def _why(self) -> DataTable:
        best = self.best.total
        rows: list[list[Any]] = [["全団体が単独で調達", self.alone_total, self.alone_total - best, "条件を満たす"]]
        rows.append(["全候補団体で1グループ", self.grand_total, self.grand_total - best,
                     "、".join(f"条件「{_CONDITION_JA.get(c, c)}」を満たさない" for c in self.grand_excluded)
                     or "条件を満たす"])
        for gr in self.groupings[1:]:
            rows.append([f"第{gr.rank}案", gr.total, gr.total - best, "条件を満たすが費用が高い"])
        for name, excluded, without in self.constraints:
            rows.append([f"条件「{_CONDITION_JA.get(name, name)}」を外した場合", without, without - best,
                         f"この条件で除外されるグループ: {excluded:,}"])
        return DataTable(key="alternatives", title=f"{self.pool}: ほかの案を選ばなかった理由",
                         title_en=f"{self.pool}: why the alternatives were not chosen", columns=_WHY_COLUMNS,
                         rows=rows, sheet="ほかの案", sheet_en="Alternatives")

    def views(self) -> tuple[DataTable, ...]:
        """``candidates`` (each candidate's group, share and reduction in every ranked grouping),
        ``ranking``, ``groups`` and ``alternatives`` (why others were not chosen)."""
        return self._candidates(), self._ranking(), self._groups(), self._why()

    def _title(self, lang: Lang = "ja") -> str:
        if lang == "en":
            return f"participant selection (参加団体の選定): {self.pool}"
        return f"参加団体の選定: {self.pool}"

    def summary(self, lang: Lang = "ja") -> str:
        """The recommendation in a few lines (Japanese; ``lang="en"``: English)."""
        b = self.best
        alone = [self._name(g.members[0]) for g in b.groups if len(g.members) == 1]
        if lang == "en":
            lines = [self._title("en"), f"conditions: {self.conditions_en or self.conditions}",
                     f"cost model: {self.cost_rule_en or self.cost_rule}", f"rule: {self.rule_en or self.rule}",
                     f"best grouping: {b.total:,} yen, saving {self.alone_total - b.total:,} yen against everyone "
                     f"alone ({self.alone_total:,} yen)"]
            for k, g in enumerate(b.shared):
                lines.append(f"  G{k + 1}: {self._label(g)} - cost {g.cost:,} yen, saving {g.saving:,} yen"
                             + ("" if g.guarantee_feasible is not False else "; the guarantee cannot be met")
                             + ("" if g.in_core else f"; NOT in the core: {'・'.join(map(self._name, g.blocking))} "
                                f"would save {g.core_excess:,} yen alone"))
            if alone:
                lines.append(f"  alone: {', '.join(alone)}")
            return "\n".join(lines + self._proof("en") + [f"note: {x}" for x in self.notes_en or self.notes])
        lines = [self._title("ja"), f"条件: {self.conditions}", f"費用モデル: {self.cost_rule}",
                 f"按分ルール: {self.rule}",
                 f"最良のグループ分け: 費用計 {b.total:,}円、全団体が単独の場合 ({self.alone_total:,}円) より "
                 f"{self.alone_total - b.total:,}円 削減"]
        for k, g in enumerate(b.shared):
            lines.append(f"  G{k + 1}: {self._label(g)} - 費用 {g.cost:,}円、削減額 {g.saving:,}円"
                         + ("" if g.guarantee_feasible is not False else "、最低保障を満たせません")
                         + ("" if g.in_core else f"、コアに属しません: {'・'.join(map(self._name, g.blocking))} は"
                            f"単独で {g.core_excess:,}円 得をします"))
        if alone:
            lines.append(f"  単独: {'、'.join(alone)}")
        return "\n".join(lines + self._proof("ja") + [f"注: {x}" for x in self.notes])

    def __str__(self) -> str:
        return self.to_text()
