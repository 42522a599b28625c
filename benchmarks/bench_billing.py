"""Benchmark: generated FOCUS rows (CSV and Parquet) -> monthly member bills.

Compares, each variant in its own subprocess (peak memory = the subprocess's max RSS):

* ours: ``io.read_focus(path, rules=rules)`` (streaming, exact decimals, only the columns the
  rules use) + ``billing.monthly_bill``;
* ours_dask: ``billing.monthly_bill`` on ``dask.dataframe.read_csv(path, dtype=str)`` (the
  ``scale`` extra; per-partition sums, then combined): the same yen;
* floor: pyarrow ``open_csv`` streaming the same file and summing ``BilledCost`` (floats);
* pandas: ``read_csv`` of the whole file + ``groupby`` (month, account) with float sums (no
  checks, not exact: the quick script);
* pandas_same: the same job in straightforward pandas: ``read_csv`` as text, exact
  ``decimal.Decimal`` costs, the four periods parsed (late charges, periods ending before they
  start), currencies checked, tags parsed as JSON, ``groupby`` (month, account, tags) of the
  exact costs.

Each variant's time is the job alone: its imports and the council and rules are set up first.
The machine's load changes the figures from run to run (run it twice).

Targets (issue 20): ours within 3x the floor, at least 3x faster than pandas, < 1 GB for the CSV.

    python benchmarks/bench_billing.py               # 5,000,000 rows
    python benchmarks/bench_billing.py --rows 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def run_variant(name: str, csv_path: str, pq_path: str) -> dict[str, float]:
    import resource

    if name.startswith("ours"):
        from jichitai_cloud import billing, examples, io

        council = examples.toyama()
        rules = io.load_billing_rules(examples.data_path("toyama_billing_rules.toml"))
        rules = rules.with_rates({m: {"USD": "150.25"} for m in ("2025-04", "2025-05", "2025-06")})
        if name == "ours_dask_csv":
            import dask.dataframe as dd

            t0 = time.perf_counter()
            bill = billing.monthly_bill(council, dd.read_csv(csv_path, dtype=str, keep_default_na=False,
                                                             blocksize=64 << 20), rules)
        else:
            t0 = time.perf_counter()
            focus = io.read_focus(csv_path if name == "ours_csv" else pq_path, rules=rules)
            bill = billing.monthly_bill(council, focus, rules)
        check = sum(int(x) for x in bill.invoice)
    elif name == "floor_csv":
        import pyarrow.compute as pc
        import pyarrow.csv as pcsv

        t0 = time.perf_counter()
        reader = pcsv.open_csv(csv_path, convert_options=pcsv.ConvertOptions(include_columns=["BilledCost"]))
        check = sum(pc.sum(b.column(0)).as_py() for b in reader)
    elif name == "pandas_same_csv":
        import json as _json
        from decimal import Decimal

        import pandas as pd

        t0 = time.perf_counter()
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
    else:
        import pandas as pd

        t0 = time.perf_counter()
        df = pd.read_csv(csv_path, dtype={"SubAccountId": str})
        df["month"] = df["BillingPeriodStart"].str[:7]
        g = df.groupby(["month", "SubAccountId"])["BilledCost"].sum()
        check = float(g.sum())
    seconds = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    return {"seconds": seconds, "peak_mib": rss, "check": float(check)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--variant")
    ap.add_argument("--csv")
    ap.add_argument("--parquet")
    ap.add_argument("--generate", action="store_true")
    ap.add_argument("--only", help="comma-separated variants (default: all; the summary needs all)")
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
        csv_path, pq_path = Path(tmp) / "focus.csv", Path(tmp) / "focus.parquet"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--generate", "--rows", str(a.rows), "--csv", str(csv_path),
                        "--parquet", str(pq_path)], check=True)
        print(f"{a.rows:,} FOCUS rows generated in {time.perf_counter() - t0:.1f} s "
              f"(CSV {csv_path.stat().st_size / 2**20:.0f} MiB)")
        res = {}
        for v in (a.only.split(",") if a.only else VARIANTS):
            out = subprocess.run([sys.executable, __file__, "--variant", v, "--csv", str(csv_path), "--parquet",
                                  str(pq_path)], capture_output=True, text=True, env=os.environ, check=True)
            res[v] = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{v:14s} {res[v]['seconds']:8.2f} s   peak {res[v]['peak_mib']:8.0f} MiB   check {res[v]['check']:,.2f}")
    if a.only:
        return
    ours, floor, pandas = res["ours_csv"]["seconds"], res["floor_csv"]["seconds"], res["pandas_csv"]["seconds"]
    same = res["pandas_same_csv"]["seconds"]
    print(f"ours/floor = {ours / floor:.2f}x (target <= 3x); pandas/ours = {pandas / ours:.2f}x (target >= 3x), "
          f"pandas_same/ours = {same / ours:.2f}x; "
          f"ours CSV peak {res['ours_csv']['peak_mib']:.0f} MiB (target < 1024); same yen from dask: "
          f"{res['ours_dask_csv']['check'] == res['ours_csv']['check'] == res['ours_parquet']['check']}")


if __name__ == "__main__":
    main()
