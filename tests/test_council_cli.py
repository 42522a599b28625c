"""The council's own files in ``report``, ``--lang``, ``--fee-period`` on every command building a council,
``fairness --min-reduction``, and the council report's languages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import jichitai_cloud as jc
from jichitai_cloud import examples, report
from jichitai_cloud.cli import main

DATA = Path(examples.data_path("toyama.toml")).parent


@pytest.fixture
def council_files(tmp_path: Path) -> Path:
    """The bundled example's files copied into a council folder of the user's own."""
    for name in ("toyama.toml", "toyama_customization.toml", "toyama_evaluation.toml", "toyama_schedule.toml",
                 "toyama_renewal.toml", "toyama_operations.toml", "toyama_operations_observations.csv", "toyama_operations_outages.csv",
                 "toyama_operations_work.csv"):
        shutil.copy(DATA / name, tmp_path / name.replace("toyama", "council"))
    ops = tmp_path / "council_operations.toml"
    ops.write_text(ops.read_text(encoding="utf-8").replace("toyama_operations_", "council_operations_"),
                   encoding="utf-8")
    return tmp_path


def _files(d: Path) -> list[str]:
    return ["--customization", str(d / "council_customization.toml"),
            "--operations", str(d / "council_operations.toml"),
            "--schedule", str(d / "council_schedule.toml"),
            "--procurement", str(d / "council_evaluation.toml"),
            "--renewal-options", str(d / "council_renewal.toml")]


def test_report_from_the_councils_own_files(council_files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    d = council_files
    out = d / "report.xlsx"
    argv = ["report", str(d / "council.toml"), "--total", "1390000000", "--ratio", "3:7", "--min-reduction", "0.3",
            *_files(d), "--month", "H27.10", "--output", str(out)]
    assert main(argv) == 0, capsys.readouterr().err
    names = openpyxl.load_workbook(out).sheetnames
    assert names[:3] == ["参加団体", "費用按分", "導入効果"]
    for topic in ("カスタマイズ", "総合評価", "月次報告", "移行スケジュール", "継続・切替の判断"):
        assert any(n.startswith(topic) for n in names), (topic, names)
    # the same sections as the bundled example's, computed from the files
    ex = d / "example.xlsx"
    assert main(["report", "--example", "toyama", "--month", "H27.10", "--output", str(ex)]) == 0
    assert openpyxl.load_workbook(ex).sheetnames == names


def test_report_files_one_at_a_time(council_files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = council_files
    page = d / "one.html"
    assert main(["report", str(d / "council.toml"), "--schedule", str(d / "council_schedule.toml"),
                 "--no-charts", "--output", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "移行スケジュール" in text and "カスタマイズ" not in text and "総合評価" not in text
    # a bad file is one located line, exit 1
    bad = d / "bad_operations.toml"
    bad.write_text('council = "x"\nstart = "H27.04"\nmonths = -1\n', encoding="utf-8")
    assert main(["report", str(d / "council.toml"), "--operations", str(bad), "--output", str(d / "x.html")]) == 1
    err = capsys.readouterr().err
    assert "bad_operations.toml" in err and "Traceback" not in err
    assert main(["report", str(d / "council.toml"), *_files(d), "--month", "H40.01",
                 "--output", str(d / "y.html")]) == 1
    assert "--month" in capsys.readouterr().err


def test_council_report_keywords_from_loaded_files(council_files: Path) -> None:
    from jichitai_cloud import customization, io, schedule

    d = council_files
    council = io.load_council(d / "council.toml")
    reg = io.load_register(d / "council_customization.toml", members=list(council.codes))
    ops = io.load_operations(d / "council_operations.toml")
    plan = schedule.plan_migration(io.load_schedule(d / "council_schedule.toml"), starts="planned")
    r = report.council_report(
        council,
        customization=(customization.comparison_table(reg), customization.decision_summary(reg.apply_to(council))),
        evaluation=jc.evaluate(io.load_procurement(d / "council_evaluation.toml")),
        operations=ops.monthly_report(ops.end), schedule=plan)
    assert r.plan is plan and r.effect is None
    assert all(jc._display.sheet_name_ok(s.name) for s in r.sheets)
    with pytest.raises(jc.ValidationError, match="operations must be a result"):
        report.council_report(council, operations=ops)  # the data, not its report
    with pytest.raises(jc.ValidationError, match="lang"):
        report.council_report(council, lang="fr")


def test_council_report_in_english() -> None:
    council = examples.toyama()
    alloc = jc.allocate(council, 1_390_000_000, jc.AllocationRule(ratios="3:7", min_reduction=0.3))
    r = report.council_report(council, allocation=alloc, lang="en")
    assert [s.name for s in r.sheets] == ["Members", "Cost allocation", "Five-year effect"]
    s = r.sheet("Cost allocation")
    assert s.header[s.column("share")] == "Share"
    assert s.totals()[0] == "Total"  # type: ignore[index]
    assert r.views()[1].sheet_name("en") == "Cost allocation"
    page = r.to_html(charts=False)
    assert '<html lang="en">' in page and "Cost allocation" in page


def test_lang_before_or_after_the_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["members", "--example", "toyama"]) == 0
    ja = capsys.readouterr().out
    assert "市町村名 (name)" in ja and "射水市" in ja
    for argv in (["--lang", "en", "members", "--example", "toyama"], ["members", "--example", "toyama", "--lang", "en"]):
        assert main(argv) == 0
        en = capsys.readouterr().out
        assert "Municipality" in en and "市町村名" not in en and "射水市" in en
    assert main(["example", "toyama", "--lang", "en"]) == 0
    assert "evaluation period:" in capsys.readouterr().out
    assert main(["example", "toyama"]) == 0
    assert "評価期間:" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main(["--lang", "fr", "members", "--example", "toyama"])
    assert info.value.code == 2


def test_lang_reaches_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "en.xlsx"
    assert main(["report", "--example", "toyama", "--lang", "en", "--output", str(out)]) == 0
    assert "tables (Members, Cost allocation, Five-year effect" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).sheetnames[:3] == ["Members", "Cost allocation", "Five-year effect"]


COUNCIL = """
name = "test council"
period_start = "H27.04"
period_months = 12

[[members]]
code = "A"
name = "A市"
population = 9000
current_cost = 1000000
cloud_start = "H27.04"

[[members]]
code = "B"
name = "B町"
population = 1000
current_cost = 300000
cloud_start = "H27.10"
"""


def test_fee_period_reaches_every_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "council.toml"
    path.write_text(COUNCIL, encoding="utf-8")
    shares = {}
    for period in ("council", "member"):
        assert main(["allocate", str(path), "--total", "1000000", "--fee-period", period, "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["period"]["fee_period"] == period
        shares[period] = [m["share"] for m in data["members"]]
        assert sum(shares[period]) == 1_000_000
    assert shares["council"] != shares["member"]  # B starts late: the fee period matters
    # the xlsx member list's 料金期間 setting, and --fee-period over it
    pytest.importorskip("openpyxl")
    from jichitai_cloud import io

    book = tmp_path / "members.xlsx"
    io.write_member_template(book, council=examples.toyama())  # fee_period "member" on the 協議会 sheet
    assert main(["allocate", str(book), "--total", "1390000000", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["period"]["fee_period"] == "member"
    assert main(["allocate", str(book), "--total", "1390000000", "--fee-period", "council", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["period"]["fee_period"] == "council"
    # report, members, validate and fairness take it too
    out = tmp_path / "r.xlsx"
    assert main(["report", str(path), "--total", "1000000", "--fee-period", "member", "--output", str(out)]) == 0
    import openpyxl

    ws = openpyxl.load_workbook(out)["費用按分"]
    header = [c.value for c in ws[2]]
    col = header.index("負担額 (share)")
    assert [ws.cell(row=3 + i, column=col + 1).value for i in range(2)] == shares["member"]
    assert main(["members", str(path), "--fee-period", "member"]) == 0
    assert main(["validate", str(path), "--fee-period", "member"]) == 0
    capsys.readouterr()


def test_fairness_under_the_guarantee(capsys: pytest.CaptureFixture[str]) -> None:
    council = examples.toyama()
    assert main(["fairness", "--example", "toyama", "--min-reduction", "0.3", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    share = {m["code"]: m["share"] for m in data["members"]}
    assert sum(share.values()) == data["total"]
    for m in council.members:  # no member pays more than 70 % of its current cost
        assert share[m.code] <= m.current_cost * 7 // 10
    # the shares are what allocate gives under the guarantee for the same fee
    rule = jc.AllocationRule(ratios="3:7", min_reduction=0.3)
    assert tuple(share[c] for c in council.codes) == jc.allocate(council, data["total"], rule).shares
    assert main(["fairness", "--example", "toyama", "--shares", "rule", "--format", "json"]) == 0
    plain = {m["code"]: m["share"] for m in json.loads(capsys.readouterr().out)["members"]}
    assert plain["C"] > council.member("C").current_cost * 7 // 10  # without the guarantee C pays more
    assert main(["fairness", "--example", "toyama", "--min-reduction", "0.3", "--leave", "F"]) == 0
    assert "最低保障" in capsys.readouterr().out
    assert main(["fairness", "--example", "toyama", "--min-reduction", "0.3", "--shares", "published"]) == 1
    assert "--shares rule" in capsys.readouterr().err
