"""Benchmark: generated FOCUS rows (CSV and Parquet) -> monthly member bills.

Compares, each variant in its own subprocess (peak memory = the subprocess's max RSS):

* ours: ``io.read_focus(path, rules=rules)`` (streaming, exact decimals, only the columns the
  rules use) + ``billing.monthly_bill``;
* ours_dask: ``billing.monthly_bill`` on ``dask.dataframe.read_csv(path, dtype=str)`` (the
  ``scale`` extra; per-partition sums, then combined): the same yen;
* floor: pyarrow ``open_csv`` streaming the same file and summing ``BilledCost`` (floats);
* pandas: the same job as the straightforward pandas script the issue names (``pandas_bill``):
  ``read_csv`` of the whole file, ``Tags`` parsed with ``json.loads``, the assign rules as boolean
  masks, ``groupby`` (month, currency, assignee) of float costs, converted at the month's rate,
  the pools split by their rules: the member bills, with float sums and no checks;
* pandas_same: the same job in straightforward pandas: ``read_csv`` as text, exact
  ``decimal.Decimal`` costs, the four periods parsed (late charges, periods ending before they
  start), currencies checked, tags parsed as JSON, ``groupby`` (month, account, tags) of the
  exact costs.

Each variant's time is the job alone: its imports and the council and rules are set up first
(for ours: pyarrow, and pandas, which pyarrow imports at its first array conversion when it is
installed).  Wall-clock and CPU time (user + system, every thread) are printed; the machine's
load changes the wall-clock figures from run to run: ``--repeat N`` runs the variants in turn N
times and shows the best of each.

Targets (issue 20): ours within 3x the floor, at least 3x faster than pandas, < 1 GB for the CSV.

    python benchmarks/bench_billing.py               # 5,000,000 rows
    python benchmarks/bench_billing.py --rows 1000000 --repeat 3 --only ours_csv,floor_csv,pandas_csv
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

VARIANTS = ("ours_csv", "ours_parquet", "ours_dask_csv", "floor_csv", "pandas_csv", "pandas_same_csv")


def generate(path: Path, rows: int) -> None:
    rnd = random.Random(0)
    accounts = [f"1000000000{k:02d}" for k in range(7)]
    services = ["Amazon EC2", "Amazon RDS", "Amazon S3", "AWS Direct Connect"]
    head = ("BilledCost,EffectiveCost,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,"
            "ChargePeriodEnd,ChargeCategory,ServiceName,ProviderName,SubAccountId,Tags,ResourceId\n")
    months = [("2025-04", "2025-05"), ("2025-05", "2025-06"), ("2025-06", "2025-07")]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(head)
        chunk = []
        for i in range(rows):
            m0, m1 = months[i % 3]
            h = i % 24
            acct = accounts[i % 7]
            tag = '"{""business_unit"": ""共通""}"' if acct.endswith("00") else ""
            cost = f"{rnd.random() * 3:.10f}"
            chunk.append(f"{cost},{cost},USD,{m0}-01T00:00:00Z,{m1}-01T00:00:00Z,{m0}-02T{h:02d}:00:00Z,"
                         f"{m0}-02T{h:02d}:59:59Z,Usage,{services[i % 4]},AWS,{acct},{tag},i-{i % 500}\n")
            if len(chunk) >= 100_000:
                fh.write("".join(chunk))
                chunk = []
        fh.write("".join(chunk))


def pandas_bill(pd: Any, csv_path: str, council: Any, rules: Any) -> int:
    """The monthly member bills as a straightforward pandas script: ``read_csv`` of the whole file,
    the tags parsed with ``json.loads``, the rules applied as boolean masks (first match wins),
    ``groupby`` (month, currency, assignee) of float costs, converted at the month's rate, each
    pool split by its rule's shares and rounded.  No checks, float sums (the quick script); returns
    the sum of the months' invoices in yen."""
    import fnmatch
    import json as _json

    import numpy as np

    from jichitai_cloud import Month
    from jichitai_cloud.allocation import split_costs

    df = pd.read_csv(csv_path, dtype={"SubAccountId": str})
    df["month"] = df["BillingPeriodStart"].str[:7]
    tags = df["Tags"].dropna().map(lambda s: {k.strip(): v for k, v in _json.loads(s).items()})
    tag = {k: tags.str.get(k).reindex(df.index) for k in {a.tag[0] for a in rules.assign if a.tag is not None}}
    to = pd.Series(rules.unassigned, index=df.index, dtype=object)
    free = pd.Series(True, index=df.index)
    for a in rules.assign:
        hit = free.copy()
        if a.sub_account is not None:
            hit &= df["SubAccountId"] == a.sub_account
        if a.service is not None:
            hit &= df["ServiceName"] == a.service
        if a.resource is not None:
            hit &= df["ResourceId"].astype(str).str.match(fnmatch.translate(a.resource))
        if a.tag is not None:
            hit &= tag[a.tag[0]] == a.tag[1]
        to[hit] = a.to
        free &= ~hit
    df["to"] = to
    g = df.groupby(["month", "BillingCurrency", "to"])["BilledCost"].sum().reset_index()
    rate = [float(rules.rate(Month.parse(m), c)) for m, c in zip(g["month"], g["BillingCurrency"], strict=True)]
    g["yen"] = g["BilledCost"] * rate
    yen = g.pivot_table(index="month", columns="to", values="yen", aggfunc="sum", fill_value=0.0)
    invoice = yen.sum(axis=1).round()
    bills = pd.DataFrame(0.0, index=yen.index, columns=list(council.codes))
    for c in council.codes:
        if c in yen:
            bills[c] += yen[c]
    for name in rules.pool_names:
        rule = rules.pools[name]
        while not hasattr(rule, "drivers"):
            rule = rules.pools[rule.pool]
        drivers = np.array([[m.driver(d) for d in rule.drivers] for m in council.members], dtype=float)
        pool = yen[name].to_numpy() if name in yen else np.zeros(len(yen))
        shares = split_costs(np.rint(pool).astype(np.int64), np.broadcast_to(drivers, (len(yen), *drivers.shape)),
                             np.asarray(rule.weights, dtype=float), tie=rule.tie)
        bills += shares
    bills = bills.round()
    return int(invoice.sum())


def _clock() -> tuple[float, float]:
    """Wall-clock and CPU time (user + system, every thread of the process) now. [s]"""
    import resource

    ru = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), ru.ru_utime + ru.ru_stime


def run_variant(name: str, csv_path: str, pq_path: str) -> dict[str, float]:
    import resource

    if name.startswith("ours"):
        import pyarrow.csv  # the imports read_focus makes, set up first as for the other variants
        import pyarrow.parquet  # noqa: F401

        with contextlib.suppress(ImportError):  # pyarrow imports pandas (if installed) at its first array
            import pandas  # noqa: F401  conversion: an import too, as in the pandas variants

        from jichitai_cloud import billing, examples, io

        council = examples.toyama()
        rules = io.load_billing_rules(examples.data_path("toyama_billing_rules.toml"))
        rules = rules.with_rates({m: {"USD": "150.25"} for m in ("2025-04", "2025-05", "2025-06")})
        if name == "ours_dask_csv":
            import dask.dataframe as dd

            t0, cpu0 = _clock()
            bill = billing.monthly_bill(council, dd.read_csv(csv_path, dtype=str, keep_default_na=False,
                                                             blocksize=64 << 20), rules)
        else:
            t0, cpu0 = _clock()
            focus = io.read_focus(csv_path if name == "ours_csv" else pq_path, rules=rules)
            bill = billing.monthly_bill(council, focus, rules)
        check = sum(int(x) for x in bill.invoice)
    elif name == "floor_csv":
        import pyarrow.compute as pc
        import pyarrow.csv as pcsv

        t0, cpu0 = _clock()
        reader = pcsv.open_csv(csv_path, convert_options=pcsv.ConvertOptions(include_columns=["BilledCost"]))
        check = sum(pc.sum(b.column(0)).as_py() for b in reader)
    elif name == "pandas_same_csv":
        import json as _json
        from decimal import Decimal

        import pandas as pd

        t0, cpu0 = _clock()
        df = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        cost = df["BilledCost"].map(Decimal)
        t = {c: pd.to_datetime(df[c], utc=True) for c in ("BillingPeriodStart", "BillingPeriodEnd",
                                                          "ChargePeriodStart", "ChargePeriodEnd")}
        assert not (t["ChargePeriodEnd"] < t["ChargePeriodStart"]).any()
        late = (t["ChargePeriodStart"] < t["BillingPeriodStart"]) | (t["ChargePeriodEnd"] > t["BillingPeriodEnd"])
        assert df["BillingCurrency"].isin(["USD", "JPY"]).all()
        unit = df["Tags"].map(lambda x: _json.loads(x).get("business_unit") if x else None)
        g = pd.DataFrame({"month": t["BillingPeriodStart"].dt.strftime("%Y-%m"), "acct": df["SubAccountId"],
                          "unit": unit.fillna(""), "late": late, "cost": cost}).groupby(
            ["month", "acct", "unit", "late"])["cost"].sum()
        check = float(sum(g))
    else:  # pandas_csv: the straightforward pandas script of the same job (floats, no checks)
        import pandas as pd

        from jichitai_cloud import examples, io

        council = examples.toyama()
        rules = io.load_billing_rules(examples.data_path("toyama_billing_rules.toml"))
        rules = rules.with_rates({m: {"USD": "150.25"} for m in ("2025-04", "2025-05", "2025-06")})
        t0, cpu0 = _clock()
        check = pandas_bill(pd, csv_path, council, rules)
    seconds = time.perf_counter() - t0
    ru = resource.getrusage(resource.RUSAGE_SELF)
    cpu = ru.ru_utime + ru.ru_stime - cpu0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    return {"seconds": seconds, "cpu": cpu, "peak_mib": rss, "check": float(check)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--variant")
    ap.add_argument("--csv")
    ap.add_argument("--parquet")
    ap.add_argument("--generate", action="store_true")
    ap.add_argument("--only", help="comma-separated variants (default: all)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each variant, taking turns; the best is shown")
    ap.add_argument("--data", help="folder to keep the generated files in (reused when present)")
    a = ap.parse_args()
    if a.generate:  # in its own process, so the variants' peak memory does not inherit it
        generate(Path(a.csv), a.rows)
        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq

        pq.write_table(pcsv.read_csv(a.csv, convert_options=pcsv.ConvertOptions(
            column_types={"SubAccountId": "string", "BilledCost": "string", "EffectiveCost": "string"})), a.parquet)
        return
    if a.variant:
        print(json.dumps(run_variant(a.variant, a.csv, a.parquet)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(a.data) if a.data else Path(tmp)
        csv_path, pq_path = folder / f"focus_{a.rows}.csv", folder / f"focus_{a.rows}.parquet"
        if not (csv_path.exists() and pq_path.exists()):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--generate", "--rows", str(a.rows), "--csv", str(csv_path),
                            "--parquet", str(pq_path)], check=True)
            print(f"{a.rows:,} FOCUS rows generated in {time.perf_counter() - t0:.1f} s")
        print(f"{a.rows:,} FOCUS rows, CSV {csv_path.stat().st_size / 2**20:.0f} MiB; best of {a.repeat} run(s) each, "
              "the variants taking turns")
        res: dict[str, dict[str, float]] = {}
        variants = a.only.split(",") if a.only else VARIANTS
        for _ in range(a.repeat):
            for v in variants:
                out = subprocess.run([sys.executable, __file__, "--variant", v, "--csv", str(csv_path), "--parquet",
                                      str(pq_path)], capture_output=True, text=True, env=os.environ, check=True)
                one = json.loads(out.stdout.strip().splitlines()[-1])
                best = res.setdefault(v, one)
                for k in ("seconds", "cpu", "peak_mib"):
                    best[k] = min(best[k], one[k])
        for v, r in res.items():
            print(f"{v:16s} {r['seconds']:8.2f} s  cpu {r['cpu']:8.2f} s   peak {r['peak_mib']:6.0f} MiB   "
                  f"check {r['check']:,.2f}")
    if not all(v in res for v in ("ours_csv", "floor_csv", "pandas_csv")):
        return
    ours, floor, pandas = (res[v]["seconds"] for v in ("ours_csv", "floor_csv", "pandas_csv"))
    cpu = {v: res[v]["cpu"] for v in ("ours_csv", "floor_csv", "pandas_csv")}
    print(f"ours/floor = {ours / floor:.2f}x wall, {cpu['ours_csv'] / cpu['floor_csv']:.2f}x cpu (target <= 3x); "
          f"pandas/ours = {pandas / ours:.2f}x wall, {cpu['pandas_csv'] / cpu['ours_csv']:.2f}x cpu (target >= 3x); "
          f"ours CSV peak {res['ours_csv']['peak_mib']:.0f} MiB (target < 1024)")
    if "pandas_same_csv" in res:
        print(f"pandas_same/ours = {res['pandas_same_csv']['seconds'] / ours:.2f}x wall")
    if all(v in res for v in ("ours_dask_csv", "ours_parquet")):
        print(f"same yen from CSV, Parquet, dask and pandas: "
              f"{res['ours_dask_csv']['check'] == res['ours_csv']['check'] == res['ours_parquet']['check'] == res['pandas_csv']['check']}")


if __name__ == "__main__":
    main()
