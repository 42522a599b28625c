"""Recommend groupings: the cheapest partitions of the candidates under the council's conditions.

The domain layer of the selection topic: it turns a :class:`SelectionProblem` into arrays once
(the cost of every group from the cost model, one boolean mask per condition), calls the exact
kernel :func:`best_partition` for the best partition and for the next best ones (Lawler's
ranking: each next solution forces the first groups of a ranked one and forbids the following
group), splits each group's cost by the council's rule with
:func:`jichitai_cloud.allocation.split_costs`, tests each group's stability with
:func:`jichitai_cloud.games.core_violation`, and wraps everything in a :class:`SelectionReport`.

References
----------
Lawler, E. L. (1972). A procedure for computing the K best solutions to discrete optimization
problems and its application to the shortest path problem. *Management Science* 18(7), 401-405.
"""

from __future__ import annotations

import heapq
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from .._display import Lang
from ..allocation import AllocationRule, guarantee_caps, split_costs
from ..errors import SelectionError
from ..games import coalition_sums, core_violation, restrict
from ..model import Municipality
from ._kernels import (
    MAX_COST,
    best_partition,
    contiguous_groups,
    diameter_groups,
    partition_search,
    window_groups,
)
from ._problem import SelectionProblem
from ._report import Grouping, GroupOutcome, SelectionReport

__all__ = ["condition_masks", "ranked_partitions", "recommend"]

I64 = NDArray[np.int64]
Bool = NDArray[np.bool_]


def _bits_of(mask: int, n: int) -> list[int]:
    return [i for i in range(n) if (mask >> i) & 1]


def condition_masks(problem: SelectionProblem, costs: I64, *, max_size: int | None = None) -> dict[str, Bool]:
    """One boolean mask over all groups (indexed by bitmask) per active condition of the pool.

    Parameters
    ----------
    problem
        The selection problem.
    costs
        The cost of every group, shape ``(2**n,)``. [yen]
    max_size
        Overrides the pool's :attr:`~jichitai_cloud.model.SelectionConstraints.max_size`. [candidates]

    Returns
    -------
    dict
        ``{"size": ..., "contract window": ..., "contiguity": ..., "distance": ..., "guarantee": ...}``
        for the conditions that are set; True where the group satisfies it.
    """
    con = problem.pool.constraints
    n = len(problem.codes)
    out: dict[str, Bool] = {}
    size = max_size if max_size is not None else con.max_size
    if size is not None and size < n:
        out["size"] = coalition_sums(np.ones(n, dtype=np.int64)) <= size
    if con.contract_window is not None:
        out["contract window"] = window_groups(problem.contract_months(), con.contract_window)
    if con.contiguous and n > 1:
        out["contiguity"] = contiguous_groups(problem.adjacency())
    if con.max_distance is not None:
        out["distance"] = diameter_groups(problem.distances(), con.max_distance)
    if con.require_guarantee and problem.rule.min_reduction is not None:
        out["guarantee"] = _guarantee_mask(problem.members(), problem.rule, costs)
    return out


def _caps(members: tuple[Municipality, ...] | list[Municipality], rule: AllocationRule) -> I64 | None:
    factor = rule.cap_factor()
    if factor is None:
        return None
    f = Fraction(factor)
    return guarantee_caps([m.current_cost for m in members], f.numerator, f.denominator)


def _guarantee_mask(members: tuple[Municipality, ...], rule: AllocationRule, costs: I64) -> Bool:
    caps = _caps(members, rule)
    assert caps is not None
    ok: Bool = coalition_sums(caps) >= costs
    return ok


def _solve(costs: I64, allowed: Bool, size: int | None, forced: tuple[int, ...],
           forbidden: tuple[int, ...]) -> tuple[int, tuple[int, ...]] | None:
    """Best partition with ``forced`` groups in it and ``forbidden`` groups out (None if impossible)."""
    n = int(costs.size).bit_length() - 1
    covered = 0
    for g in forced:
        covered |= g
    keep = [i for i in range(n) if not (covered >> i) & 1]
    if not keep:
        return int(costs[list(forced)].sum()), forced
    sub_c = np.array(restrict(costs, keep))
    sub_a = np.array(restrict(allowed, keep))
    position = {i: j for j, i in enumerate(keep)}
    banned_single = set()
    for g in forbidden:
        if g & covered:
            continue
        sg = sum(1 << position[i] for i in _bits_of(g, n))
        if sg & (sg - 1):
            sub_a[sg] = False
        else:
            sub_c[sg] = MAX_COST  # a single candidate cannot be forbidden in the kernel: price it out
            banned_single.add(sg)
    groups = best_partition(sub_c, max_size=size, allowed=sub_a)
    if any(int(g) in banned_single for g in groups):
        return None
    full = tuple(sum(1 << keep[j] for j in _bits_of(int(g), len(keep))) for g in groups)
    chosen = forced + full
    return int(costs[list(chosen)].sum()), chosen


def ranked_partitions(costs: I64, allowed: Bool, *, max_size: int | None = None,
                      top: int = 3) -> list[tuple[int, tuple[int, ...]]]:
    """The ``top`` cheapest partitions permitted by ``allowed`` (Lawler's K-best procedure).

    Parameters
    ----------
    costs
        The cost of every group, shape ``(2**n,)``. [yen]
    allowed
        Permitted groups (single candidates always are).
    max_size
        Most members in a group. [candidates]
    top
        How many partitions (fewer if fewer exist).

    Returns
    -------
    list of (total, groups)
        Totals in yen, groups as bitmasks; cheapest first, distinct partitions.
    """
    first = _solve(costs, allowed, max_size, (), ())
    assert first is not None
    heap: list[tuple[int, int, tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = [
        (first[0], 0, (), (), first[1])]
    out: list[tuple[int, tuple[int, ...]]] = []
    counter = 1
    while heap and len(out) < top:  # at most `top` rounds, each solving at most n sub-problems
        total, _, forced, forbidden, groups = heapq.heappop(heap)
        out.append((total, tuple(sorted(groups))))
        free = [g for g in groups if g not in forced]
        for i, g in enumerate(free):
            child = _solve(costs, allowed, max_size, forced + tuple(free[:i]), (*forbidden, g))
            if child is not None:
                heapq.heappush(heap, (child[0], counter, forced + tuple(free[:i]), (*forbidden, g), child[1]))
                counter += 1
    return out


def _outcome(g: int, problem: SelectionProblem, members: tuple[Municipality, ...], costs: I64,
             caps: I64 | None) -> GroupOutcome:
    n = len(members)
    idx = _bits_of(g, n)
    codes = tuple(members[i].code for i in idx)
    current = [members[i].current_cost for i in idx]
    cost = int(costs[g])
    if len(idx) == 1:
        return GroupOutcome(members=codes, cost=cost, standalone=current[0], shares=(cost,),
                            caps=None if caps is None else (int(caps[idx[0]]),), guarantee_feasible=None,
                            core_excess=None)
    rule = problem.rule
    drivers = np.array([[members[i].driver(d) for d in rule.drivers] for i in idx], dtype=np.float64)
    group_caps = None if caps is None else caps[idx]
    feasible = None if group_caps is None else int(group_caps.sum()) >= cost
    shares = split_costs(cost, drivers, rule.weights, caps=group_caps if feasible else None)
    mask, excess = core_violation(restrict(costs, idx), shares.astype(np.int64))
    excess_i = int(excess)
    blocking = tuple(codes[j] for j in _bits_of(int(mask), len(idx))) if excess_i > 0 else ()
    return GroupOutcome(members=codes, cost=cost, standalone=sum(current), shares=tuple(int(x) for x in shares),
                        caps=None if group_caps is None else tuple(int(x) for x in group_caps),
                        guarantee_feasible=feasible, core_excess=excess_i, blocking=blocking)


def recommend(problem: SelectionProblem, *, top: int = 3, max_size: int | None = None,
              time_limit: float | None = None, method: str = "auto") -> SelectionReport:
    """Rank the best groupings of the candidates and explain them.

    Parameters
    ----------
    problem
        Candidates, conditions, cost model and the council's rule.
    top
        How many groupings to rank (1 to 20).
    max_size
        Overrides the pool's largest group. [candidates]
    time_limit
        Limit on the search for the best grouping (``None``: none).  If it is reached, the report
        holds the best grouping found only (no ranking, no condition effects), with
        ``proven_optimal=False``, the proven ``lower_bound`` and the ``gap``. [s]
    method
        ``"auto"``, ``"dp"`` or ``"milp"`` (:func:`partition_search`); the same result from each.

    Returns
    -------
    SelectionReport
        For each ranked grouping: every candidate's group, its share under the rule and its
        reduction; each group's saving, whether the guarantee can be met and whether it is in
        the core; and why the alternatives (everyone alone, one group of all, each condition
        dropped) were not chosen.

    Raises
    ------
    SelectionError
        More than 24 candidates (list the groups and use :func:`best_partition_from_groups`).
    ValidationError
        ``top`` or ``max_size`` out of range.

    Examples
    --------
    >>> from jichitai_cloud import examples
    >>> report = recommend(examples.toyama_selection())
    >>> report.best.total < report.alone_total
    True
    """
    if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= 20:
        raise SelectionError(f"top must be an integer from 1 to 20, got {top!r}")
    if max_size is not None and (isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1):
        raise SelectionError(f"max_size must be an integer >= 1 [candidates], got {max_size!r}")
    cc = problem.coalition_costs()
    costs = np.asarray(cc.costs, dtype=np.int64)
    members = problem.members()
    n = len(members)
    size = max_size if max_size is not None else problem.pool.constraints.max_size
    masks = condition_masks(problem, costs, max_size=size)
    allowed = np.ones(costs.size, dtype=bool)
    for m in masks.values():
        allowed &= m
    first = partition_search(costs, max_size=size, allowed=allowed, method=method, time_limit=time_limit)
    if first.proven_optimal:
        ranked = ranked_partitions(costs, allowed, max_size=size, top=top)
    else:
        ranked = [(first.total, tuple(int(g) for g in first.groups))]
    caps = _caps(members, problem.rule)
    groupings = []
    for rank, (total, groups) in enumerate(ranked, start=1):
        outcomes = [_outcome(g, problem, members, costs, caps) for g in groups]
        outcomes.sort(key=lambda o: (-o.saving, o.members))
        groupings.append(Grouping(rank=rank, total=total, groups=tuple(outcomes)))
    full = (1 << n) - 1
    multi = coalition_sums(np.ones(n, dtype=np.int64)) >= 2
    excluded_grand = [name for name, m in masks.items() if not m[full]] if n > 1 else []
    effects = []
    for name, m in (masks.items() if first.proven_optimal else ()):
        rest = np.ones(costs.size, dtype=bool)
        for other, mm in masks.items():
            if other != name:
                rest &= mm
        without = best_partition(costs, max_size=None if name == "size" else size, allowed=rest)
        effects.append((name, int((~m & multi).sum()), int(costs[without].sum())))
    notes_en = cc.notes_in("en")
    notes = list(zip(cc.notes, notes_en if len(notes_en) == len(cc.notes) else cc.notes, strict=True))
    est = problem.estimated()
    if any(est):
        who = "、".join(c.name for c, e in zip(problem.pool.candidates, est, strict=True) if e)
        notes.append((f"現行経費は費用モデルによる推計です: {who}。",
                      f"current cost estimated by the cost model for {who}"))
    if problem.pool.notes:
        notes.append((problem.pool.notes, problem.pool.notes))
    return SelectionReport(
        pool=problem.pool.name, codes=problem.codes, names=tuple(c.name for c in problem.pool.candidates),
        current_costs=tuple(m.current_cost for m in members), estimated=est, groupings=tuple(groupings),
        alone_total=int(sum(m.current_cost for m in members)), grand_total=int(costs[full]),
        grand_excluded=tuple(excluded_grand), constraints=tuple(effects),
        conditions=_conditions(problem, size, "ja"), rule=problem.rule.describe("ja"), cost_rule=cc.rule,
        notes=tuple(ja for ja, _ in notes), proven_optimal=first.proven_optimal, lower_bound=first.lower_bound,
        conditions_en=_conditions(problem, size, "en"), rule_en=problem.rule.describe("en"),
        cost_rule_en=cc.rule_in("en"), notes_en=tuple(en for _, en in notes))


def _conditions(problem: SelectionProblem, size: int | None, lang: Lang) -> str:
    import attrs

    con = problem.pool.constraints
    if size != con.max_size:
        con = attrs.evolve(con, max_size=size)
    return con.describe(lang)
