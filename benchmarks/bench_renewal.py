"""Benchmark of the renewal comparison (サービス継続・切替の判断) under uncertainty.

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_renewal.py                    # 1,741 x 3 x 120 months x 100,000 samples
    PYTHONPATH=src python benchmarks/bench_renewal.py --samples 10000    # quicker

The workload is the issue's: N = 1,741 members (the municipalities of Japan), 3 options (continue,
switch to vendor B, switch to vendor C), each with per-member monthly fees (lognormal around 3
million yen), per-member one-offs (data migration), double running, over 120 months at a 2 %
discount rate, with every option's monthly fee (factor 0.9-1.15), one-offs (factor 0.8-1.5) and
yearly change (0-4 %) uncertain: S samples.

Printed, measured in the same run:

* the time and the peak memory (``tracemalloc``, numpy's allocations included) of
  ``compare_renewal(..., samples=S)`` — the sample axis in chunks, 12-month blocks in closed form, no
  month axis;
* a straightforward loop over samples (each sample month by month, vectorised over members only),
  timed on ``--loop-samples`` samples and scaled to S;
* the memory floor: the (S, O) present values a sample comparison must hold, and the (N,) fees.

Peer library: none computes this decision; the loop is the baseline.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from jichitai_cloud import Consortium, Month, Municipality
from jichitai_cloud.renewal import RenewalOption, compare_renewal


def workload(n: int, seed: int = 0) -> tuple[Consortium, list[RenewalOption], dict[str, dict[str, tuple[float, float]]]]:
    rng = np.random.default_rng(seed)
    codes = [f"M{i:04d}" for i in range(n)]
    pop = rng.integers(1_000, 400_000, n)
    members = tuple(Municipality(code=c, name=f"団体{i}", population=int(p), current_cost=int(p) * 20_000)
                    for i, (c, p) in enumerate(zip(codes, pop, strict=True)))
    council = Consortium(name="全国 (合成)", members=members, period_start=Month(2026, 4), period_months=60)
    base = rng.lognormal(np.log(3_000_000), 0.6, n).astype(np.int64)
    opts = [RenewalOption("継続", monthly_fee=dict(zip(codes, base.tolist(), strict=True)), yearly_change=0.02)]
    for name, level in (("切替B", 0.85), ("切替C", 0.9)):
        fees = (base * level).astype(np.int64)
        one = (base * rng.uniform(4, 10, n)).astype(np.int64)
        opts.append(RenewalOption(name, monthly_fee=dict(zip(codes, fees.tolist(), strict=True)),
                                  one_off=dict(zip(codes, one.tolist(), strict=True)), parallel_months=3))
    unc = {o.name: {"monthly_fee": (0.9, 1.15), "one_off": (0.8, 1.5), "yearly_change": (0.0, 0.04)} for o in opts}
    return council, opts, unc


def loop(options: list[RenewalOption], codes: tuple[str, ...], unc: dict[str, dict[str, tuple[float, float]]],
         samples: int, horizon: int, rate: float, seed: int) -> np.ndarray:
    """Present values (S, O), sample by sample and month by month (vectorised over members only)."""
    rng = np.random.default_rng(seed)
    u = rng.random((len(options), 3, samples))
    out = np.zeros((samples, len(options)))
    fees = [np.array([o.monthly_fee[c] for c in codes], dtype=float) for o in options]  # type: ignore[index]
    for s in range(samples):
        first = 0.0
        for k, o in enumerate(options):
            (f0, f1), (g0, g1), (r0, r1) = (unc[o.name][key] for key in ("monthly_fee", "one_off", "yearly_change"))
            f, g, r = f0 + (f1 - f0) * u[k, 0, s], g0 + (g1 - g0) * u[k, 1, s], r0 + (r1 - r0) * u[k, 2, s]
            pv = 0.0
            for m in range(horizon):
                fee = float(np.rint(fees[k] * f * (1 + r) ** (m // 12)).sum())
                if k == 0 and m == 0:
                    first = fee
                pv += fee / (1 + rate) ** (m / 12)
            out[s, k] = pv + np.rint(g * o.one_off_total) + o.parallel_months * first
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--members", type=int, default=1741)
    p.add_argument("--samples", type=int, default=100_000)
    p.add_argument("--loop-samples", type=int, default=1_000)
    p.add_argument("--horizon", type=int, default=120)
    args = p.parse_args()
    council, opts, unc = workload(args.members)
    rate = 0.02
    tracemalloc.start()
    t0 = time.perf_counter()
    c = compare_renewal(council, opts, horizon_months=args.horizon, discount_rate=rate, samples=args.samples,
                        seed=1, uncertain=unc)
    ours = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    t0 = time.perf_counter()
    ref = loop(opts, council.codes, unc, args.loop_samples, args.horizon, rate, seed=1)
    slow = (time.perf_counter() - t0) * args.samples / args.loop_samples
    small = compare_renewal(council, opts, horizon_months=args.horizon, discount_rate=rate,
                            samples=args.loop_samples, seed=1, uncertain=unc, levels=(0.0, 1.0))
    best = np.bincount(ref.argmin(axis=1), minlength=len(opts)) / args.loop_samples
    agree = all(abs(best[k] - small.probability[k]) < 1e-12 for k in range(len(opts)))  # type: ignore[index]
    floor = args.samples * len(opts) * 8 + args.members * 8
    print(f"renewal: {args.members:,} members x {len(opts)} options x {args.horizon} months x {args.samples:,} samples")
    print(f"  ours (chunked samples, 12-month blocks)  {ours:10.2f} s   peak memory {peak / 2**20:8.1f} MiB")
    print(f"  loop over samples (scaled from {args.loop_samples:,})  {slow:10.2f} s   ({slow / ours:,.0f}x slower)")
    print(f"  memory floor (S x O present values)       {floor / 2**20:8.1f} MiB")
    print(f"  probability cheapest: {dict(c.probability_cheapest)}")
    print(f"  loop and ours agree on the cheapest in each of {args.loop_samples:,} samples: {agree}")


if __name__ == "__main__":
    main()
