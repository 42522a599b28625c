"""Benchmark of scale: split_costs against its floor and a loop, dask against numpy, the national
simulate's peak memory from dask inputs, and kernels quiet and with the other core busy (issue 14).

Run from the repository root (needs the ``scale`` extra: ``pip install ".[scale]"``)::

    PYTHONPATH=src python benchmarks/bench_scale.py                       # full: several minutes
    PYTHONPATH=src python benchmarks/bench_scale.py --scenarios 2000 --national 20000   # quicker
    PYTHONPATH=src python benchmarks/bench_scale.py --only-stream              # section 5 at 60,000: minutes

Printed, measured in one run:

1. ``split_costs`` (S x 1,741 members x 2 drivers, caps binding for about a tenth) against the
   floor — read the (S, N, 2) input once and write the (S, N) int64 result once
   (``np.add(x[..., 0], x[..., 1], out=result)``) — and against a per-scenario pure-Python loop
   (timed on a few scenarios, scaled);
2. the dask path against numpy on this machine: ``split_costs`` over dask chunks (computed) and
   ``simulate`` from dask inputs (its streaming passes) against the numpy calls;
3. peak memory of the national ``simulate`` (1,741 members, ``--national`` scenarios, default
   10**5) from dask inputs, in a fresh process: its peak resident set (``VmHWM``, Linux), and the
   same process's peak before ``simulate`` (Python, numpy, dask, the council) for comparison; wall
   and CPU time;
4. quiet and busy: ``evaluation.monte_carlo`` (small BLAS products; run with one BLAS thread) and
   the same kernel with the BLAS default threads, and ``split_costs``, first alone and then while
   another process runs a numpy matrix-product loop (the "busy neighbour").

5. the national ``simulate`` (1,741 members, ``--stream`` scenarios, default 60,000) from numpy
   arrays in memory against dask arrays (threads scheduler, ``num_workers=2``), without quantiles
   and with exact quantiles (0.05, 0.5, 0.95), each variant in a fresh process: wall and CPU time,
   peak resident memory, the ratios against the targets of issue 23 (dask at most 1.5x numpy
   without quantiles, 2.5x with, under 800 MB) and whether the two results are equal.  Only this
   section: ``--only-stream`` (``--stream 20000`` for a quicker run).

There is no peer library for these rules; nothing else needs installing.  The machine may be
shared: CPU time is shown with wall time.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_allocation import best_of, split_costs_python, workload
from jichitai_cloud import allocation, evaluation
from jichitai_cloud.evaluation._kernels.robustness import rank_acceptability

COUNCIL = r'''
def hwm():  # this process's peak resident set [MB] (VmHWM, Linux; ru_maxrss would count the parent's before exec)
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024

rng = np.random.default_rng(0)
n = 1741
pop = (np.round(np.exp(rng.normal(9.6, 1.3, n))) + 200).astype(np.int64)
fee = 3 * 10**12
quota = fee * (0.3 / n + 0.7 * pop / pop.sum())
cur = np.round(quota / 0.7 * rng.uniform(0.85, 1.5, n)).astype(np.int64)
members = tuple(jc.Municipality(code=f"M{i}", name=f"m{i}", population=int(pop[i]), current_cost=int(cur[i]))
                for i in range(n))
council = jc.Consortium(name="national", members=members, period_start="R7.04")
rule = allocation.AllocationRule(ratios="3:7", min_reduction=0.3)
'''
"""The national council of the two subprocess scripts below (1,741 members), and their peak-memory probe."""

NATIONAL = r'''
import sys, time
import numpy as np
import dask, dask.array as da
import jichitai_cloud as jc
from jichitai_cloud import allocation
S, chunk = int(sys.argv[1]), int(sys.argv[2])

''' + COUNCIL + r'''
g = da.random.default_rng(1)
pops = da.round(pop * g.normal(1.0, 0.03, (S, n), chunks=(chunk, n)))
fees = da.round(fee * g.normal(1.0, 0.02, S, chunks=chunk)).astype(np.int64)
base = hwm()
t0, c0 = time.perf_counter(), time.process_time()
dist = allocation.simulate(council, fee, rule, populations=pops, total_fees=fees)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(f"{wall} {cpu} {base} {hwm()} {sum(dist.p_bound) / n}")
'''


STREAM = r'''
import sys, time, hashlib
import numpy as np
import jichitai_cloud as jc
from jichitai_cloud import allocation
S, chunk, mode, qmode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
''' + COUNCIL + r'''
starts = list(range(0, S, chunk))

def block(i, rows):
    return pops_block(i, rows), fees_block(i, rows)

def pops_block(i, rows):
    return np.round(pop * np.random.default_rng([1, i, 0]).normal(1.0, 0.03, (rows, n)))

def fees_block(i, rows):
    return np.round(fee * np.random.default_rng([1, i, 1]).normal(1.0, 0.02, rows)).astype(np.int64)

qs = () if qmode == "none" else (0.05, 0.5, 0.95)
if mode == "numpy":
    parts = [block(i, min(chunk, S - s0)) for i, s0 in enumerate(starts)]
    pops = np.concatenate([p for p, _ in parts]); fees = np.concatenate([f for _, f in parts]); del parts
    base = hwm()
    t0, c0 = time.perf_counter(), time.process_time()
    dist = allocation.simulate(council, fee, rule, populations=pops, total_fees=fees, quantiles=qs)
else:
    import dask, dask.array as da
    from dask import delayed
    pb = [da.from_delayed(delayed(pops_block)(i, min(chunk, S - s0)), (min(chunk, S - s0), n), np.float64) for i, s0 in enumerate(starts)]
    fb = [da.from_delayed(delayed(fees_block)(i, min(chunk, S - s0)), (min(chunk, S - s0),), np.int64) for i, s0 in enumerate(starts)]
    pops, fees = da.concatenate(pb), da.concatenate(fb)
    base = hwm()
    t0, c0 = time.perf_counter(), time.process_time()
    with dask.config.set(scheduler="threads", num_workers=2):
        dist = allocation.simulate(council, fee, rule, populations=pops, total_fees=fees, quantiles=qs)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
h = hashlib.sha256(repr((dist.mean_share, dist.share_quantiles, dist.min_share, dist.max_share, dist.mean_net_cost, dist.p_bound)).encode()).hexdigest()[:12]
print(f"{wall:.2f} {cpu:.2f} {base:.0f} {hwm():.0f} {h}")
'''


def _busy(stop: Any) -> None:  # pragma: no cover - runs in a child process
    a = np.random.default_rng(0).random((300, 300))
    while not stop.is_set():
        a = (a @ a) / 300.0


def split_floor_loop(s: int, n: int, repeat: int, subset: int) -> None:
    totals, drivers, caps = workload(s, n)
    ratios = [3, 7]
    print(f"1. split_costs: S = {s:,} x N = {n:,} x 2 drivers, ratio 3:7, caps binding for about a tenth")
    t_ours, c_ours = best_of(lambda: allocation.split_costs(totals, drivers, ratios, caps=caps), repeat)
    out = np.empty((s, n), dtype=np.int64)
    t_floor, c_floor = best_of(lambda: np.add(drivers[..., 0], drivers[..., 1], out=out, casting="unsafe"),
                               max(5, repeat))
    k = min(subset, s)
    rows = [drivers[i].tolist() for i in range(k)]
    cap_list = caps.tolist()
    c0, t0 = time.process_time(), time.perf_counter()
    for i in range(k):
        split_costs_python(int(totals[i]), rows[i], ratios, cap_list)
    t_py, c_py = (time.perf_counter() - t0) / k * s, (time.process_time() - c0) / k * s
    print(f"   split_costs             {t_ours * 1e3:9.1f} ms wall {c_ours * 1e3:9.1f} ms CPU")
    print(f"   floor (read once, write once) {t_floor * 1e3:5.1f} ms wall {c_floor * 1e3:9.1f} ms CPU  "
          f"-> split_costs = {c_ours / c_floor:.1f}x the floor (CPU)")
    print(f"   pure-Python loop        {t_py * 1e3:9.1f} ms wall {c_py * 1e3:9.1f} ms CPU (from {k} scenarios)  "
          f"-> split_costs {c_py / c_ours:.0f}x faster (CPU)")


def dask_overhead(s: int, n: int, repeat: int) -> None:
    import dask.array as da

    from jichitai_cloud import examples

    totals, drivers, caps = workload(s, n)
    print(f"2. dask against numpy on this machine (S = {s:,}, chunks of 2,048 scenarios)")
    t_np, c_np = best_of(lambda: allocation.split_costs(totals, drivers, [3, 7], caps=caps), repeat)
    dt = da.from_array(totals, chunks=2048)
    dx = da.from_array(drivers, chunks=(2048, n, 2))
    t_da, c_da = best_of(lambda: allocation.split_costs(dt, dx, [3, 7], caps=caps).compute(), repeat)
    print(f"   split_costs numpy {t_np * 1e3:9.1f} ms wall {c_np * 1e3:9.1f} ms CPU;  dask {t_da * 1e3:9.1f} ms wall "
          f"{c_da * 1e3:9.1f} ms CPU  -> overhead {t_da / t_np:.2f}x wall, {c_da / c_np:.2f}x CPU")
    council = examples.toyama()
    base = np.array([m.population for m in council.members], dtype=np.float64)
    pops = np.round(base * np.random.default_rng(0).normal(1, 0.03, (s * 20, base.size)))
    rule = allocation.AllocationRule(ratios="3:7", min_reduction=0.3)
    t_np, c_np = best_of(lambda: allocation.simulate(council, 1_390_000_000, rule, populations=pops), repeat)
    dp = da.from_array(pops, chunks=(20_480, -1))
    t_da, c_da = best_of(lambda: allocation.simulate(council, 1_390_000_000, rule, populations=dp), repeat)
    print(f"   simulate (Toyama, S = {s * 20:,}) numpy {t_np * 1e3:8.1f} ms wall {c_np * 1e3:8.1f} ms CPU;  dask "
          f"{t_da * 1e3:8.1f} ms wall {c_da * 1e3:8.1f} ms CPU  -> {t_da / t_np:.1f}x wall (streaming passes: "
          "statistics, then exact quantiles)")


def national(s: int, chunk: int) -> None:
    print(f"3. national simulate from dask inputs: S = {s:,} x N = 1,741 members, chunks of {chunk:,} scenarios "
          "(fresh process)", flush=True)
    res = subprocess.run([sys.executable, "-c", NATIONAL, str(s), str(chunk)], capture_output=True, text=True,
                         check=True)
    wall, cpu, base, peak, bound = (float(v) for v in res.stdout.split())
    print(f"   {wall:.1f} s wall, {cpu:.1f} s CPU; peak resident memory {peak:.0f} MB (after imports {base:.0f} MB); "
          f"caps binding for {bound:.1%} of members on average   (targets at 6x10^4: < 800 MB, < 4 min)")


def streaming(s: int, chunk: int) -> None:
    """numpy in memory against dask streaming, each in a fresh process, with and without quantiles."""
    print(f"5. national simulate, numpy in memory against dask streaming (threads, num_workers=2): S = {s:,} x "
          f"N = 1,741, chunks of {chunk:,} scenarios made by a seeded generator (the same values both ways); "
          "each variant in a fresh process", flush=True)
    got: dict[tuple[str, str], tuple[float, ...]] = {}
    digest: dict[tuple[str, str], str] = {}
    for quantiles in ("none", "exact"):
        for mode in ("numpy", "dask"):
            res = subprocess.run([sys.executable, "-c", STREAM, str(s), str(chunk), mode, quantiles],
                                 capture_output=True, text=True, check=True)
            *nums, digest[mode, quantiles] = res.stdout.split()
            got[mode, quantiles] = tuple(float(v) for v in nums)
            wall, cpu, base, peak = got[mode, quantiles]
            print(f"   {mode:5s} quantiles {'(0.05, 0.5, 0.95)' if quantiles == 'exact' else '()':18s} "
                  f"{wall:7.1f} s wall {cpu:7.1f} s CPU   peak {peak:6.0f} MB (before simulate {base:4.0f} MB)",
                  flush=True)
    for quantiles, target in (("none", 1.5), ("exact", 2.5)):
        (tn, cn, _, _), (td, cd, _, pd) = got["numpy", quantiles], got["dask", quantiles]
        same = "equal" if digest["numpy", quantiles] == digest["dask", quantiles] else "DIFFERENT"
        print(f"   quantiles {quantiles:5s}: dask / numpy = {td / tn:.2f}x wall ({cd / cn:.2f}x CPU), target <= "
              f"{target}x; dask peak {pd:.0f} MB, target < 800 MB; results {same}")


def quiet_busy(repeat: int) -> None:
    rng = np.random.default_rng(1)
    judges = rng.random((7, 5, 12))
    nominal = np.r_[np.full(12, 5.0), 40.0]
    fixed = rng.random((5, 1))
    groups = np.array([0, 0, 0, 1, 1, 1, 1])

    def mc_limited() -> None:
        evaluation.monte_carlo(judges, nominal, fixed=fixed, groups=groups, samples=20_000, seed=0)

    def mc_default() -> None:
        rank_acceptability(judges, nominal, fixed=fixed, groups=groups, samples=20_000, seed=0)

    totals, drivers, caps = workload(2000, 1741)

    def split() -> None:
        allocation.split_costs(totals, drivers, [3, 7], caps=caps)

    cases = [("monte_carlo (one BLAS thread)", mc_limited), ("same kernel, BLAS default threads", mc_default),
             ("split_costs S = 2,000 (no BLAS)", split)]
    quiet = {name: best_of(fn, repeat) for name, fn in cases}
    stop = mp.Event()
    proc = mp.Process(target=_busy, args=(stop,), daemon=True)
    proc.start()
    time.sleep(1.0)
    try:
        busy = {name: best_of(fn, repeat) for name, fn in cases}
    finally:
        stop.set()
        proc.join(5)
    print("4. quiet and with the other core busy (a process running numpy matrix products)")
    for name, _ in cases:
        (tq, cq), (tb, cb) = quiet[name], busy[name]
        print(f"   {name:36s} quiet {tq * 1e3:8.1f} ms wall   busy {tb * 1e3:8.1f} ms wall  -> {tb / tq:5.1f}x "
              f"(CPU {cq * 1e3:.1f} / {cb * 1e3:.1f} ms)")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=10_000)
    ap.add_argument("--members", type=int, default=1_741)
    ap.add_argument("--national", type=int, default=100_000, help="scenarios of the national simulate")
    ap.add_argument("--chunk", type=int, default=2048)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--python-subset", type=int, default=10)
    ap.add_argument("--stream", type=int, default=60_000, help="scenarios of section 5 (numpy against dask)")
    ap.add_argument("--only-stream", action="store_true", help="run section 5 only")
    args = ap.parse_args(argv)
    print("(the machine may be shared with other work: figures vary; CPU time is the process's own)")
    if args.only_stream:
        streaming(args.stream, args.chunk)
        return 0
    split_floor_loop(args.scenarios, args.members, args.repeat, args.python_subset)
    dask_overhead(args.scenarios, args.members, args.repeat)
    quiet_busy(args.repeat)
    national(args.national, args.chunk)
    streaming(args.stream, args.chunk)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
