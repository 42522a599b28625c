"""Benchmark of the migration schedule kernels (移行スケジュール): :func:`timing_costs` + :func:`best_starts`.

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_schedule.py              # N = 1,741 members, M = 120 months
    PYTHONPATH=src python benchmarks/bench_schedule.py --members 500 # quicker

The workload is the issue's: N = 1,741 members (the municipalities of Japan) x M = 120 candidate
first cloud months (ten fiscal years from April 2025), a cutover capacity of 20 members a month.
Contracts end, as they mostly do, at a fiscal year's end (March) and a few at other months; monthly
current costs are lognormal around 5 million yen, the cloud costs 55-85 % of it, the penalty for an
unused month 30-70 % of it, extensions 0-20 % dearer, 0-2 months of parallel running.

Printed, measured in the same run:

* the time of ``timing_costs`` and of ``best_starts`` (the exact plan under capacity);
* the total cost of the exact plan against a greedy plan (members in order take their cheapest month
  with capacity left) and against the members' own cheapest months (ignoring capacity, a lower bound);
* the speed of ``timing_costs`` against a straightforward per-member, per-month Python loop of the same
  formula (timed on a subset of members and scaled to N);
* the memory floor: one numpy pass reading the (N, M) int64 cost matrix (``a.sum()``), and the peak
  memory (``tracemalloc``) of both kernels against the size of that matrix.

* the peers, in the same run, on the same instances: OR-Tools' min-cost flow
  (``ortools.graph.python.min_cost_flow`` on members -> months -> sink, its own graph build included)
  and the transportation LP with ``scipy.optimize.linprog`` (HiGHS), at capacities 5, 20 and 100 a
  month, with and without blackout months (every August and March),
  against both of our routes (``method="auto"``, ``method="numpy"``); totals compared to the yen.
  Capacity 5 a month holds only 600 members in 120 months (500 with the blackouts), so at 1,741
  members it is infeasible for every solver; two more lines solve it for the first 450 members.
  Install the peers with ``pip install ortools pulp`` (skipped, with a message, when absent).

    PYTHONPATH=src python benchmarks/bench_schedule.py --peers-only   # just the solver comparison
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from jichitai_cloud import InfeasibleAllocation
from jichitai_cloud.schedule import best_starts, timing_costs


def workload(n: int, m: int, seed: int = 2025) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    h0 = 2025 * 12 + 3  # April 2025
    march = h0 - 1 + 12 * rng.integers(0, 10, n)  # a fiscal year's last month
    other = h0 + rng.integers(0, m, n)
    contract_end = np.where(rng.random(n) < 0.8, march, other)
    cur = (rng.lognormal(np.log(5e6), 0.8, n) // 1000 * 1000).astype(np.int64)
    return {
        "contract_end": contract_end.astype(np.int64), "current_monthly": cur,
        "cloud_monthly": (cur * rng.uniform(0.55, 0.85, n)).astype(np.int64),
        "penalty_monthly": (cur * rng.uniform(0.3, 0.7, n)).astype(np.int64),
        "extension_monthly": (cur * rng.uniform(1.0, 1.2, n)).astype(np.int64),
        "parallel": rng.integers(0, 3, n).astype(np.int64),
        "starts": np.arange(h0, h0 + m, dtype=np.int64), "horizon": (h0, h0 + m - 1),
    }


def loop_costs(w: dict[str, Any], rows: int) -> list[list[int]]:
    """The formula member by member and month by month: the straightforward implementation."""
    h0, h1 = w["horizon"]

    def n(a: int, b: int) -> int:
        return max(0, min(b, h1) - max(a, h0) + 1)

    out = []
    for i in range(rows):
        e, cur, cl = int(w["contract_end"][i]), int(w["current_monthly"][i]), int(w["cloud_monthly"][i])
        pen, ext, par = int(w["penalty_monthly"][i]), int(w["extension_monthly"][i]), int(w["parallel"][i])
        row = []
        for s in w["starts"].tolist():
            end = s - 1 + par
            row.append(cur * n(h0, min(e, end)) + ext * n(e + 1, end) + pen * max(0, e - end) + cl * n(s, h1))
        out.append(row)
    return out


def greedy(costs: np.ndarray, capacity: int) -> np.ndarray:
    """Members in order take their cheapest month with capacity left."""
    left = np.full(costs.shape[1], capacity)
    out = np.empty(costs.shape[0], dtype=np.int64)
    for i, row in enumerate(costs):
        j = int(np.argmin(np.where(left > 0, row, np.iinfo(np.int64).max)))
        out[i] = j
        left[j] -= 1
    return out


def lp_optimum(costs: np.ndarray, capacity: int, black: np.ndarray | None = None,
               starts: np.ndarray | None = None) -> tuple[float, float]:
    """The transportation LP with scipy.optimize.linprog (HiGHS): a cross-check of the optimum (floats)."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_array

    n, m = costs.shape
    shift = costs.min(axis=1)
    c = (costs - shift[:, None]).ravel().astype(np.float64)
    cols = np.arange(n * m)
    member_rows = csr_array((np.ones(n * m), (cols // m, cols)), shape=(n, n * m))
    month_rows = csr_array((np.ones(n * m), (cols % m, cols)), shape=(m, n * m))
    t = time.perf_counter()
    upper = np.ones(n * m)
    if black is not None and starts is not None and black.size:
        upper = np.tile(~np.isin(starts, black), n).astype(np.float64)
    res = linprog(c, A_ub=month_rows, b_ub=np.full(m, capacity), A_eq=member_rows, b_eq=np.ones(n),
                  bounds=np.stack([np.zeros(n * m), upper], axis=1), method="highs")
    if res.status != 0:
        return float("nan"), time.perf_counter() - t
    return float(res.fun) + float(shift.sum()), time.perf_counter() - t


def ortools_flow(costs: np.ndarray, starts: np.ndarray, capacity: int, black: np.ndarray) -> int | None:
    """The peer: OR-Tools min-cost flow on members x months (+ a sink), built and solved here."""
    from ortools.graph.python import min_cost_flow

    n, m = costs.shape
    ok = ~np.isin(starts, black)
    cols = np.flatnonzero(ok)
    flow = min_cost_flow.SimpleMinCostFlow()
    src = np.repeat(np.arange(n), cols.size)
    dst = n + np.tile(cols, n)
    shift = costs.min(axis=1)
    flow.add_arcs_with_capacity_and_unit_cost(src, dst, np.ones(src.size, dtype=np.int64),
                                              (costs[:, cols] - shift[:, None]).ravel())
    flow.add_arcs_with_capacity_and_unit_cost(n + np.arange(m), np.full(m, n + m), np.full(m, capacity),
                                              np.zeros(m, dtype=np.int64))
    sup = np.zeros(n + m + 1, dtype=np.int64)
    sup[:n], sup[-1] = 1, -n
    flow.set_nodes_supplies(np.arange(n + m + 1), sup)
    if flow.solve() != flow.OPTIMAL:
        return None
    return int(flow.optimal_cost()) + int(shift.sum())


def peers(costs: np.ndarray, starts: np.ndarray) -> None:
    import importlib.util

    have = importlib.util.find_spec("ortools") is not None
    if not have:
        print("OR-Tools not installed (pip install ortools pulp): peer and ortools route skipped")
    months = starts % 12
    blackout = starts[(months == 7) | (months == 2)]
    print("times in ms, wall/CPU, best of 5 each, the solvers taking turns (the CPU time of this process is steadier on a busy machine); "
          "where no plan exists, the time to that verdict")
    print(f"{'members':>7} {'capacity':>8} {'blackout':>8} | {'ours auto':>10} {'ours numpy':>10} {'OR-Tools':>10} "
          f"{'HiGHS LP':>9} | total (yen), all equal?")
    for black in (np.zeros(0, dtype=np.int64), blackout):
        for cap in (5, 20, 100):
            peer_row(costs, starts, cap, black, have)
    # capacity 5 a month holds 600 members in 120 months (500 with the blackouts): the 1,741 do
    # not fit, so the same solvers on the first 450 members of the workload
    small = min(450, costs.shape[0])
    for black in (np.zeros(0, dtype=np.int64), blackout):
        peer_row(costs[:small], starts, 5, black, have)


def peer_row(costs: np.ndarray, starts: np.ndarray, cap: int, black: np.ndarray, have: bool) -> None:
    """One line of the solver table: our two routes, OR-Tools and HiGHS on one instance, best of 5 in turns."""
    rows = np.arange(costs.shape[0])
    line = f"{costs.shape[0]:>7} {cap:>8} {black.size:>8} |"
    totals = []
    why = ""
    def plan(m: str) -> Any:
        try:
            return best_starts(costs, starts, capacity=cap, blackout=black, method=m)
        except InfeasibleAllocation as e:  # the verdict is timed like a plan
            return e

    runs: dict[str, Callable[[], Any]] = {"auto": lambda: plan("auto"), "numpy": lambda: plan("numpy")}
    if have:
        runs["ortools"] = lambda: ortools_flow(costs, starts, cap, black)
    timed = best_in_turns(runs, repeat=5)  # in turns, so that every route sees the same load
    for name, (t, cpu, out) in timed.items():
        if isinstance(out, InfeasibleAllocation):
            totals.append(None)
            why = str(out)
        elif name == "ortools":
            totals.append(out)
        else:
            totals.append(int(costs[rows, out].sum()))
        line += f" {t * 1e3:5.0f}/{cpu * 1e3:<4.0f}"
    if cap >= 20 or costs.shape[0] <= 500:
        lp, t_lp = lp_optimum(costs, cap, black, starts)
        line += f" {t_lp * 1e3:7.0f}ms"
        if totals[0] is not None:
            line += f" (LP - ours {lp - totals[0]:+,.0f} yen, floats)"
    else:
        line += f" {'-':>9}"
    same = len(set(totals)) == 1
    shown = "infeasible: " + why[:60] if totals[0] is None else f"{totals[0]:,}"
    print(f"{line} | {shown} {'yes' if same else 'NO: ' + str(totals)}")


def best_in_turns(runs: dict[str, Callable[[], Any]], repeat: int) -> dict[str, tuple[float, float, Any]]:
    """Best wall and CPU time [s] of each run over ``repeat`` rounds, the runs taking turns, and its result."""
    best = {k: (float("inf"), float("inf"), None) for k in runs}
    for _ in range(repeat):
        for k, f in runs.items():
            t, c = time.perf_counter(), time.process_time()
            out = f()
            c, t = time.process_time() - c, time.perf_counter() - t
            best[k] = (min(best[k][0], t), min(best[k][1], c), out)
    return best


def best_of(f: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, _, out = best_of_cpu(f, repeat)
    return best, out


def best_of_cpu(f: Callable[[], Any], repeat: int = 3) -> tuple[float, float, Any]:
    """Best wall time and best CPU time of this process [s] over ``repeat`` calls, and the result."""
    best, best_cpu, out = float("inf"), float("inf"), None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = f()
        best_cpu = min(best_cpu, time.process_time() - c)
        best = min(best, time.perf_counter() - t)
    return best, best_cpu, out


def peak(f: Callable[[], Any]) -> int:
    tracemalloc.start()
    f()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--members", type=int, default=1741)
    p.add_argument("--months", type=int, default=120)
    p.add_argument("--capacity", type=int, default=20)
    p.add_argument("--peers-only", action="store_true", help="only the solver comparison")
    args = p.parse_args()
    w = workload(args.members, args.months)
    kw = {k: w[k] for k in ("parallel", "extension_monthly", "horizon")}

    def costs_fn() -> np.ndarray:
        return timing_costs(w["contract_end"], w["current_monthly"], w["cloud_monthly"], w["penalty_monthly"],
                            w["starts"], **kw)

    t_costs, costs = best_of(costs_fn)
    print(f"solvers on {args.members:,} members x {args.months} months (one run):")
    peers(costs, w["starts"])
    if args.peers_only:
        return
    t_solve, idx = best_of(lambda: best_starts(costs, w["starts"], capacity=args.capacity), repeat=2)
    rows = np.arange(costs.shape[0])
    exact = int(costs[rows, idx].sum())
    t_greedy, g = best_of(lambda: greedy(costs, args.capacity), repeat=1)
    greedy_total = int(costs[rows, g].sum())
    own = int(costs.min(axis=1).sum())
    sub = min(200, args.members)
    t_loop, ref = best_of(lambda: loop_costs(w, sub), repeat=1)
    assert ref == costs[:sub].tolist(), "the kernel disagrees with the loop"
    t_loop_all = t_loop * args.members / sub
    t_floor, _ = best_of(lambda: costs.sum(), repeat=5)
    lp_total, t_lp = lp_optimum(costs, args.capacity)
    mem_costs = peak(costs_fn)
    mem_solve = peak(lambda: best_starts(costs, w["starts"], capacity=args.capacity))
    binding = int(np.bincount(costs.argmin(axis=1), minlength=costs.shape[1]).max())
    print(f"workload: {args.members:,} members x {args.months} candidate months, capacity {args.capacity} a month "
          f"(own cheapest months put up to {binding} members in one month)")
    print(f"timing_costs           {t_costs * 1e3:9.1f} ms   straightforward loop {t_loop_all:8.2f} s "
          f"(scaled from {sub} members) -> {t_loop_all / t_costs:,.0f}x faster")
    print(f"best_starts (exact)    {t_solve * 1e3:9.1f} ms   greedy {t_greedy * 1e3:.1f} ms")
    print(f"total cost: exact {exact:,} yen; greedy {greedy_total:,} yen "
          f"(exact / greedy = {exact / greedy_total:.6f}, greedy costs {greedy_total - exact:,} yen more); "
          f"own cheapest months, ignoring capacity {own:,} yen (exact / own = {exact / own:.6f})")
    print(f"cross-check: the transportation LP (scipy.optimize.linprog, HiGHS, floats) {lp_total:,.0f} yen "
          f"in {t_lp:.2f} s; exact - LP = {exact - lp_total:,.0f} yen")
    print(f"memory floor: one pass over the (N, M) int64 costs {t_floor * 1e3:.2f} ms; timing_costs is "
          f"{t_costs / t_floor:.0f}x that")
    size = costs.nbytes
    print(f"peak memory: timing_costs {mem_costs / 2**20:.1f} MiB ({mem_costs / size:.1f}x the {size / 2**20:.1f} MiB "
          f"cost matrix); best_starts {mem_solve / 2**20:.1f} MiB ({mem_solve / size:.1f}x)")


if __name__ == "__main__":
    main()
