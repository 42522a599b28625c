"""Exact min-cost transportation with unit supplies: members into capacitated groups, integer costs.

``assign_groups(cost, usable, capacity)`` ships each of ``N`` members (supply 1) to one of ``G`` groups
(each holding at most ``capacity`` members) at least total cost, exactly in int64.  Two routes give the
same optimum:

* ``"ortools"``: OR-Tools' min-cost flow (``ortools.graph.python.min_cost_flow``, the optional extra
  ``jichitai-cloud[solvers]``) on the bipartite graph members → groups → sink;
* ``"numpy"``: successive shortest paths on the ``G`` group nodes, vectorised over members.  Every
  member starts in its cheapest group (optimal ignoring capacity, so every residual arc costs >= 0);
  each step moves one unit of overflow along a shortest path (Bellman-Ford over the dense ``G × G``
  matrix whose arc ``g → h`` costs ``min over members in g of cost[i, h] − cost[i, g]``) to a group
  with room.  Successive shortest paths keep the flow optimal for its value (Ahuja, Magnanti & Orlin
  1993, §9.7), so the last step gives the exact optimum.

``"auto"`` takes OR-Tools when it is installed and the costs fit its range, numpy otherwise.

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
_ORTOOLS_LIMIT = 2**62
"""OR-Tools refuses costs whose magnitude times (nodes + 1) overflows int64."""


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
    if method == "ortools" or (method == "auto" and fits_ortools and ortools_available()):
        return _ortools(cost, usable, capacity)
    if top * (g + 2) >= int(_BIG):
        raise ValidationError(f"costs up to {top:,} over {g} groups overflow the exact 64-bit path lengths")
    return _numpy(cost, usable, capacity)


def _ortools(cost: NDArray[np.int64], usable: NDArray[np.bool_], capacity: int) -> NDArray[np.int64]:
    from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped,import-not-found,unused-ignore]

    n, g = cost.shape
    flow: Any = min_cost_flow.SimpleMinCostFlow()
    rows, cols = np.nonzero(usable)
    sink = n + g
    flow.add_arcs_with_capacity_and_unit_cost(rows, n + cols, np.ones(rows.size, dtype=np.int64), cost[rows, cols])
    flow.add_arcs_with_capacity_and_unit_cost(n + np.arange(g), np.full(g, sink), np.full(g, capacity, dtype=np.int64),
                                              np.zeros(g, dtype=np.int64))
    supplies = np.zeros(n + g + 1, dtype=np.int64)
    supplies[:n] = 1
    supplies[sink] = -n
    flow.set_nodes_supplies(np.arange(n + g + 1), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise InfeasibleAllocation(f"no assignment of {n} members to groups of capacity {capacity} within their "
                                   f"allowed months (OR-Tools: {status})")
    used = np.asarray(flow.flows(np.arange(rows.size))) > 0
    out = np.empty(n, dtype=np.int64)
    out[rows[used]] = cols[used]
    return out


def _numpy(cost: NDArray[np.int64], usable: NDArray[np.bool_], capacity: int) -> NDArray[np.int64]:
    n, g = cost.shape
    c = np.where(usable, cost, _BIG)
    group = np.argmin(c, axis=1)  # cheapest group of each member (lowest index on ties)
    count = np.bincount(group, minlength=g)
    dist = np.full((g, g), _BIG, dtype=np.int64)  # dist[u, v]: cheapest move of one member of u to v
    mover = np.zeros((g, g), dtype=np.int64)
    cols = np.arange(g)

    def refresh(k: int) -> None:
        members = np.flatnonzero(group == k)
        if members.size == 0:
            dist[k] = _BIG
            return
        delta = c[members] - c[members, k][:, None]
        best = np.argmin(delta, axis=0)  # lowest member index on ties
        dist[k] = np.minimum(delta[best, cols], _BIG)
        dist[k, k] = _BIG
        mover[k] = members[best]

    for k in np.unique(group):
        refresh(int(k))
    while True:
        over = count > capacity
        if not over.any():
            out: NDArray[np.int64] = group.astype(np.int64)
            return out
        d = np.where(over, 0, _BIG).astype(np.int64)
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
        room = (count < capacity) & (d < _BIG)
        if not room.any():
            raise InfeasibleAllocation(f"no assignment of {n} members to groups of capacity {capacity} within "
                                       "their allowed months")
        target = int(np.argmin(np.where(room, d, _BIG)))
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
