"""Benchmark: rendering a national-scale result (1,741 municipalities) in every format.

Run: ``python benchmarks/bench_report.py`` (``--members N`` for another size).

Prints, measured in one run, for the allocation of a synthetic national council (its members
table, 12 declared columns, and its effect table in 億円):

* ours: ``report.to_excel`` (numbers with formats by kind, widths fitted to the shown text,
  print setup, 合計 lines), ``report.to_html`` (the page shell), ``report.to_csv``,
  ``report.to_json`` and ``to_text``;
* the floor of each format: the same rows of stored values written once with no formatting at
  all (openpyxl's write-only workbook of raw cells; ``csv.writer``; ``json.dumps`` of raw records;
  an HTML table of ``str(value)`` cells), i.e. read the result once, write it once.

Needs the excel extra (openpyxl) for the workbook lines.
"""

from __future__ import annotations

import argparse
import csv
import html
import io as _io
import json
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import jichitai_cloud as jc
from _timing import best_wall
from jichitai_cloud import report
from jichitai_cloud.model import check_digit


def _council(n: int) -> jc.Consortium:
    members = []
    for i in range(n):
        pref, town = 1 + i % 47, 100 + i // 47
        code5 = f"{pref:02d}{town:03d}"
        members.append(jc.Municipality(code=code5 + str(check_digit(code5)), name=f"自治体{i}",
                                       population=1000 + 37 * i, current_cost=100_000_000 + 12_345 * i,
                                       cloud_start="R7.04"))
    return jc.Consortium(name="national", members=tuple(members), period_start="R7.04")


def _plain(value: Any) -> Any:
    if isinstance(value, Fraction):
        return float(value)
    if hasattr(value, "iso"):
        return value.iso()
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1741)
    args = parser.parse_args()
    council = _council(args.members)
    total = sum(m.current_cost for m in council.members) * 6 // 10
    alloc = jc.allocate(council, total, jc.AllocationRule(ratios={"equal": 3, "population": 7}, min_reduction=0.3))
    views = alloc.views()
    cells = sum(len(t.rows) * len(t.columns) for t in views)
    folder = Path(tempfile.mkdtemp())

    def ours_xlsx() -> None:
        report.to_excel(alloc, folder / "ours.xlsx", overwrite=True)

    def floor_xlsx() -> None:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        for t in views:
            ws = wb.create_sheet(t.key)
            ws.append(list(t.keys))
            for r in t.rows:
                ws.append([_plain(v) for v in r])
        wb.save(folder / "floor.xlsx")

    def floor_csv() -> str:
        buf = _io.StringIO()
        w = csv.writer(buf)
        w.writerow(views[0].keys)
        w.writerows([[_plain(v) for v in r] for r in views[0].rows])
        return buf.getvalue()

    def floor_json() -> str:
        return json.dumps([{"key": t.key, "rows": [dict(zip(t.keys, map(_plain, r), strict=True)) for r in t.rows]}
                           for t in views], ensure_ascii=False)

    def floor_html() -> str:
        return "".join("<table>" + "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>"
                                           for r in t.rows) + "</table>" for t in views)

    print(f"allocation of {args.members:,} members: {len(views)} tables, {cells:,} cells")
    print(f"{'format':<10}{'ours [s]':>10}{'floor [s]':>11}{'ours/floor':>12}")
    rows = [
        ("xlsx", ours_xlsx, floor_xlsx),
        ("html", lambda: report.to_html(alloc), floor_html),
        ("csv", lambda: report.to_csv(alloc), floor_csv),
        ("json", lambda: report.to_json(alloc), floor_json),
        ("text", alloc.to_text, floor_csv),
    ]
    for name, ours, floor in rows:
        try:
            a, b = best_wall(ours), best_wall(floor)
        except ImportError as exc:
            print(f"{name:<10} skipped: {exc}")
            continue
        print(f"{name:<10}{a:>10.3f}{b:>11.3f}{a / b:>12.1f}")


if __name__ == "__main__":
    main()
