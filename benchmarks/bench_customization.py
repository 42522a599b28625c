"""Benchmark: customization kernels at national scale, against a straightforward loop.

A national-scale joint procurement: R = 2,000 customization requests x N = 200 members.  Measured in
one run and printed:

* ``share_quotes`` (vectorised, Hamilton rounding with equal weights through ``allocation.equal_split``) against a
  straightforward pure-Python loop over requests and members, and against an integer closed form
  (``divmod`` of the quote and a running count of adopters; same result) for reference;
* ``stable_adopters`` (vectorised, a loop over drop-out rounds only) against a pure-Python loop
  over requests, rounds and members;
* a memory-bandwidth floor (copying the inputs and writing an output of the same size);
* peak memory of each kernel call (tracemalloc).

No peer library is named by the issue, so none is compared.

Run::

    PYTHONPATH=src python benchmarks/bench_customization.py            # R=2000, N=200
    PYTHONPATH=src python benchmarks/bench_customization.py --requests 500 --members 50
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from jichitai_cloud.customization import drop_out_rounds, share_quotes, stable_adopters


def make_problem(r: int, n: int, seed: int = 2016) -> tuple[NDArray[np.int64], NDArray[np.bool_], NDArray[np.int64]]:
    """Quotes with economies of scale, adopters (about a third), willingness near the equal shares."""
    rng = np.random.default_rng(seed)
    k = np.arange(n + 1)
    fixed = rng.integers(100, 3_000, size=(r, 1)) * 1_000            # 100,000 .. 3,000,000 yen
    per_member = rng.integers(0, 50, size=(r, 1)) * 1_000            # 0 .. 50,000 yen per adopter
    quotes = (fixed + per_member * k).astype(np.int64)
    quotes[:, 0] = 0
    adopters = rng.random((r, n)) < 0.35
    interested = rng.random((r, n)) < 0.5
    share_at_half = quotes[np.arange(r), np.maximum(interested.sum(1), 1)] // np.maximum(interested.sum(1), 1)
    willingness = (share_at_half[:, None] * rng.uniform(0.3, 3.0, size=(r, n))).astype(np.int64)
    willingness = np.where(interested, np.maximum(willingness, 1), 0)
    return quotes, adopters, willingness


def loop_share(quotes: list[list[int]], adopters: list[list[bool]]) -> list[list[int]]:
    out = []
    for q, a in zip(quotes, adopters, strict=True):
        k = sum(a)
        row = [0] * len(a)
        if k:
            base, extra = divmod(q[k], k)
            seen = 0
            for i, x in enumerate(a):
                if x:
                    row[i] = base + (1 if seen < extra else 0)
                    seen += 1
        out.append(row)
    return out


def loop_stable(quotes: list[list[int]], willing: list[list[int]]) -> list[list[bool]]:
    out = []
    for q, w in zip(quotes, willing, strict=True):
        active = [x > 0 for x in w]
        while True:
            k = sum(active)
            if k == 0:
                break
            total = q[k]
            drop = [a and x * k < total for a, x in zip(active, w, strict=True)]
            if not any(drop):
                break
            active = [a and not d for a, d in zip(active, drop, strict=True)]
        out.append(active)
    return out


def closed_form_share(quotes: NDArray[np.int64], adopters: NDArray[np.bool_]) -> NDArray[np.int64]:
    k = adopters.sum(-1)
    total = np.take_along_axis(quotes, k[:, None], -1)[:, 0]
    base, extra = np.divmod(total, np.maximum(k, 1))
    rank = np.cumsum(adopters, axis=-1) - 1
    out: NDArray[np.int64] = np.where(adopters, base[:, None] + (rank < extra[:, None]), 0)
    return out


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def peak_bytes(fn: Callable[[], Any]) -> int:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--requests", type=int, default=2_000)
    p.add_argument("--members", type=int, default=200)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    r, n = args.requests, args.members
    quotes, adopters, willing = make_problem(r, n)
    ql, al, wl = quotes.tolist(), adopters.tolist(), willing.tolist()
    print(f"customization kernels: R = {r:,} requests x N = {n:,} members")

    t_share, shares = best_of(lambda: share_quotes(quotes, adopters), args.repeat)
    t_closed, closed = best_of(lambda: closed_form_share(quotes, adopters), args.repeat)
    t_loop_share, loop_shares = best_of(lambda: loop_share(ql, al), 3)
    assert np.array_equal(shares, np.asarray(loop_shares))
    assert np.array_equal(shares, closed)

    t_floor, _ = best_of(lambda: (quotes.copy(), adopters.copy(), np.empty((r, n), np.int64).fill(0)),
                         args.repeat)

    t_stable, stable = best_of(lambda: stable_adopters(quotes, willing), args.repeat)
    t_loop_stable, loop_st = best_of(lambda: loop_stable(ql, wl), 3)
    assert np.array_equal(stable, np.asarray(loop_st, dtype=bool))
    rounds = int(drop_out_rounds(quotes, willing).max())

    m_share = peak_bytes(lambda: share_quotes(quotes, adopters))
    m_stable = peak_bytes(lambda: stable_adopters(quotes, willing))

    rows = [
        ("share_quotes (equal_split)", t_share, t_loop_share / t_share, m_share),
        ("share_quotes closed form (ref.)", t_closed, t_loop_share / t_closed, None),
        ("share_quotes pure-Python loop", t_loop_share, 1.0, None),
        ("memory-bandwidth floor", t_floor, t_loop_share / t_floor, None),
        ("stable_adopters", t_stable, t_loop_stable / t_stable, m_stable),
        ("stable_adopters pure-Python loop", t_loop_stable, 1.0, None),
    ]
    print(f"{'method':<34}{'time [ms]':>12}{'x loop':>10}{'peak [MB]':>12}")
    for name, t, ratio, mem in rows:
        mem_s = f"{mem / 2**20:>12.1f}" if mem is not None else f"{'':>12}"
        print(f"{name:<34}{t * 1e3:>12.2f}{ratio:>10.1f}{mem_s}")
    print(f"share_quotes: {t_loop_share / t_share:.1f}x faster than the loop "
          f"({t_share / t_floor:.1f}x the memory-bandwidth floor)")
    print(f"stable_adopters: {t_loop_stable / t_stable:.1f}x faster than the loop "
          f"({rounds} drop-out rounds, {int(stable.sum()):,} of {int((willing > 0).sum()):,} interested stay)")


if __name__ == "__main__":
    main()
