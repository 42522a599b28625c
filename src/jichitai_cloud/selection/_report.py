"""The selection report: the best groupings, each candidate's group, share and reduction, and why."""

from __future__ import annotations

from typing import Any

import attrs

from .._display import Table, TableView

__all__ = ["GroupOutcome", "Grouping", "SelectionReport"]


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
        The allocation rule and the cost model, described.
    notes
        What is estimated or illustrative.
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

    _INDEX = None
    _HEADER = ("rank", "group", "code", "name", "current_cost", "estimated", "share", "reduction",
               "reduction_rate", "guarantee_met", "group_in_core")

    @property
    def best(self) -> Grouping:
        """The best grouping."""
        return self.groupings[0]

    def _name(self, code: str) -> str:
        return self.names[self.codes.index(code)]

    def _label(self, g: GroupOutcome) -> str:
        return "・".join(self._name(c) for c in g.members)

    def _rows(self) -> list[list[Any]]:
        rows = []
        for gr in self.groupings:
            for k, g in enumerate(gr.groups):
                label = f"G{k + 1}" if len(g.members) > 1 else "alone"
                for j, code in enumerate(g.members):
                    i = self.codes.index(code)
                    cur = self.current_costs[i]
                    share = g.shares[j]
                    met = None if g.caps is None or len(g.members) == 1 else share <= g.caps[j]
                    rows.append([gr.rank, label, code, self.names[i], cur, self.estimated[i], share, cur - share,
                                 round((cur - share) / cur, 4) if cur else 0.0, met, g.in_core])
        return rows

    def _ranking(self) -> Table:
        best = self.best.total
        rows = []
        for gr in self.groupings:
            shared = gr.shared
            feas = [g.guarantee_feasible for g in shared if g.guarantee_feasible is not None]
            rows.append([gr.rank, gr.total, self.alone_total - gr.total, gr.total - best, len(shared),
                         " | ".join(self._label(g) for g in shared) or "(everyone alone)",
                         all(feas) if feas else None, all(bool(g.in_core) for g in shared)])
        return (("rank", "total", "saving", "extra_vs_best", "shared_groups", "groups", "guarantee_feasible",
                 "all_in_core"), rows)

    def _groups(self) -> Table:
        rows = []
        for gr in self.groupings:
            for k, g in enumerate(gr.shared):
                rows.append([gr.rank, f"G{k + 1}", self._label(g), len(g.members), g.cost, g.standalone,
                             g.saving, g.guarantee_feasible, g.core_excess, "・".join(map(self._name, g.blocking))])
        return (("rank", "group", "members", "size", "cost", "standalone", "saving", "guarantee_feasible",
                 "core_excess", "blocking_subgroup"), rows)

    def _why(self) -> Table:
        best = self.best.total
        rows: list[list[Any]] = [["everyone alone", self.alone_total, self.alone_total - best, "permitted"]]
        rows.append(["all candidates in one group", self.grand_total, self.grand_total - best,
                     "; ".join(self.grand_excluded) or "permitted"])
        for gr in self.groupings[1:]:
            rows.append([f"rank {gr.rank}", gr.total, gr.total - best, "permitted, costs more"])
        for name, excluded, without in self.constraints:
            rows.append([f"without '{name}'", without, without - best,
                         f"{excluded:,} groups excluded by this condition"])
        return (("alternative", "total", "extra_vs_best", "why not chosen"), rows)

    def tables(self) -> dict[str, Table]:
        """``candidates`` (each candidate's group, share and reduction in every ranked grouping),
        ``ranking``, ``groups`` and ``alternatives`` (why others were not chosen)."""
        return {"candidates": self.table(), "ranking": self._ranking(), "groups": self._groups(),
                "alternatives": self._why()}

    def _title(self) -> str:
        return f"participant selection (参加団体の選定): {self.pool}"

    def summary(self) -> str:
        """The recommendation in a few lines."""
        b = self.best
        lines = [self._title(), f"conditions: {self.conditions}", f"cost model: {self.cost_rule}",
                 f"rule: {self.rule}",
                 f"best grouping: {b.total:,} yen, saving {self.alone_total - b.total:,} yen against everyone "
                 f"alone ({self.alone_total:,} yen)"]
        for k, g in enumerate(b.shared):
            lines.append(f"  G{k + 1}: {self._label(g)} - cost {g.cost:,} yen, saving {g.saving:,} yen"
                         + ("" if g.guarantee_feasible is not False else "; the guarantee cannot be met")
                         + ("" if g.in_core else f"; NOT in the core: {'・'.join(map(self._name, g.blocking))} would save "
                            f"{g.core_excess:,} yen alone"))
        alone = [self._name(g.members[0]) for g in b.groups if len(g.members) == 1]
        if alone:
            lines.append(f"  alone: {'、'.join(alone)}")
        return "\n".join(lines + [f"note: {x}" for x in self.notes])

    def __str__(self) -> str:
        return self.to_text()
