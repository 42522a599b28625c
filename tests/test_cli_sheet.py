"""``--sheet`` names the sheet of an .xlsx member list on every command that reads a council."""

from __future__ import annotations

from pathlib import Path

import pytest

import jichitai_cloud as jc
from jichitai_cloud.cli import main

pytest.importorskip("openpyxl")


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "members.xlsx"
    jc.io.write_member_template(path, council=jc.examples.toyama())
    return path


def test_sheet_reads_the_named_sheet(workbook: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(workbook), "--sheet", "参加団体 (members)"]) == 0
    assert main(["allocate", str(workbook), "--sheet", "参加団体 (members)", "--total", "1390000000"]) == 0
    assert "射水市" in capsys.readouterr().out


def test_sheet_errors_are_one_line(workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(workbook), "--sheet", "nosuch"]) == 1
    err = capsys.readouterr().err
    assert "nosuch" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    csv = tmp_path / "m.csv"
    csv.write_text("code,name,population,current_cost\nA,射水市,94684,920000000\n", encoding="utf-8")
    assert main(["validate", str(csv), "--sheet", "x"]) == 1
    assert "--sheet applies to an .xlsx member list" in capsys.readouterr().err
