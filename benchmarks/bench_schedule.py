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

Peer library: a min-cost-flow solver such as OR-Tools (``pip install ortools``;
``ortools.graph.python.min_cost_flow``) solves the same transportation problem; it is not installed here
and not timed.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

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


def lp_optimum(costs: np.ndarray, capacity: int) -> tuple[float, float]:
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
    res = linprog(c, A_ub=month_rows, b_ub=np.full(m, capacity), A_eq=member_rows, b_eq=np.ones(n),
                  bounds=(0, 1), method="highs")
    return float(res.fun) + float(shift.sum()), time.perf_counter() - t


def best_of(f: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


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
    args = p.parse_args()
    w = workload(args.members, args.months)
    kw = {k: w[k] for k in ("parallel", "extension_monthly", "horizon")}

    def costs_fn() -> np.ndarray:
        return timing_costs(w["contract_end"], w["current_monthly"], w["cloud_monthly"], w["penalty_monthly"],
                            w["starts"], **kw)

    t_costs, costs = best_of(costs_fn)
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
