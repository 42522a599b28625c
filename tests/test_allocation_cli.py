"""Tests of the ``jichitai-cloud allocate`` subcommand (through its own parser, and the program's if wired)."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest

from jichitai_cloud.cli import allocate as _cli
from jichitai_cloud.errors import JichitaiCloudError


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    parser = argparse.ArgumentParser(prog="jichitai-cloud")
    sub = parser.add_subparsers(dest="command", required=True)
    _cli.register(sub)
    args = parser.parse_args(argv)
    assert args.func(args) == 0
    return capsys.readouterr().out


COUNCIL = """
name = "test council"
period_start = "H27.04"
period_months = 12

[[members]]
code = "A"
name = "=A市"
population = 9000
current_cost = 1000000

[[members]]
code = "B"
name = "B町"
population = 1000
current_cost = 300000
cloud_start = "H27.07"
"""


@pytest.fixture
def council_file(tmp_path: Path) -> Path:
    path = tmp_path / "council.toml"
    path.write_text(COUNCIL, encoding="utf-8")
    return path


def test_example_table(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(["allocate", "--example", "toyama"], capsys)
    assert "均等割:人口割 = 3:7" in out and "理由:" in out and "削減率" in out and "13.9" in out


def test_example_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(["allocate", "--example", "toyama", "--format", "json"], capsys))
    assert data["total_fee"] == 1_390_000_000
    assert sum(m["share"] for m in data["members"]) == 1_390_000_000
    assert {m["code"]: m["reduction_percent"] for m in data["members"]}["C"] == 30
    assert data["period"]["fee_period"] == "member"


def test_example_is_the_readme_call(capsys: pytest.CaptureFixture[str]) -> None:
    import jichitai_cloud as jc

    data = json.loads(run(["allocate", "--example", "toyama", "--format", "json"], capsys))
    rule = jc.AllocationRule(ratios={"equal": 3, "population": 7}, min_reduction=0.30)
    readme = jc.allocate(jc.examples.toyama(), 1_390_000_000, rule)
    assert [m["share"] for m in data["members"]] == list(readme.shares)
    assert data == json.loads(json.dumps(readme.to_dict()))


def test_file_with_flags_csv_is_injection_safe(council_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(["allocate", str(council_file), "--total", "800,000", "--ratio", "3:7", "--min-reduction", "30%",
               "--format", "csv"], capsys)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["code", "name", "months"]
    assert rows[1][1] == "'=A市"  # a leading '=' cannot become a formula
    assert sum(int(r[7]) for r in rows[1:3]) == 800_000
    assert int(rows[2][7]) <= 210_000  # B capped at 70 % of 300,000


def test_rounding_flags(council_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(["allocate", str(council_file), "--total", "1000500", "--unit", "1000", "--rounding",
                           "floor_then_lead", "--lead", "B", "--format", "json"], capsys))
    shares = {m["code"]: m["share"] for m in data["members"]}
    assert shares["A"] % 1000 == 0 and shares["B"] % 1000 == 500 and sum(shares.values()) == 1_000_500


def test_leave_shows_before_and_after(council_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(["allocate", str(council_file), "--total", "1200000", "--leave", "B=H27.10"], capsys)
    assert "B町がH27.09末で離脱" in out and "share_before" in out
    out = run(["allocate", str(council_file), "--total", "1200000", "--leave", "B=H27.10", "--format", "json"], capsys)
    rows = json.loads(out)
    assert rows[1]["code"] == "B" and rows[1]["months_after"] == 3


def test_sweep(council_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(["allocate", str(council_file), "--total", "1000000", "--sweep", "10", "--format", "csv"], capsys)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][0] == "equal:population" and [r[0] for r in rows[1:]][:2] == ["0:10", "1:9"] and len(rows) == 12


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["--ratio", "3-7"], "--ratio"),
        (["--leave", "Z=H27.10"], "Z"),
        (["--total", "1000000", "--min-reduction", "0.99"], "cannot be met"),
    ],
)
def test_errors(council_file: Path, capsys: pytest.CaptureFixture[str], argv: list[str], match: str) -> None:
    base = ["allocate", str(council_file)]
    if "--total" not in argv:
        base += ["--total", "1000000"]
    with pytest.raises(JichitaiCloudError, match=match):
        run(base + argv, capsys)


def test_total_required_for_a_file(council_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(JichitaiCloudError, match="--total"):
        run(["allocate", str(council_file)], capsys)


def test_bad_yen_and_rate_are_usage_errors(council_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--total", "1.5e9"], ["--total", "100", "--min-reduction", "150%"], ["--total", "1", "--leave", "B"]):
        with pytest.raises(SystemExit):
            run(["allocate", str(council_file), *argv], capsys)


def test_program_main_when_wired(capsys: pytest.CaptureFixture[str]) -> None:
    from jichitai_cloud import cli

    assert cli.main(["allocate", "--example", "toyama", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["total_fee"] == 1_390_000_000
    assert cli.main(["allocate", "--example", "toyama", "--ratio", "nonsense"]) == 1
