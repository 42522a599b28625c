from __future__ import annotations

import json
from pathlib import Path

import pytest

from jichitai_cloud import io
from jichitai_cloud.cli import main


def test_example_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["example", "toyama"]) == 0
    out = capsys.readouterr().out
    assert "射水市" in out and "920,000,000" in out and "収滞納管理" in out
    assert "部会の開催回数の合計は 192 回ですが、公表値は 194 回です" in out
    assert main(["example", "toyama", "--lang", "en"]) == 0
    assert "add up to 192 but the published total is 194" in capsys.readouterr().out


def test_example_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["example", "toyama", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["members"]) == 6
    assert main(["example", "toyama", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("code,name,population")


def test_validate_ok_and_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from jichitai_cloud import examples

    good = tmp_path / "good.toml"
    io.save(examples.toyama(), good)
    assert main(["validate", str(good)]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["validate", str(good), "--strict"]) == 1
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nperiod_start = "R1.04"\n[[members]]\ncode = "A"\nname = "A"\npopulation = -1\n'
                   'current_cost = 1\n', encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "2 problems found" in err
    assert "members[0].population" in err and "period_start" in err
    assert "Traceback" not in err


def test_validate_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "m.csv"
    p.write_text("code,name,population,current_cost\nA,a,1,1\n", encoding="utf-8")
    assert main(["validate", str(p)]) == 0
    assert "1 members" in capsys.readouterr().out


def test_members_needs_one_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["members"]) == 1
    assert "give either FILE or --example" in capsys.readouterr().err
    assert main(["members", "--example", "toyama", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["code"] == "A"


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["nonsense"])
    assert info.value.code == 2


def test_table_json_and_csv_are_the_declared_records(capsys: pytest.CaptureFixture[str]) -> None:
    """A table written by the command line: column keys, exact integers, ISO months, true/false flags,
    rates rounded at their declared places (no float noise)."""
    assert main(["members", "--example", "toyama", "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)[0]
    assert first["current_cost"] == 920_000_000 and first["cloud_start"] == "2015-07"
    assert main(["members", "--example", "toyama", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].lstrip("\ufeff").startswith("code,name,population") and ",2015-07" in lines[1]
    assert main(["fairness", "--example", "toyama", "--format", "json"]) == 0
    members = json.loads(capsys.readouterr().out)["members"]
    assert members[0]["code"] == "A" and members[0]["name"] == "射水市"
    assert all(type(r["share"]) is int and type(r["shapley"]) is int for r in members)  # exact yen
    assert all(r["individually_rational"] in (True, False) for r in members)  # a flag, not "yes"/"○"
    assert main(["allocate", "--example", "toyama", "--format", "json", "--leave", "B=H30.04"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[1]["code"] == "B" and all(type(r["change"]) is int for r in rows)
    assert sum(r["share_after"] for r in rows) == sum(r["share_before"] for r in rows)
