"""Benchmark: reading a national-scale member list (1,741 municipalities) with full validation.

Run: ``python benchmarks/bench_io.py``

Prints, measured in one run:

* loading 1,741 members from CSV through ``jichitai_cloud.io.load_members`` (decode, per-cell
  typing, cattrs structuring, every validator, check digits) against a straightforward
  ``csv.DictReader`` pass that only splits the cells (the floor: no validation at all);
* the same council as TOML and JSON through ``jichitai_cloud.io.loads`` against ``tomllib`` /
  ``json`` parsing alone;
* the same members as an Excel workbook (the template, filled) through
  ``jichitai_cloud.io.read_member_list`` (``read_table`` keeping cell types, then the member
  schema) against openpyxl's read-only ``iter_rows`` alone (when openpyxl is installed);
* writing them back.
"""

from __future__ import annotations

import csv
import io as _io
import json
import tempfile
import tomllib
from pathlib import Path

import jichitai_cloud as jc
from _timing import best_wall
from jichitai_cloud import io
from jichitai_cloud.model import check_digit

N = 1741


def main() -> None:
    members = []
    for i in range(N):
        pref, town = 1 + i % 47, 100 + i // 47
        code5 = f"{pref:02d}{town:03d}"
        members.append(jc.Municipality(
            code=code5 + str(check_digit(code5)), name=f"自治体{i}", population=1000 + 37 * i,
            current_cost=10_000_000 + 12_345 * i, penalty=i * 100, cloud_start="R7.04",
            current_system_end="R7.03", drivers={"staff": i % 300},
        ))
    council = jc.Consortium(name="national", members=tuple(members), period_start="R7.04")
    csv_text = io.save_members(members, None)
    toml_text = io.dumps(council)
    json_text = io.dumps(council, format="json")

    rows = [
        ("CSV, validated (io.load_members)", best_wall(lambda: io.load_members(text=csv_text), 5),
         best_wall(lambda: list(csv.DictReader(_io.StringIO(csv_text))), 5), "csv.DictReader only"),
        ("TOML, validated (io.loads)", best_wall(lambda: io.loads(toml_text, jc.Consortium), 5),
         best_wall(lambda: tomllib.loads(toml_text), 5), "tomllib.loads only"),
        ("JSON, validated (io.loads)", best_wall(lambda: io.loads(json_text, jc.Consortium, format="json"), 5),
         best_wall(lambda: json.loads(json_text), 5), "json.loads only"),
        ("TOML, write (io.dumps)", best_wall(lambda: io.dumps(council), 5), float("nan"), ""),
        ("CSV, write (io.save_members)", best_wall(lambda: io.save_members(members, None), 5), float("nan"), ""),
    ]
    rows += _excel(council)
    print(f"{N} members, best of 5 runs")
    print(f"{'operation':38s} {'ours [ms]':>10s} {'floor [ms]':>11s} {'ratio':>7s}  floor")
    for name, ours, floor, what in rows:
        ratio = ours / floor if floor == floor else float("nan")
        print(f"{name:38s} {ours * 1e3:10.1f} {floor * 1e3:11.1f} {ratio:7.1f}  {what}")
    per_member = rows[0][1] / N * 1e6
    print(f"validated CSV load: {per_member:.1f} µs per member")


def _excel(council: jc.Consortium) -> list[tuple[str, float, float, str]]:
    try:
        import openpyxl
    except ImportError:  # the excel extra is optional
        return []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "members.xlsx"
        io.write_member_template(path, council=council)

        def floor() -> None:
            wb = openpyxl.load_workbook(_io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
            for ws in wb.worksheets:
                list(ws.iter_rows(values_only=True))
            wb.close()

        return [("Excel, validated (io.read_member_list)", best_wall(lambda: io.read_member_list(path), repeat=3),
                 best_wall(floor, repeat=3), "openpyxl iter_rows only")]


if __name__ == "__main__":
    main()
