"""Benchmark of :func:`jichitai_cloud.allocation.split_costs` (費用按分).

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_allocation.py            # S = 10,000 (about a minute)
    PYTHONPATH=src python benchmarks/bench_allocation.py --scenarios 2000   # quicker

The workload is the issue's: S = 10,000 scenarios x N = 1,741 members (the number of
municipalities in Japan) x 2 drivers (均等割 = a column of ones, 人口割 = population), ratio 3:7,
default rounding (largest remainder, 1 yen).  Each scenario has its own populations (a lognormal
population table with 3 % noise per scenario) and its own total (5 trillion yen +- 2 %); the caps
are set so that about a tenth of the members are held at their caps (as the guaranteed minimum
reduction does in the source document).

Printed, measured in the same run:

* the time of ``split_costs`` (best of a few runs);
* its speed-up over a straightforward per-scenario pure-Python implementation of the same rule
  (weights, redistribution until no cap binds, floor + largest remainder), timed on a subset of
  scenarios and scaled to S;
* its ratio to the memory floor: one numpy pass that reads an (S, N) float64 array once
  (``a.sum()``);
* its peak memory (``tracemalloc``, which sees numpy's allocations) against the size of the
  (S, N) int64 result.

Targets (issue 3): >= 50x faster than the per-scenario implementation, within 60x of the memory
floor, peak memory < 8x the result.  There are no peer libraries for this rule; nothing else needs
installing.
"""

from __future__ import annotations

import argparse
import math
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from jichitai_cloud.allocation import split_costs


def split_costs_python(total: int, drivers: Sequence[Sequence[float]], ratios: Sequence[float],
                       caps: Sequence[int]) -> list[int]:
    """The same rule, one scenario, in plain Python: the straightforward implementation."""
    n = len(drivers)
    dsum = sum(ratios)
    col = [sum(row[j] for row in drivers) for j in range(len(ratios))]
    w = [sum(ratios[j] / dsum * row[j] / col[j] for j in range(len(ratios)) if col[j] > 0) for row in drivers]
    capped = [False] * n
    fixed = 0
    while True:
        free_w = sum(w[i] for i in range(n) if not capped[i])
        lam = (total - fixed) / free_w
        newly = [i for i in range(n) if not capped[i] and lam * w[i] > caps[i]]
        if not newly:
            break
        for i in newly:
            capped[i] = True
            fixed += caps[i]
    q = [float(caps[i]) if capped[i] else lam * w[i] for i in range(n)]
    base = [math.floor(v) for v in q]
    missing = total - sum(base)
    order = sorted((i for i in range(n) if base[i] < caps[i]), key=lambda i: (-(q[i] - base[i]), i))
    for i in order[:missing]:
        base[i] += 1
    return base


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best wall-clock time and best CPU time (``process_time``) over ``repeat`` runs. [s]"""
    walls, cpus = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus)


def workload(s: int, n: int, seed: int = 2016) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pop = np.round(np.exp(rng.normal(9.6, 1.3, n))).astype(np.int64) + 200  # persons
    drivers = np.empty((s, n, 2), dtype=np.float64)
    drivers[..., 0] = 1.0
    drivers[..., 1] = np.round(pop * rng.normal(1.0, 0.03, (s, n)))
    totals = np.round(5e12 * rng.normal(1.0, 0.02, s)).astype(np.int64)  # yen
    quota = 5e12 * (0.3 / n + 0.7 * pop / pop.sum())
    binding = rng.random(n) < 0.10
    caps = np.where(binding, 0.85 * quota, 3.0 * quota).astype(np.int64)  # yen
    return totals, drivers, caps


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=10_000)
    ap.add_argument("--members", type=int, default=1_741)
    ap.add_argument("--python-subset", type=int, default=20, help="scenarios timed in pure Python")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    s, n = args.scenarios, args.members
    totals, drivers, caps = workload(s, n)
    ratios = [3, 7]
    result_bytes = s * n * 8
    print(f"split_costs benchmark: S = {s:,} scenarios x N = {n:,} members x 2 drivers, ratio 3:7, "
          "largest remainder, 1 yen")

    # ours ---------------------------------------------------------------------------------------
    shares, binding = split_costs(totals, drivers, ratios, caps=caps, return_binding=True)
    assert (shares.sum(axis=1) == totals).all() and (shares <= caps).all()
    bound_frac = float((binding == 1).mean())
    t_ours, c_ours = best_of(lambda: split_costs(totals, drivers, ratios, caps=caps), args.repeat)
    print(f"  caps binding: {bound_frac:.1%} of members (mean over scenarios)")
    print(f"  split_costs:                 {t_ours * 1e3:10.1f} ms wall, {c_ours * 1e3:.1f} ms CPU  "
          f"({c_ours / (s * n) * 1e9:.1f} ns CPU per member-scenario)")

    # pure Python, per scenario --------------------------------------------------------------------
    k = min(args.python_subset, s)
    rows = [drivers[i].tolist() for i in range(k)]
    cap_list = caps.tolist()
    c0, t0 = time.process_time(), time.perf_counter()
    ref = [split_costs_python(int(totals[i]), rows[i], ratios, cap_list) for i in range(k)]
    t_py = (time.perf_counter() - t0) / k * s
    c_py = (time.process_time() - c0) / k * s
    same = sum(ref[i] == shares[i].tolist() for i in range(k))
    print(f"  pure Python (per scenario):  {t_py * 1e3:10.1f} ms wall, {c_py * 1e3:.1f} ms CPU  (timed on {k} "
          f"scenarios, scaled to {s:,}; identical shares in {same}/{k})")

    # memory floor -------------------------------------------------------------------------------
    floor_array = np.random.default_rng(0).random((s, n))
    floor_array.sum()
    t_floor, c_floor = best_of(floor_array.sum, max(7, args.repeat))
    del floor_array
    print(f"  memory floor (read (S, N) float64 once): {t_floor * 1e3:.1f} ms wall, {c_floor * 1e3:.1f} ms CPU")

    # peak memory --------------------------------------------------------------------------------
    del shares, binding
    tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    res = split_costs(totals, drivers, ratios, caps=caps)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del res
    peak -= base

    speedup, speedup_cpu = t_py / t_ours, c_py / c_ours
    floor_ratio, floor_cpu = t_ours / t_floor, c_ours / c_floor
    mem_ratio = peak / result_bytes
    print("  --- (CPU time is what the process itself used: the machine may be shared; wall time also shown)")
    print(f"  speed-up over pure Python:   {speedup_cpu:8.1f}x CPU, {speedup:.1f}x wall   (target >= 50x)   "
          f"{'ok' if speedup_cpu >= 50 else 'MISSED'}")
    print(f"  ratio to memory floor:       {floor_cpu:8.1f}x CPU, {floor_ratio:.1f}x wall   (target <= 60x)   "
          f"{'ok' if floor_cpu <= 60 else 'MISSED'}")
    print(f"  peak memory: {peak / 2**20:,.1f} MiB = {mem_ratio:.2f}x the (S, N) int64 result "
          f"({result_bytes / 2**20:,.1f} MiB)   (target < 8x)   {'ok' if mem_ratio < 8 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
