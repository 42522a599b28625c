"""Benchmark of the data migration check (データ移行検証): :func:`io.read_extract` + :func:`migration.check_extract`.

Run from the repository root::

    PYTHONPATH=src python benchmarks/bench_migration.py                      # 1,000,000 records, 60 fields
    PYTHONPATH=src python benchmarks/bench_migration.py --records 100000     # quicker

The workload is the issue's: a CP932 CSV extract of 1,000,000 records against a 60-field layout
(a text key, full-width names and addresses counted in bytes, half-width kana, 和暦 and Gregorian
dates, amounts with decimals, codes from a table), about 1 % of the values made to fail one rule.

Printed, measured in the same run:

* the floor: reading the file and decoding it from CP932 once, in the same 4 MiB chunks;
* ours: reading it in batches and checking every field's rules over the batch's CP932 bytes;
* a straightforward per-record Python loop (``csv.reader`` and one check per value, the same
  rules), timed on the first 50,000 records and scaled to the whole file;
* the peak memory of ours (``tracemalloc``: every Python and numpy allocation, in a separate run),
  against the file size.

Each is timed in wall-clock and in CPU time of this process: on a shared machine the wall-clock
times swing with the other load, the CPU times much less.  The floor and ours are each the best of
``--repeat`` runs (3), taken in turns; the loop is timed once (it runs long enough to be steady).

Targets (issue 21): within 4x the floor, at least 20x faster than the loop, peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import io as _io
import os
import re
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from jichitai_cloud import io, migration
from jichitai_cloud.model import DataLayout, LayoutField

_CHUNK = 1 << 22
T = TypeVar("T")


def make_layout() -> DataLayout:
    """60 fields: a key, then text, numbers, dates and codes in turn."""
    fields = [LayoutField(field_id="F00", name="宛名番号", length=15, unit="バイト", key=True)]
    kinds = ["文字", "数値", "日付", "コード", "文字"]
    for i in range(1, 60):
        kind = kinds[i % 5]
        fid = f"F{i:02d}"
        if kind == "文字":
            fields.append(LayoutField(field_id=fid, name=f"項目{i}", length=20, unit="バイト", required=i % 2 == 0))
        elif kind == "数値":
            fields.append(LayoutField(field_id=fid, type="数値", length=10, decimals=2))
        elif kind == "日付":
            fields.append(LayoutField(field_id=fid, type="日付", length=9, format="GYY.MM.DD" if i % 2 else "YYYYMMDD"))
        else:
            fields.append(LayoutField(field_id=fid, type="コード", length=2, code_table="区分"))
    return DataLayout(name="bench", fields=tuple(fields), code_tables={"区分": tuple(f"{k:02d}" for k in range(1, 21))})


def make_file(path: str, layout: DataLayout, n: int, seed: int = 21) -> None:
    """Write ``n`` CP932 records in blocks (numpy choices of prepared values)."""
    rng = np.random.default_rng(seed)
    pools: list[np.ndarray] = []
    for f in layout.fields[1:]:
        if f.type.value == "文字":
            pool = ["山田　太郎", "中川　花子", "ﾔﾏﾀﾞ ﾀﾛｳ", "富山市新総曲輪１－７", "高岡市広小路７－５０", ""]
        elif f.type.value == "数値":
            pool = ["0", "15000", "123.45", "-7.5", "99999.99", "1.234"]
        elif f.type.value == "日付":
            pool = (["H31.04.30", "R01.05.01", "S50.12.31", "H31.05.01"] if f.format == "GYY.MM.DD"
                    else ["20190430", "20240229", "19991231", "20230229"])
        else:
            pool = ["01", "05", "20", "99"]
        pools.append(np.array(pool))
    block = 50_000
    with open(path, "wb") as fh:
        for start in range(0, n, block):
            m = min(block, n - start)
            cols = [np.char.zfill(np.arange(start + 1, start + m + 1).astype(str), 15)]
            for pool in pools:
                p = np.full(len(pool), 0.99 / (len(pool) - 1))
                p[-1] = 0.01
                cols.append(pool[rng.choice(len(pool), size=m, p=p / p.sum())])
            rows = np.stack(cols, axis=1)
            text = "\r\n".join(",".join(r) for r in rows.tolist()) + "\r\n"
            fh.write(text.encode("cp932"))


def floor(path: str) -> float:
    t = time.perf_counter()
    dec = _io.IncrementalNewlineDecoder(None, translate=False)
    import codecs

    d = codecs.getincrementaldecoder("cp932")()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            d.decode(chunk)
    _ = dec
    return time.perf_counter() - t


_NUM = re.compile(r"^[+-]?\d+(\.\d+)?$")


def loop(path: str, layout: DataLayout, limit: int) -> tuple[float, int]:
    """A straightforward per-record check of the same rules (first ``limit`` records)."""
    codes = {name: set(c) for name, c in layout.code_tables.items()}
    t = time.perf_counter()
    fails = 0
    seen: dict[str, int] = {}
    with open(path, encoding="cp932", newline="") as fh:
        for k, row in enumerate(csv.reader(fh)):
            if k >= limit:
                break
            for f, v in zip(layout.fields, row, strict=True):
                if f.required and not v:
                    fails += 1
                if not v:
                    continue
                try:  # the charset check, and the bytes a バイト length counts: one encoding a value
                    raw = v.encode("cp932")
                except UnicodeEncodeError:
                    fails += 1
                    raw = v.encode("cp932", errors="replace")
                size = len(raw) if f.unit.value == "バイト" else len(v)
                fails += size > f.length
                if f.type.value == "数値":
                    if not _NUM.match(v) or ("." in v and len(v.split(".")[1]) > f.decimals):
                        fails += 1
                elif f.type.value == "日付":
                    try:
                        if f.format == "YYYYMMDD":
                            _dt.date(int(v[:4]), int(v[4:6]), int(v[6:8]))
                        else:
                            era = {"S": 1925, "H": 1988, "R": 2018}[v[0]]
                            _dt.date(era + int(v[1:3]), int(v[4:6]), int(v[7:9]))
                    except (ValueError, KeyError):
                        fails += 1
                elif f.type.value == "コード":
                    fails += v not in codes[f.code_table or ""]
            seen[row[0]] = seen.get(row[0], 0) + 1
    return time.perf_counter() - t, fails


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def _run(run: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = run()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--loop-records", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3, help="runs of the floor and of ours; the best is shown")
    args = ap.parse_args()
    layout = make_layout()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "extract.csv")
        t = time.perf_counter()
        make_file(path, layout, args.records)
        size = os.path.getsize(path)
        print(f"extract: {args.records:,} records x {len(layout.fields)} fields, {size / 2**20:,.0f} MiB CP932 "
              f"(written in {time.perf_counter() - t:.1f} s)")
        migration.allowed_table(), migration.width_table("cp932")  # built once per process, not timed
        t_floor = c_floor = t_ours = c_ours = float("inf")
        for _ in range(max(args.repeat, 1)):  # in turns, so that both see the same load
            tf, cf = _timed(lambda: floor(path))
            (check, to, co) = _run(lambda: migration.check_extract(io.read_extract(path, layout)))
            t_floor, c_floor, t_ours, c_ours = min(t_floor, tf), min(c_floor, cf), min(t_ours, to), min(c_ours, co)
        tracemalloc.start()  # a separate run: tracing every allocation slows the timed one
        migration.check_extract(io.read_extract(path, layout))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        n_loop = min(args.loop_records, args.records)
        (_, t_loop, c_loop) = _run(lambda: loop(path, layout, n_loop))
        scale = args.records / n_loop
        t_loop_all, c_loop_all = t_loop * scale, c_loop * scale
        print("                               wall (s)   CPU (s)   (the machine may be shared: CPU time is this "
              "process's own)")
        print(f"floor (read + decode once):   {t_floor:8.2f}  {c_floor:8.2f}")
        print(f"ours (read_extract + check):  {t_ours:8.2f}  {c_ours:8.2f}   {t_ours / t_floor:5.1f}x the floor "
              f"(CPU {c_ours / c_floor:4.1f}x)   (target <= 4x)")
        print(f"per-record Python loop:       {t_loop_all:8.2f}  {c_loop_all:8.2f}   (timed on {n_loop:,} records, "
              f"scaled)   ours is {t_loop_all / t_ours:5.1f}x faster (CPU {c_loop_all / c_ours:4.1f}x)   "
              "(target >= 20x)")
        print(f"peak memory of ours:          {peak / 2**20:8.0f} MiB (file {size / 2**20:,.0f} MiB)   (target < 1024 MiB)")
        print(f"records {check.records:,}, failing {check.failed_records:,}, "
              f"rules failing: {len(check.counts())}")


if __name__ == "__main__":
    main()
