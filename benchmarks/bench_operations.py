"""Benchmark: SLA compliance of 1,741 members x 20 metrics x 60 months in one call vs a plain loop.

Run with the project's environment::

    PYTHONPATH=src python benchmarks/bench_operations.py            # full size (a few seconds)
    PYTHONPATH=src python benchmarks/bench_operations.py --quick    # 200 members, for a smoke test

1,741 is the number of Japanese municipalities (市区町村); 20 SLA items with monthly, fiscal
quarterly and fiscal yearly windows and every aggregation rule; 60 months is a five-year contract
(April 2015 - March 2020).  About 5 % of the cells are missing.

``evaluate_sla`` (window aggregation, judgement, miss streaks) and the achievement per member
run in one vectorised call; the reference is a straightforward Python loop over metrics, members
and windows doing the same.  The script checks that both agree, then prints the times and their
ratio, and a memory-bandwidth floor (the time to read the input arrays once).  No peer library is
named by the issue, so none is compared.

Last, the dask path against numpy (overhead, issue 14): the kernels ``window_aggregate``,
``compliance``, ``miss_streaks`` and ``achievement`` of :data:`jichitai_cloud.operations.kernels` on
the same table, once with numpy arrays and once with dask arrays chunked along the members
(``--chunk`` members a block, default 436: four blocks), computed with dask's threads; the results
are checked equal.  Needs the ``scale`` extra (``pip install ".[scale]"``); skipped without dask.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from jichitai_cloud.model import SLAMetric
from jichitai_cloud.operations import ObservationTable, evaluate_sla


def make_case(members: int, metrics: int = 20, months: int = 60, seed: int = 7):
    rng = np.random.default_rng(seed)
    windows = ["monthly"] * 12 + ["quarterly"] * 5 + ["yearly"] * 3
    aggs = ["mean", "weighted_mean", "min", "max", "sum"]
    items = []
    for k in range(metrics):
        higher = k % 3 != 2
        items.append(SLAMetric(id=f"m{k:02d}", name=f"item {k}", unit="%" if higher else "minutes",
                               target=99.0 if higher else 60.0, direction="higher" if higher else "lower",
                               window=windows[k % len(windows)], aggregation=aggs[k % len(aggs)],
                               weight=1 + k % 4))
    higher = np.array([m.higher_is_better for m in items])
    base = np.where(higher[:, None, None], rng.normal(99.4, 0.6, (metrics, months, members)),
                    rng.gamma(4.0, 12.0, (metrics, months, members)))
    # "sum" items accumulate: scale targets so that sums are judged sensibly
    values = np.where(higher[:, None, None], np.minimum(base, 100.0), base)
    observed = rng.random((metrics, months, members)) > 0.05
    weights = rng.integers(9_000, 12_000, (metrics, months, members)).astype(np.float64)
    table = ObservationTable.from_arrays([m.id for m in items], "2015-04", values, observed, weights,
                                         members=[f"M{i:04d}" for i in range(members)])
    return items, table


def loop_evaluate(items, table):
    """The straightforward way: Python loops over metrics, members, windows and months."""
    values, observed, weights = table.values.tolist(), table.observed.tolist(), table.weights.tolist()
    start = table.start
    _k_n, t_n, n_n = table.values.shape
    results = []
    achieved = [0] * n_n
    possible = [0] * n_n
    from jichitai_cloud.operations._compliance import integer_points

    points = integer_points([m.weight for m in items]).tolist()
    for k, m in enumerate(items):
        windows: list[list[int]] = []  # months of each window (fiscal, calendar-aligned)
        last = None
        for t in range(t_n):
            ordinal = m.window.ordinal(start + t)
            if ordinal != last:
                windows.append([])
                last = ordinal
            windows[-1].append(t)
        met_k = []
        for n in range(n_n):
            row = []
            streak = 0
            for months in windows:
                xs = [values[k][t][n] for t in months if observed[k][t][n]]
                if not xs:
                    row.append((None, 0))
                    continue
                ws = [weights[k][t][n] for t in months if observed[k][t][n]]
                agg = m.aggregation.value
                if agg == "mean":
                    val = sum(xs) / len(xs)
                elif agg == "weighted_mean":
                    val = sum(x * w for x, w in zip(xs, ws, strict=True)) / sum(ws)
                elif agg == "min":
                    val = min(xs)
                elif agg == "max":
                    val = max(xs)
                else:
                    val = sum(xs)
                ok = m.meets(val)
                streak = 0 if ok else streak + 1
                row.append((ok, streak))
                possible[n] += points[k]
                achieved[n] += points[k] if ok else 0
            met_k.append(row)
        results.append(met_k)
    return results, achieved, possible


def ours(items, table):
    comp = evaluate_sla(items, table)
    ach = comp.achievement()
    return comp, ach


def kernel_chain(kernels, values, observed, weights, window, how, target, higher, points):
    """Window values, judgement, streaks and achievement through the public kernels."""
    wv, cnt = kernels.window_aggregate(values, observed, window, how, weights=weights)
    ev = cnt > 0
    met, missed = kernels.compliance(wv, ev, target, higher)
    streak = kernels.miss_streaks(missed, ev)
    achieved, possible = kernels.achievement(met, ev, points)
    return wv, met, streak, achieved, possible


def dask_overhead(items, table, chunk: int, reps: int = 3) -> None:
    """The dask path (chunked along the members) against numpy on the same table, in one process."""
    try:
        import dask
        import dask.array as da
    except ImportError:
        print("  dask path: skipped (dask is not installed; pip install \".[scale]\")")
        return
    from jichitai_cloud.operations import kernels
    from jichitai_cloud.operations._compliance import integer_points
    from jichitai_cloud.operations._timeline import Timeline

    _k, t, n = table.values.shape
    window = Timeline(table.start, t).window_numbers([m.window.months for m in items])
    how = np.array([kernels.AGGREGATIONS.index(m.aggregation.value) for m in items], dtype=np.int64)
    target = np.array([m.target for m in items])
    higher = np.array([m.higher_is_better for m in items])
    points = integer_points([m.weight for m in items])
    args = (window, how, target, higher, points)
    eager = kernel_chain(kernels, table.values, table.observed, table.weights, *args)
    lazy_in = [da.from_array(np.asarray(x), chunks=(-1, -1, chunk)) for x in (table.values, table.observed,
                                                                            table.weights)]

    def numpy_path():
        return kernel_chain(kernels, table.values, table.observed, table.weights, *args)

    def dask_path():
        return dask.compute(*kernel_chain(kernels, *lazy_in, *args), scheduler="threads")

    for got, want in zip(dask_path(), eager, strict=True):
        assert np.array_equal(got, want)
    times = {}
    for name, fn in (("numpy", numpy_path), ("dask", dask_path)):
        fn()
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(reps):
            fn()
        times[name] = ((time.perf_counter() - t0) / reps, (time.process_time() - c0) / reps)
    (t_np, c_np), (t_da, c_da) = times["numpy"], times["dask"]
    blocks = -(-n // chunk)
    print(f"  dask path (kernels window_aggregate + compliance + miss_streaks + achievement, {blocks} blocks "
          f"of {chunk} members, threads):")
    print(f"    numpy {t_np * 1e3:8.1f} ms wall {c_np * 1e3:8.1f} ms CPU;  dask {t_da * 1e3:8.1f} ms wall "
          f"{c_da * 1e3:8.1f} ms CPU  -> overhead {t_da / t_np:4.2f}x wall, {c_da / c_np:4.2f}x CPU; results agree")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1741)
    parser.add_argument("--quick", action="store_true", help="200 members")
    parser.add_argument("--chunk", type=int, default=436, help="members per dask block (default 436)")
    args = parser.parse_args()
    members = 200 if args.quick else args.members
    items, table = make_case(members)
    k, t, n = table.values.shape
    print(f"SLA compliance: {n:,} members x {k} metrics x {t} months = {k * t * n:,} cells")

    ours(items, table)  # warm up
    reps = 3
    t0 = time.perf_counter()
    for _ in range(reps):
        comp, ach = ours(items, table)
    t_ours = (time.perf_counter() - t0) / reps

    tracemalloc.start()
    ours(items, table)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    t0 = time.perf_counter()
    ref, r_ach, r_pos = loop_evaluate(items, table)
    t_loop = time.perf_counter() - t0

    # agreement
    for kk in range(k):
        for nn in range(0, n, max(1, n // 50)):
            for w, (ok, streak) in enumerate(ref[kk][nn]):
                assert ok is None or (bool(comp.met[kk, w, nn]) == ok and int(comp.streak[kk, w, nn]) == streak)
    assert np.array_equal(ach.achieved, r_ach) and np.array_equal(ach.possible, r_pos)

    t0 = time.perf_counter()
    for _ in range(reps):
        float(table.values.sum()) + float(table.weights.sum()) + int(table.observed.sum())
    t_floor = (time.perf_counter() - t0) / reps
    nbytes = table.values.nbytes + table.weights.nbytes + table.observed.nbytes

    print(f"  one call (evaluate_sla + achievement): {t_ours * 1e3:9.1f} ms   peak memory {peak / 2**20:7.1f} MiB")
    print(f"  straightforward Python loop:           {t_loop * 1e3:9.1f} ms")
    print(f"  memory-bandwidth floor (read {nbytes / 2**20:.0f} MiB once): {t_floor * 1e3:9.1f} ms")
    print(f"  ratio loop / one call: {t_loop / t_ours:8.1f} x")
    print(f"  ratio one call / floor: {t_ours / t_floor:7.1f} x")
    print("  results agree: yes")
    dask_overhead(items, table, min(args.chunk, members))


if __name__ == "__main__":
    main()
