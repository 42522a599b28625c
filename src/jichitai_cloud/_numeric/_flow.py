"""Exact min-cost transportation with unit supplies: members into capacitated groups, integer costs.

``assign_groups(cost, usable, capacity)`` ships each of ``N`` members (supply 1) to one of ``G`` groups
(each holding at most ``capacity`` members) at least total cost, exactly in int64.  Two routes give the
same optimum:

* ``"ortools"``: OR-Tools' min-cost flow (``ortools.graph.python.min_cost_flow``, the optional extra
  ``jichitai-cloud[solvers]``) on the bipartite graph members → groups → sink, first on a few arcs per
  member (its cheapest groups and a greedy plan's group), grown until group prices prove the plan
  optimal for every arc (LP duality; :func:`_ortools`), so OR-Tools sees a fraction of the ``N × G``
  arcs: at 1,741 members × 120 groups three solves on about 14,000–22,000 arcs instead of one on
  208,920;
* ``"numpy"``: successive shortest paths on the ``G`` group nodes, vectorised over members.  Every
  member starts in its cheapest group (optimal ignoring capacity, so every residual arc costs >= 0);
  each step moves one unit of overflow along a shortest path (Bellman-Ford over the dense ``G × G``
  matrix whose arc ``g → h`` costs ``min over members in g of cost[i, h] − cost[i, g]``) to a group
  with room.  Successive shortest paths keep the flow optimal for its value (Ahuja, Magnanti & Orlin
  1993, §9.7), so the last step gives the exact optimum.

``"auto"`` takes OR-Tools when it is installed, the costs fit its range and more than
:data:`_NUMPY_OVERFLOW` members overflow their cheapest groups; numpy otherwise.

References
----------
Ahuja, R. K., Magnanti, T. L., Orlin, J. B. (1993). Network Flows. Prentice Hall, ch. 9.
"""

from __future__ import annotations

import importlib.util
import itertools
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import InfeasibleAllocation, ValidationError

__all__ = ["FLOW_METHODS", "assign_groups", "ortools_available"]

FLOW_METHODS = ("auto", "ortools", "numpy")
"""Routes of :func:`assign_groups`."""

_BIG = np.int64(2**61)
_NO_ARC = np.int64(2**62 - 1)
_FAR = np.int64(2**62)
_ORTOOLS_LIMIT = 2**62
"""OR-Tools refuses costs whose magnitude times (nodes + 1) overflows int64."""
_FIRST_ARCS = 8
"""Arcs per member (its cheapest groups) in the first OR-Tools solve, and added per member after it."""
_PRUNE_FROM = 20_000
"""Usable arcs from which the OR-Tools route prunes arcs; below, one solve on all arcs is as quick
(300 x 120: 8 ms pruned against 13 ms on all arcs).  When members take more than :data:`_TIGHT` of the
slots, from five times as many (450 members in 500 slots: four pruned solves, 26 ms against 15 ms)."""
_TIGHT = 0.85
_MAX_ROUNDS = 6
"""OR-Tools solves on growing arc sets before the full graph is solved."""
_NUMPY_OVERFLOW = 32
"""``"auto"`` takes the numpy route when at most this many members overflow their cheapest groups: a
shortest path each (about 0.4 ms at 1,741 members x 120 groups) beats one OR-Tools solve (about 15 ms)."""


def ortools_available() -> bool:
    """Whether ``ortools`` (the optional extra ``solvers``) is installed."""
    return importlib.util.find_spec("ortools") is not None


def assign_groups(cost: NDArray[np.int64], usable: NDArray[np.bool_], capacity: int,
                  method: str = "auto") -> NDArray[np.int64]:
    """The group of each member at least total cost, each group holding at most ``capacity`` members.

    Parameters
    ----------
    cost
        ``(N, G)`` int64, >= 0 where ``usable``; what member ``i`` costs in group ``g``. [yen]
    usable
        ``(N, G)`` bool: ``True`` where member ``i`` may go to group ``g``.
    capacity
        Most members in one group. [members]
    method
        ``"auto"``, ``"ortools"`` or ``"numpy"`` (see the module).

    Returns
    -------
    numpy.ndarray
        ``(N,)`` int64 group of each member.

    Raises
    ------
    InfeasibleAllocation
        If no assignment meets the capacity and ``usable``.
    ValidationError
        An unknown method, ``"ortools"`` without OR-Tools, or costs out of the solver's exact range.
    """
    if method not in FLOW_METHODS:
        raise ValidationError(f"method must be one of {', '.join(FLOW_METHODS)}, got {method!r}")
    n, g = cost.shape
    top = int(np.where(usable, cost, 0).max(initial=0))
    fits_ortools = top * (n + g + 3) < _ORTOOLS_LIMIT
    if method == "ortools" and not ortools_available():
        raise ValidationError("method='ortools' needs OR-Tools: pip install 'jichitai-cloud[solvers]' "
                              "(or pip install ortools)")
    if method == "ortools" and not fits_ortools:
        raise ValidationError(f"costs up to {top:,} over {n + g + 2} nodes are out of OR-Tools' exact range; "
                              "use method='numpy'")
    stuck = ~usable.any(axis=1)
    if stuck.any():
        raise InfeasibleAllocation(f"{int(stuck.sum())} member(s) (rows {np.flatnonzero(stuck)[:10].tolist()}) may use "
                                   "no group")
    if method == "auto" and fits_ortools and ortools_available():
        cheapest = np.argmin(np.where(usable, cost, _BIG), axis=1)
        overflow = int(np.maximum(np.bincount(cheapest, minlength=g) - capacity, 0).sum())
        method = "numpy" if overflow <= _NUMPY_OVERFLOW else "ortools"
    if method == "ortools":
        return _ortools(cost, usable, capacity)
    if top * (g + 2) >= int(_BIG):
        raise ValidationError(f"costs up to {top:,} over {g} groups overflow the exact 64-bit path lengths")
    return _numpy(cost, usable, capacity)


def _ortools(cost: NDArray[np.int64], usable: NDArray[np.bool_], capacity: int,
             first: int = _FIRST_ARCS, prune_from: int = _PRUNE_FROM) -> NDArray[np.int64]:
    """OR-Tools on a few arcs per member, grown until a price certificate proves the plan optimal.

    A member rarely ends far from its cheapest groups, and OR-Tools' time grows with the arcs, so the
    first solve gives each member its ``first`` cheapest groups, the group a greedy plan gives it
    (:func:`_greedy`) and an arc to a dummy group (dearer than any of its arcs, unbounded) that keeps
    the pruned problem feasible.  After each solve the least group prices ``p >= 0`` under which every
    member sits in its cheapest group *among its arcs* are found by Bellman-Ford on the ``G`` groups
    (:func:`_prices`).  If no member is on the dummy, no member would be cheaper in any usable group
    at these prices and only full groups have a positive price, then ``p`` is an optimal dual of the
    whole problem (dual feasible and complementary: LP duality), so the plan is optimal — exactly,
    ties included, since it is an optimum of the same integer costs.  Otherwise the arcs that break
    the certificate are added (after the first solve also each member's ``first`` cheapest groups at
    these prices; for a member left on the dummy, its ``first`` cheapest groups at these prices) and
    the solve repeats.  After :data:`_MAX_ROUNDS` solves, or if nothing can be added, the full graph is
    solved (which also reports infeasibility).  Below ``prune_from`` usable arcs (five times that when
    the members take most slots) the full graph is solved at once.
    """
    n, g = cost.shape
    c = np.where(usable, cost, _BIG)
    top = int(np.where(usable, cost, 0).max(initial=0))
    k = min(first, g)
    arcs = int(usable.sum())
    tight = n > _TIGHT * capacity * int(usable.any(axis=0).sum())  # most slots taken: more rounds
    if (k >= g or arcs < prune_from or (tight and arcs < 5 * prune_from)
            or (top + 1) * (n + g + 4) >= _ORTOOLS_LIMIT or 2 * (top + 1) * (g + 2) >= int(_BIG)):
        return _ortools_full(cost, usable, capacity, c, top)
    sel = _cheapest(c, k)
    placed = _greedy(c, capacity)
    ok = placed >= 0
    sel[np.flatnonzero(ok), placed[ok]] = True
    sel &= usable
    c_sel = np.where(sel, c, _BIG)  # the costs of the arcs in the solve, _BIG elsewhere
    for round_ in range(_MAX_ROUNDS):
        # the dummy just above every arc of this solve: larger costs can make OR-Tools' prices overflow
        # (a dummy at twice the largest cost of all arcs gave a plan worse than the optimum, "OPTIMAL")
        group = _ortools_solve(cost, sel, capacity, int(np.max(c_sel, where=sel, initial=0)) + 1)
        on_dummy = group == g
        real = np.where(on_dummy, 0, group)
        p = _prices(c_sel, group, ~on_dummy)
        if p is None:  # not expected: the solve was optimal on its arcs
            break
        red = c + p[None, :]  # reduced costs: what each move would save at these prices (_BIG + p: none)
        here = np.where(on_dummy, red.min(axis=1), red[np.arange(n), real])
        red -= here[:, None]
        count = np.bincount(group[~on_dummy], minlength=g)
        add = red < 0
        if not on_dummy.any() and not add.any() and not (p[count < capacity] > 0).any():
            return group
        if round_ == 0:
            add |= _cheapest(red, k) & usable
        if on_dummy.any():
            who = np.flatnonzero(on_dummy)
            add[who] |= _cheapest(red[who], k) & usable[who]
        add &= ~sel
        if not add.any():
            break
        sel |= add
        c_sel[add] = c[add]
    return _ortools_full(cost, usable, capacity, c, top)


def _ortools_full(cost: NDArray[np.int64], usable: NDArray[np.bool_], capacity: int, c: NDArray[np.int64],
                  top: int) -> NDArray[np.int64]:
    """OR-Tools on every arc; checked by the price certificate when its prices could overflow.

    OR-Tools accepts costs up to ``2**63 / (nodes + 1)`` but its prices move by up to about ``nodes``
    times that; past ``top · nodes² >= 2**62`` its answer is checked and, if not proven optimal, the
    numpy route (exact in int64 over path lengths) answers instead.
    """
    n, g = cost.shape
    group = _ortools_solve(cost, usable, capacity, None)
    if top * (n + g + 2) ** 2 < 2**62:
        return group
    p = _prices(c, group, np.ones(n, dtype=np.bool_))
    count = np.bincount(group, minlength=g)
    if p is not None and not (p[count < capacity] > 0).any():
        return group
    if top * (g + 2) >= int(_BIG):
        raise ValidationError(f"costs up to {top:,} over {n + g + 2} nodes are beyond an exact solve")
    return _numpy(cost, usable, capacity)


def _cheapest(values: NDArray[np.int64], k: int) -> NDArray[np.bool_]:
    """``True`` at the ``k`` least entries of each row."""
    out = np.zeros(values.shape, dtype=np.bool_)
    out[np.arange(values.shape[0])[:, None], np.argpartition(values, k - 1, axis=1)[:, :k]] = True
    return out


def _ortools_solve(cost: NDArray[np.int64], arcs: NDArray[np.bool_], capacity: int,
                   dummy: int | None) -> NDArray[np.int64]:
    """OR-Tools' min-cost flow on the member → group arcs where ``arcs``; group ``G`` is the dummy."""
    from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped,import-not-found,unused-ignore]

    n, g = cost.shape
    flow: Any = min_cost_flow.SimpleMinCostFlow()
    rows, cols = np.nonzero(arcs)
    extra = 0 if dummy is None else 1
    sink = n + g + extra
    flow.add_arcs_with_capacity_and_unit_cost(rows, n + cols, np.ones(rows.size, dtype=np.int64), cost[rows, cols])
    if dummy is not None:
        flow.add_arcs_with_capacity_and_unit_cost(np.arange(n), np.full(n, n + g), np.ones(n, dtype=np.int64),
                                                  np.full(n, dummy, dtype=np.int64))
    caps = np.full(g + extra, capacity, dtype=np.int64)
    caps[g:] = n
    flow.add_arcs_with_capacity_and_unit_cost(n + np.arange(g + extra), np.full(g + extra, sink), caps,
                                              np.zeros(g + extra, dtype=np.int64))
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n] = 1
    supplies[sink] = -n
    flow.set_nodes_supplies(np.arange(sink + 1), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise InfeasibleAllocation(f"no assignment of {n} members to groups of capacity {capacity} within their "
                                   f"allowed months (OR-Tools: {status})")
    used = np.asarray(flow.flows(np.arange(rows.size))) > 0
    out = np.full(n, g, dtype=np.int64)
    out[rows[used]] = cols[used]
    return out


def _prices(c: NDArray[np.int64], group: NDArray[np.int64], placed: NDArray[np.bool_]) -> NDArray[np.int64] | None:
    """Least group prices ``p >= 0`` with ``c[i, group_i] + p[group_i] <= c[i, h] + p[h]`` for all ``h``.

    ``c`` holds ``_BIG`` where member ``i`` has no arc to ``h`` (then ``c[i, h] - c[i, group_i]`` is
    above ``2**61 - top`` and, with paths no longer than ``G * top``, never sets a price).  Difference
    constraints ``p[h] >= p[a] - (c[i, h] - c[i, a])`` for member ``i`` in group ``a``: the least
    solution is minus the shortest distances from 0 (Bellman-Ford over the ``G × G`` matrix of the
    cheapest move from each group to each other).  Only ``placed`` members count.  ``None`` if a negative
    cycle shows the plan is not optimal on its arcs (not expected from an optimal solve).
    """
    g = c.shape[1]
    idx = np.flatnonzero(placed)
    grp = group[idx]
    order = np.argsort(grp, kind="stable")
    idx, grp = idx[order], grp[order]
    present, first = np.unique(grp, return_index=True)
    dist = np.full((g, g), _BIG, dtype=np.int64)
    if idx.size:
        sub = c[idx]
        sub -= sub[np.arange(idx.size), grp][:, None]
        dist[present] = np.minimum.reduceat(sub, first, axis=0)
    np.fill_diagonal(dist, _BIG)
    q = np.zeros(g, dtype=np.int64)
    rows = present  # only groups with members have arcs out; then only those whose distance fell
    for _ in range(g + 1):
        if rows.size == 0:
            out: NDArray[np.int64] = -q
            return out
        nq = np.minimum(q, (q[rows, None] + dist[rows]).min(axis=0))
        rows = np.flatnonzero(nq < q)
        q = nq
    return None


def _numpy(cost: NDArray[np.int64], usable: NDArray[np.bool_], capacity: int) -> NDArray[np.int64]:
    n, g = cost.shape
    # Sentinels: an unusable group costs _NO_ARC, so a move into it costs more than 2**62 - 1 - top,
    # and any path through it ends above _BIG = 2**61 (real paths stay within G * top < _BIG in
    # magnitude); an unreached group starts at _FAR; no sum d + dist passes 2**63 - 1.
    c = np.where(usable, cost, _NO_ARC)
    group = np.argmin(c, axis=1)  # cheapest group of each member (lowest index on ties)
    count = np.bincount(group, minlength=g)
    dist = np.full((g, g), _NO_ARC, dtype=np.int64)  # dist[u, v]: cheapest move of one member of u to v
    mover = np.zeros((g, g), dtype=np.int64)
    cols = np.arange(g)

    def refresh(k: int) -> None:
        members = np.flatnonzero(group == k)
        if members.size == 0:
            dist[k] = _NO_ARC
            return
        delta = c[members] - c[members, k][:, None]
        best = np.argmin(delta, axis=0)  # lowest member index on ties
        dist[k] = delta[best, cols]
        dist[k, k] = _NO_ARC
        mover[k] = members[best]

    for k in np.unique(group):
        refresh(int(k))
    while True:
        over = count > capacity
        if not over.any():
            out: NDArray[np.int64] = group.astype(np.int64)
            return out
        d = np.where(over, 0, _FAR).astype(np.int64)
        pred = np.full(g, -1, dtype=np.int64)
        for _ in range(g + 1):  # Bellman-Ford, all rows at once; no negative cycle (optimality)
            cand = d[:, None] + dist
            via = np.argmin(cand, axis=0)
            nd = cand[via, cols]
            better = nd < d
            if not better.any():
                break
            d = np.where(better, nd, d)
            pred = np.where(better, via, pred)
        room = (count < capacity) & (d < _BIG)  # reached without an unusable move
        if not room.any():
            raise InfeasibleAllocation(f"no assignment of {n} members to groups of capacity {capacity} within "
                                       "their allowed months")
        target = int(np.argmin(np.where(room, d, _FAR)))
        path = [target]
        while pred[path[-1]] >= 0:
            path.append(int(pred[path[-1]]))
        path.reverse()
        for u, v in itertools.pairwise(path):
            group[mover[u, v]] = v
        count[path[0]] -= 1
        count[target] += 1
        for k in set(path):
            refresh(k)


def _greedy(c: NDArray[np.int64], capacity: int) -> NDArray[np.int64]:
    """A feasible plan, greedily: in waves, members take their cheapest group with room, the groups
    asked by more members than they have room keeping those who would lose most by going elsewhere.
    ``-1`` for a member left without a group."""
    n, g = c.shape
    out = np.full(n, -1, dtype=np.int64)
    left = np.full(g, capacity, dtype=np.int64)
    todo = np.arange(n)
    for _ in range(g):
        if todo.size == 0:
            break
        v = np.where((left > 0)[None, :], c[todo], _BIG)
        choice = np.argmin(v, axis=1)
        at = np.arange(todo.size)
        best = v[at, choice]
        v[at, choice] = _BIG
        can = best < _BIG
        if not can.any():
            break
        todo, choice, regret = todo[can], choice[can], (v.min(axis=1) - best)[can]
        order = np.lexsort((-regret, choice))
        ch = choice[order]
        rank = np.arange(ch.size) - np.searchsorted(ch, ch)
        take = rank < left[ch]
        out[todo[order[take]]] = ch[take]
        left -= np.bincount(ch[take], minlength=g)
        todo = np.sort(todo[order[~take]])
    return out
