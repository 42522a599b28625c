"""Warnings about a council read from a member list name the file row (issue 19, item 1's last bullet)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from jichitai_cloud import io

MEMBERS = [("162019", "富山市", 418686, 900000000), ("162027", "高岡市", 172125, 500000000),
           ("162043", "魚津市", 42935, 400000000), ("162116", "射水市", 93588, 0)]


def _csv(tmp_path: Path) -> Path:
    lines = ["code,name,population,current_cost,cloud_start"]
    lines += [f"{c},{n},{p},{k},2016-04" for c, n, p, k in MEMBERS]
    path = tmp_path / "members.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_csv_member_list_warning_names_the_file_row(tmp_path: Path) -> None:
    council = io.load_council(_csv(tmp_path))
    (finding,) = council.findings()
    # header = row 1: the fourth member is on row 5
    assert finding.line("en").startswith(f"{tmp_path / 'members.csv'} row 5 (code 162116 射水市): current cost is 0 yen")
    assert str(finding).startswith(f"{tmp_path / 'members.csv'} row 5 (code 162116 射水市): 現行経費が 0 円")
    assert council.source_rows is not None and council.source_rows["162019"][2] == 2


def test_the_rows_are_not_part_of_the_council(tmp_path: Path) -> None:
    council = io.load_council(_csv(tmp_path))
    bare = attrs.evolve(council, source_rows=None)
    assert council == bare and hash(council) == hash(bare)
    assert "source_rows" not in io.unstructure(council)
    # without rows (a council built in code or from TOML) the finding names the list position
    (finding,) = bare.findings()
    assert finding.line("en").startswith("members[3].current_cost: 162116: current cost is 0 yen")
    assert str(finding).startswith("members[3].current_cost: 射水市 (162116): 現行経費が 0 円")


def test_a_workbook_warning_names_the_sheet_row(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "参加団体"
    # two blank rows above the headings: the members start on sheet row 4
    ws.cell(row=3, column=1, value="団体コード")
    for j, h in enumerate(("団体名", "人口", "現行経費", "クラウド開始"), start=2):
        ws.cell(row=3, column=j, value=h)
    for i, (c, n, p, k) in enumerate(MEMBERS, start=4):
        for j, val in enumerate((c, n, p, k, "2016-04"), start=1):
            ws.cell(row=i, column=j, value=val)
    path = tmp_path / "members.xlsx"
    wb.save(path)
    council = io.load_council(path)
    (finding,) = council.findings()
    assert finding.line("en").startswith(f"{path} [sheet '参加団体'] row 7 (code 162116 射水市): current cost is 0 yen")


def test_validate_prints_the_file_row(tmp_path: Path) -> None:
    path = _csv(tmp_path)
    out = subprocess.run([sys.executable, "-m", "jichitai_cloud", "validate", str(path), "--lang", "en"],
                         capture_output=True, text=True, encoding="utf-8", check=False)
    assert out.returncode == 0, out.stderr
    assert f"warning: {path} row 5 (code 162116 射水市): current cost is 0 yen" in out.stdout
    ja = subprocess.run([sys.executable, "-m", "jichitai_cloud", "validate", str(path)], capture_output=True,
                        text=True, encoding="utf-8", check=False)
    assert f"注意: {path} row 5 (code 162116 射水市): 現行経費が 0 円" in ja.stdout
