"""Set partitioning over the permitted groups: LP bound by column generation, reduced-cost fixing, exact search.

The route of :func:`jichitai_cloud.selection.partition_search` named ``"milp"``.  On ``n``
candidates with the cost of every group (a vector of ``2**n`` indexed by bitmask):

1. the permitted groups (size, ``allowed``, every single candidate) are listed as bitmasks by the
   caller: built size by size when they are few, else with one vectorised pass over the subset
   lattice;
2. the LP relaxation of set partitioning (``min c.x`` with ``A x = 1``, ``x >= 0``) is solved by
   column generation: HiGHS (:func:`scipy.optimize.linprog`) on a restricted set of groups, the
   reduced costs ``c - A.T y`` of *every* permitted group priced at once (a sparse product), the
   most negative added, until none is negative.  Its duals ``y`` give the bound
   ``sum(y) + n * min(0, min reduced cost)`` on every partition (Lagrangian);
3. if the LP's own solution is 0/1 (a partition) and the bound meets its cost, that is the
   optimum: no integer programme;
4. reduced-cost fixing: a partition that uses group ``g`` costs at least
   ``sum(y) + rc[g] + (n - 1) * min(0, min rc)``; the groups for which that exceeds an upper bound
   (the LP's groups above one half, the other candidates alone) are dropped;
5. if at most a few hundred groups are left, a depth-first search in integer yen (groups of the
   lowest candidate still to place in ascending bitmask order, pruned by the LP bound, failures
   memoised) at budgets rising from the LP bound, then bisecting, finds the optimum and the tie
   rule's partition together (the first partition within a budget ``b`` that costs ``c <= b`` is
   also the first within ``c``); it gives up after a fixed number of sets;
6. otherwise HiGHS's :func:`scipy.optimize.milp` on the restricted groups gives an upper bound,
   fixing again, and ``milp`` over the groups left proves the optimum (with the cut "at least
   ``ceil(n / k)`` groups" when groups may hold three or more candidates); then the tie rule: no
   tie if every group outside the chosen partition has a fixing bound above the optimum; else, with
   many groups left, HiGHS with a no-good cut tells whether another partition reaches the optimum,
   and if one does (or few groups are left) the search above finds the first partition reaching it
   -- the partition the subset dynamic programme returns.

Floating point is used only for bounds, with a safety margin; the optimum and the chosen groups
are decided in exact integer arithmetic.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["set_partition"]

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]

_ALPHA = 0.5  # Wentges smoothing of the duals: price at 0.5 * best-bound duals + 0.5 * the LP's
_SEARCH_FIRST = 400  # at most this many groups left after fixing: the tie rule's search without HiGHS first
_TIE_SEARCH = 400  # at most this many groups left at the optimum: the tie rule's search without a no-good cut
_SEARCH_NODES = 4_000  # sets the search for the optimum may visit before HiGHS's MILP takes over
_ALL_AT_ONCE = 2_000  # at most this many groups: no column generation


def _rows(masks: I64, n: int) -> Any:
    """The 0/1 constraint matrix (candidates x groups), CSR, built one candidate at a time."""
    from scipy import sparse

    idx = [np.flatnonzero((masks >> np.int64(i)) & 1).astype(np.int32) for i in range(n)]  # n passes
    indptr = np.concatenate(([0], np.cumsum([a.size for a in idx]))).astype(np.int64)
    indices = np.concatenate(idx) if idx else np.zeros(0, dtype=np.int32)
    return sparse.csr_array((np.ones(indices.size), indices, indptr), shape=(n, masks.size))


def _pricer(masks: I64, cf: F64, n: int) -> Any:
    """``y -> cf - (sum of y over each group)``: via the subset lattice when the groups fill much of it."""
    if masks.size * n >= (1 << n):
        def lattice(y: F64) -> F64:
            table = _subset_sums_f(y[:n])
            out: F64 = cf - table[masks] - y[n]
            return out
        return lattice
    bits = [np.flatnonzero((masks >> np.int64(i)) & 1) for i in range(n)]  # n passes

    def columns(y: F64) -> F64:
        out: F64 = cf - y[n]
        for i in range(n):  # n passes over the groups of candidate i
            out[bits[i]] -= y[i]
        return out
    return columns


def _lagrange(y: F64, rc: F64, n: int, fewest: int) -> float:
    """Lower bound on every partition from duals ``y`` (z = ``y[n]`` >= 0) and their reduced costs ``rc``. [yen]

    A partition P costs ``sum(y[:n]) + z * |P| + sum(rc over P) >= sum(y[:n]) + z * fewest + n * min(0, min rc)``.
    """
    return float(y[:n].sum()) + float(y[n]) * fewest + n * min(0.0, float(rc.min(initial=0.0)))


def _err(y: F64, cf: F64, n: int, fewest: int) -> float:
    """Rigorous margin for the rounding error of the Lagrangian bound at duals ``y``. [yen]

    Every reduced cost sums at most ``n + 2`` terms of size at most ``S = max cost + sum |y|``, and
    the bound at most ``n + fewest + 1`` of them and ``n`` reduced costs: the error is below
    ``(n + 2) ** 2 * 2**-52 * S``, which ``1e-12 * n * S`` exceeds more than fiftyfold for ``n <= 62``.
    """
    scale = float(cf.max(initial=0.0)) + float(np.abs(y[:n]).sum()) + abs(float(y[n])) * fewest
    return 1e-6 + 1e-12 * n * scale


def _tol(value: float) -> float:
    """Safety margin for a bound computed in floating point near ``value``. [yen]"""
    return 1e-6 + 1e-9 * abs(value)


def _milp(sub: I64, cost: I64, n: int, seconds: float | None, fewest: int = 1, exclude: I64 | None = None
          ) -> tuple[I64 | None, float | None, bool]:
    """HiGHS on the groups ``sub``: (chosen groups or None, dual bound or None, proven optimal or infeasible)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    a = _rows(sub, n)
    options: dict[str, Any] = {"mip_rel_gap": 0.0}
    if seconds is not None:
        options["time_limit"] = max(float(seconds), 0.01)
    cons = [LinearConstraint(a, 1, 1)]
    if fewest > 1:  # the cut "at least `fewest` groups"
        cons.append(LinearConstraint(np.ones((1, sub.size)), fewest, np.inf))
    if exclude is not None:  # a no-good cut: not all of these groups again
        cons.append(LinearConstraint(np.isin(sub, exclude).astype(np.float64)[None, :], -np.inf, exclude.size - 1))
    res = milp(cost.astype(np.float64), constraints=cons,
               integrality=np.ones(sub.size),
               bounds=Bounds(0, 1), options=options)
    bound = getattr(res, "mip_dual_bound", None)
    bound = None if bound is None or not np.isfinite(bound) else float(bound)
    if res.x is None:  # status 2: proven infeasible (only possible with a no-good cut)
        return None, bound, res.status == 2
    chosen = sub[np.asarray(res.x) > 0.5]
    check = ((chosen[:, None] >> np.arange(n, dtype=np.int64)) & 1).sum(axis=0)
    if not np.all(check == 1):  # pragma: no cover - the solver's answer is checked, not trusted
        return None, bound, False
    return chosen, bound, res.status == 0


class _Exhausted(Exception):
    """The depth-first search visited its allowance of sets (the caller falls back to HiGHS)."""


class _Search:
    """The tie rule's partition among a few groups, in integer yen (depth-first, failures memoised)."""

    def __init__(self, masks: I64, cost: I64, y: F64, slack: float, n: int, k: int, deadline: float | None,
                 nodes: int | None = None) -> None:
        order = np.argsort(masks, kind="stable")
        self.masks = masks[order]
        self.cost = cost[order]
        self.py_masks = [int(m) for m in self.masks]
        self.py_cost = [int(c) for c in self.cost]
        # per candidate, the (group, cost) pairs holding it, ascending bitmask (plain lists: one small
        # Python loop a visited set instead of a pass over every group)
        self.of: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        for i in range(n):  # n passes over the groups
            for j in np.flatnonzero((self.masks >> np.int64(i)) & 1).tolist():
                self.of[i].append((self.py_masks[j], self.py_cost[j]))
        lo = n // 2
        self.lo = lo
        self.y_lo = _subset_sums_f(y[:lo]).tolist()
        self.y_hi = _subset_sums_f(y[lo:n]).tolist()
        self.z = float(y[n])  # dual of "at least ceil(members / k) groups"
        self.k = k
        self.slack = slack  # n * min(0, min rc) <= 0: the LP bound of a set is sum(y over it) + slack
        # rounding error of bound(): at most (n + 3) terms of size up to this scale (see _err)
        scale = float(np.abs(y[:n]).sum()) + abs(self.z) * n + abs(slack)
        self.margin = 1e-6 + 1e-12 * n * scale
        self.failed: dict[int, int] = {}
        self.deadline = deadline
        self.nodes = nodes  # sets still to visit before giving up (None: no limit)

    def bound(self, s: int) -> float:
        fewest = -(-s.bit_count() // self.k)
        out: float = self.y_lo[s & ((1 << self.lo) - 1)] + self.y_hi[s >> self.lo] + self.z * fewest + self.slack
        return out

    def first(self, s: int, budget: int) -> list[int] | None:
        """The first partition of ``s`` (groups of its lowest candidate in ascending bitmask order,
        recursively) costing at most ``budget``, or None.  With ``budget`` the optimum of ``s`` this is
        the tie rule's partition."""
        if s == 0:
            return [] if budget >= 0 else None
        if self.failed.get(s, -1) >= budget:
            return None  # already shown impossible within this budget or a larger one
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise TimeoutError
        if self.nodes is not None:
            self.nodes -= 1
            if self.nodes < 0:
                raise _Exhausted
        low = s & -s
        for g, c in self.of[low.bit_length() - 1]:  # the groups of the lowest candidate, ascending bitmask
            if g & ~s:
                continue  # holds a candidate already placed
            left = budget - c
            if left < 0 or self.bound(s ^ g) > left + max(_tol(left), self.margin):
                continue  # the LP bound says the rest cannot be placed within the budget
            rest = self.first(s ^ g, left)
            if rest is not None:
                return [g, *rest]
        self.failed[s] = max(self.failed.get(s, -1), budget)
        return None


def _subset_sums_f(values: F64) -> F64:
    out = np.zeros(1 << values.size, dtype=np.float64)
    for j in range(values.size):  # bits of one half
        half = 1 << j
        out[half: 2 * half] = out[:half] + values[j]
    return out


def set_partition(masks: I64, cost: I64, n: int, *, deadline: float | None = None
                  ) -> tuple[I64, int, int, bool]:
    """Exact cheapest partition over the permitted groups ``masks`` (single candidates among them).

    Parameters
    ----------
    masks
        The permitted groups as bitmasks, int64, every single candidate included. [bitmask]
    cost
        Their costs, int64, ``>= 0``. [yen]
    n
        Number of candidates. [candidates]
    deadline
        ``time.perf_counter()`` value at which to stop with the best partition found. [s]

    Returns
    -------
    (groups, total, lower_bound, proven_optimal)
        The chosen groups (ascending bitmasks), their total cost [yen], a proven lower bound on the
        optimum [yen] (equal to ``total`` when proven) and whether ``total`` is proven optimal.
    """
    from scipy.optimize import linprog

    full = (1 << n) - 1
    cf = cost.astype(np.float64)
    size = np.zeros(masks.size, dtype=np.float64)
    for i in range(n):  # n passes over the groups
        size += (masks >> np.int64(i)) & 1
    single = np.flatnonzero(size == 1)
    k = int(size.max())
    fewest = -(-n // k)  # every partition has at least ceil(n / k) groups: a cut that closes most of the LP gap
    price = _pricer(masks, cf, n)
    # start from the single candidates, the largest groups and, per candidate, its cheapest per member
    per = cf / size
    largest = np.flatnonzero(size == size.max())
    sel = np.unique(np.concatenate((single, largest[: 2 * n],
                                    np.argsort(per, kind="stable")[: 4 * n])))
    if masks.size <= _ALL_AT_ONCE:  # few groups: one LP and one MILP over all of them
        sel = np.arange(masks.size)
    # groups of at most half the candidates: plain column generation, many columns a round;
    # larger groups (the LP is then very degenerate): smoothed duals, 2n columns a round
    small = float(size.max()) <= n / 2
    alpha, per_round = (0.0, 400) if small else (_ALPHA, 2 * n)
    k = int(size.max())
    fewest = -(-n // k)  # every partition has at least ceil(n / k) groups: a cut that closes most of the LP gap
    a_ub = np.full((1, 1), -1.0)
    center = np.zeros(n + 1)
    best_lb = -np.inf
    y = center
    rc = cf.copy()
    timed_out = False
    while True:  # column generation; bounded: every round adds new groups
        lp = linprog(cf[sel], A_ub=np.broadcast_to(a_ub, (1, sel.size)), b_ub=[-fewest], A_eq=_rows(masks[sel], n),
                     b_eq=np.ones(n), bounds=(0, None), method="highs-ds")
        if lp.status != 0:  # pragma: no cover - the restricted LP is always feasible (singles)
            break
        y_lp = np.append(np.asarray(lp.eqlin.marginals, dtype=np.float64),
                         max(0.0, -float(lp.ineqlin.marginals[0])))
        mix = alpha * center + (1 - alpha) * y_lp
        rc_mix = price(mix)
        lb = _lagrange(mix, rc_mix, n, fewest)
        if lb > best_lb:
            best_lb, center, y, rc = lb, mix, mix, rc_mix
        if float(lp.fun) - best_lb <= _tol(float(lp.fun)):  # the restricted LP's value is the LP optimum
            rc_lp = price(y_lp)  # its own duals usually fix more groups than the smoothed ones
            lb_lp = _lagrange(y_lp, rc_lp, n, fewest)
            if lb_lp >= best_lb - _tol(best_lb):
                best_lb, y, rc = lb_lp, y_lp, rc_lp
            break
        neg = np.flatnonzero(rc_mix < -_tol(float(lp.fun)))
        if neg.size == 0:  # mispricing at the smoothed duals: price at the LP's own
            rc_lp = price(y_lp)
            neg = np.flatnonzero(rc_lp < -_tol(float(lp.fun)))
            if neg.size == 0:
                best_lb, y, rc = _lagrange(y_lp, rc_lp, n, fewest), y_lp, rc_lp
                break
            rc_mix = rc_lp
        if deadline is not None and time.perf_counter() > deadline:
            timed_out = True
            break
        count = min(per_round, neg.size)
        take = neg[np.argpartition(rc_mix[neg], count - 1)[:count]]
        sel = np.union1d(sel, take)
    # HiGHS's MILP: with the cut "at least `fewest` groups" when groups have 3 or more members (two to
    # forty times faster there), without it for pairs (a matching: twice as fast without)
    cut = fewest if k > 2 else 1
    slack = n * min(0.0, float(rc.min(initial=0.0)))
    lp_bound = float(y[:n].sum()) + float(y[n]) * fewest + slack
    # every partition also costs at least sum over candidates of their cheapest cost per member
    cover = sum(float(per[((masks >> np.int64(i)) & 1) == 1].min()) for i in range(n))  # n passes
    lower = max(0, int(np.ceil(lp_bound - _err(y, cf, n, fewest))), int(np.ceil(cover - _tol(cover))))
    # an upper bound: the LP's own solution when it is integral (then often optimal: no MILP at all),
    # else the best partition into the restricted groups
    chosen = _integral(lp, masks[sel], n)
    # a partition using group g costs at least this (duals y, reduced costs rc of every group)
    with_g = lp_bound - slack + rc + (n - 1) * min(0.0, float(rc.min(initial=0.0)))

    def fixed(ub: int) -> I64:
        return np.union1d(np.flatnonzero(with_g <= ub + _tol(ub)), single)

    if chosen is None and not timed_out:  # a fractional LP: first the exact search over the groups left
        rounded = _rounded(lp, masks, cost, sel, n)
        keep = None if rounded is None else fixed(rounded[1])
        if rounded is not None and keep is not None and keep.size <= _SEARCH_FIRST:
            search = _Search(masks[keep], cost[keep], y, slack, n, k, deadline, nodes=_SEARCH_NODES)
            optimum = _optimum(search, full, lower, rounded[1])
            if optimum is not None:
                return np.array(sorted(optimum[0]), dtype=np.int64), optimum[1], optimum[1], True
        if rounded is not None and keep is not None and keep.size <= sel.size:
            chosen = rounded[0]  # fixing by the rounded partition leaves no more groups than the restricted MILP sees
    ub_proven = False
    if chosen is None:
        remaining = None if deadline is None else max(deadline - time.perf_counter(), 0.01)
        chosen, _, ub_proven = _milp(masks[sel], cost[sel], n, remaining, cut)
    if chosen is None:
        chosen = np.left_shift(np.int64(1), np.arange(n, dtype=np.int64))
    upper = int(cost[np.searchsorted(masks, chosen)].sum()) if _sorted(masks) else _total(masks, cost, chosen)
    if timed_out or (deadline is not None and time.perf_counter() > deadline):
        return np.sort(chosen), upper, min(lower, upper), lower >= upper

    keep = fixed(upper)
    # HiGHS proved `upper` optimal over the restricted groups: optimal overall if they hold every group left
    within = ub_proven and bool(np.isin(keep, sel, assume_unique=True).all())
    if not (upper <= lower or within):  # HiGHS proves the optimum over the groups left
        remaining = None if deadline is None else max(deadline - time.perf_counter(), 0.01)
        best, dual, proven = _milp(masks[keep], cost[keep], n, remaining, cut)
        if best is not None:
            total = _total(masks, cost, best)
            if total < upper:
                upper, chosen = total, best
        if not proven:
            bound = lower if dual is None else max(lower, int(np.ceil(dual - _tol(dual))))
            return np.sort(chosen), upper, min(bound, upper), bound >= upper
        keep = fixed(upper)
    # the optimum is `upper`.  If no other partition reaches it, it is the answer; otherwise the tie
    # rule picks the first partition reaching it.  Another partition holds a group outside `chosen`;
    # if every such group's bound exceeds `upper`, none does (no solver call).
    rivals = np.flatnonzero(with_g <= upper + _tol(upper))
    if np.isin(masks[rivals], chosen).all():
        return np.sort(chosen), upper, upper, True
    if keep.size > _TIE_SEARCH:  # many groups left: HiGHS with a no-good cut first
        remaining = None if deadline is None else max(deadline - time.perf_counter(), 0.01)
        other, _, proven = _milp(masks[keep], cost[keep], n, remaining, cut, exclude=np.sort(chosen))
        if proven and (other is None or _total(masks, cost, other) > upper):
            return np.sort(chosen), upper, upper, True
    search = _Search(masks[keep], cost[keep], y, slack, n, k, deadline)
    try:
        found = search.first(full, upper)  # recursion depth: at most n (one group placed per level)
    except TimeoutError:
        found = None
    if found is None:  # pragma: no cover - the optimum's groups are kept; only a timeout lands here
        return np.sort(chosen), upper, upper, True
    return np.array(sorted(found), dtype=np.int64), upper, upper, True


def _rounded(lp: Any, masks: I64, cost: I64, sel: I64, n: int) -> tuple[I64, int] | None:
    """A partition from the LP solution: its groups above one half, then greedily the cheapest group per
    member among the candidates left (singles always fit), and its cost."""
    x = getattr(lp, "x", None)
    if lp.status != 0 or x is None:
        return None
    groups = masks[sel][np.asarray(x) > 0.5]
    count = ((groups[:, None] >> np.arange(n, dtype=np.int64)) & 1).sum(axis=0)
    if np.any(count > 1):  # pragma: no cover - rows sum to one: at most one group above one half each
        return None
    rest = int(np.left_shift(np.int64(1), np.flatnonzero(count == 0).astype(np.int64)).sum())
    size = ((masks[:, None] >> np.arange(n, dtype=np.int64)) & 1).sum(axis=1)
    per = cost / size
    more = []
    while rest:  # at most n rounds: the cheapest group per member among those inside what is left
        fits = np.flatnonzero((masks & ~np.int64(rest)) == 0)
        g = int(masks[fits[np.argmin(per[fits])]])
        more.append(g)
        rest &= ~g
    groups = np.concatenate((groups, np.array(more, dtype=np.int64)))
    return groups, _total(masks, cost, groups)


def _optimum(search: _Search, full: int, lower: int, upper: int) -> tuple[list[int], int] | None:
    """The tie rule's optimal partition by depth-first searches at budgets rising from ``lower``, then bisecting.

    ``upper`` is the cost of a partition into the search's groups and ``lower`` a proven bound.
    ``search.first(full, b)`` is the first partition in the tie rule's order costing at most ``b``:
    if it costs ``c <= b``, every partition before it costs more than ``b``, so it is also
    ``first(full, c)``; a failure proves every partition costs more than ``b``.  When the bounds
    meet, the last partition found is the optimum the tie rule picks.  None if the search gives up
    (its allowance of sets, or the deadline).
    """
    cost = dict(zip(search.py_masks, search.py_cost, strict=True))
    try:
        lo, step = lower, 1
        while True:  # budgets lower, lower + 1, + 3, + 7, ...: searches near the optimum prune best
            budget = min(lo + step - 1, upper)
            best = search.first(full, budget)
            if best is not None:
                break
            if budget >= upper:  # pragma: no cover - the partition costing `upper` is among the groups
                return None
            lo, step = budget + 1, 2 * step
        hi = sum(cost[g] for g in best)
        while lo < hi:  # bisection: at most log2(hi - lo) + 1 searches
            mid = (lo + hi - 1) // 2
            found = search.first(full, mid)
            if found is None:
                lo = mid + 1
            else:
                best = found
                hi = sum(cost[g] for g in best)
    except (TimeoutError, _Exhausted):
        return None
    return best, hi


def _integral(lp: Any, sub: I64, n: int) -> I64 | None:
    """The groups of an LP solution over ``sub`` that is 0/1 and a partition (checked exactly), else None."""
    x = getattr(lp, "x", None)
    if lp.status != 0 or x is None:
        return None
    x = np.asarray(x, dtype=np.float64)
    if np.abs(x - np.rint(x)).max(initial=0.0) > 1e-9:
        return None
    chosen = sub[x > 0.5]
    check = ((chosen[:, None] >> np.arange(n, dtype=np.int64)) & 1).sum(axis=0)
    return chosen if bool(np.all(check == 1)) else None


def _sorted(masks: I64) -> bool:
    return bool(masks.size < 2 or np.all(masks[1:] > masks[:-1]))


def _total(masks: I64, cost: I64, chosen: I64) -> int:
    order = np.argsort(masks, kind="stable")
    pos = order[np.searchsorted(masks[order], chosen)]
    return int(cost[pos].sum())
