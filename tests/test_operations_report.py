"""Monthly report, continue-or-switch, the Toyama operations example, file input and the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from jichitai_cloud import InputError, Month, SLAMetric, ValidationError, examples, report
from jichitai_cloud.io import load_operations, read_observations, read_outages, read_work
from jichitai_cloud.model import (
    ImprovementRequest,
    Issue,
    ItemStatus,
    LegalChange,
    Observation,
    ScheduledWork,
    WorkCategory,
    WorkRecord,
)
from jichitai_cloud.operations import (
    ContinuityCriterion,
    ObservationTable,
    OperationsData,
    assess_continuity,
    evaluate_sla,
    monthly_report,
    scenario_totals,
)

DATA = Path(str(examples.data_path("toyama_operations.toml"))).parent


@pytest.fixture(scope="module")
def toyama() -> OperationsData:
    return examples.toyama_operations()


# -- the example ---------------------------------------------------------------------------------
def test_toyama_example_covers_fiscal_2015(toyama):
    assert (toyama.start, toyama.end) == (Month(2015, 4), Month(2016, 3))
    assert toyama.members == ("A", "B", "C", "D", "E", "F")
    assert "例示" in toyama.notes
    assert len(toyama.calendar.holidays) == 16
    assert {m.kind.value for m in toyama.metrics} >= {"availability", "incident_notification", "recovery_time",
                                                      "response_time", "inquiry_response", "backup_completion"}
    assert toyama.service_start["A"] == Month(2015, 7)


def test_toyama_availability_hand_checked(toyama):
    av = toyama.availability()
    a, c = av.scopes.index(("A", "")), av.scopes.index(("C", ""))
    sep = Month(2015, 9) - av.start
    # September 2015: 22 weekdays less 3 holidays (9/21-23) = 19 x 525 minutes; 08:40-10:10 outage = 90 minutes
    assert av.scheduled[sep, c] == 19 * 525
    assert av.downtime[sep, c] == 90
    assert not av.defined[Month(2015, 6) - av.start, a]  # A was not on the cloud yet
    jan = Month(2016, 1) - av.start
    assert av.downtime[jan, a] == 45  # logged in UTC: 04:00-04:45Z = 13:00-13:45 JST; A's own outage not counted


def test_toyama_compliance_and_money(toyama):
    comp = toyama.compliance()
    ach = comp.achievement(fiscal_year=2015)
    assert np.all(ach.possible > 0)
    fr = toyama.fee_reductions(2015)
    assert fr.reduction.dtype == np.int64 and np.all(fr.reduction <= fr.fee // 10)  # capped at 10 %
    sc = toyama.service_credits()
    assert sc.credit.dtype == np.int64 and sc.total > 0
    pp = toyama.penalty_points()
    assert pp.yen.sum() == pp.earned.sum() * 10_000


def test_toyama_monthly_report_october(toyama):
    r = toyama.monthly_report("H27.10")
    work = {c: (n, p) for c, n, p in r.work}
    assert work[WorkCategory.INQUIRY] == (236, 214)
    assert work[WorkCategory.LEGAL_CHANGE] == (2, 1)
    assert [w.title for w in r.schedule] == ["データセンター電源設備点検"]
    assert {i.id for i, _ in r.issues} == {"K-003", "K-004"}
    statuses = {q.id: s for q, s in r.improvement_requests}
    assert statuses["Y-001"] is ItemStatus.DONE and statuses["Y-004"] is ItemStatus.IN_PROGRESS
    assert "Y-008" not in statuses  # asked in November
    resp_a = next(row for row in r.slm if row.metric == "response" and row.scope == "A")
    assert resp_a.value == 2.2 and resp_a.met and resp_a.previous == (3.4, 2.6, 2.3) and resp_a.trend == "improving"
    inq = next(row for row in r.slm if row.metric == "inquiry")
    assert inq.window == "FY2015 3Q" and inq.window_met is True
    md = r.to_markdown()
    for heading in ("当月作業実績", "サービスレベルモニタリング", "翌月以降の作業予定", "制度改正対応", "課題・検討事項",
                    "改善要望一覧"):
        assert heading in md
    assert "平成27年10月" in r.title
    html = r.to_html()
    assert "<table" in html and html.startswith("<h2>")
    notebook = r._repr_html_()  # the TableView rendering: every sheet of tables(), then the summary
    assert notebook.count("<table") == len(r.tables()) == 7 and "<li>SLM: 14 / 20" in notebook
    json.dumps(r.to_dict(), ensure_ascii=False)
    assert "SLM" in repr(r)


def test_report_september_shows_the_outage_and_streaks(toyama):
    r = toyama.monthly_report("H27.09")
    av = [row for row in r.slm if row.metric == "availability"]
    assert len(av) == 6 and all(row.met is False for row in av)
    inq = next(row for row in r.slm if row.metric == "inquiry")
    assert inq.window == "FY2015 2Q" and inq.window_met is False and inq.streak == 2


def test_report_escapes_markdown_and_html_and_excel_is_formula_safe(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    m = SLAMetric(id="av", name="稼働率|<b>", unit="%", target=99.5)
    comp = evaluate_sla([m], ObservationTable.from_observations([Observation(metric="av", month="H27.10", value=99.9)]))
    reqs = [ImprovementRequest(id="Y-1", title="=cmd|' /C calc'!A0", requested="H27.10"),
            ImprovementRequest(id="Y-2", title="<script>alert(1)</script>", requested="H27.09", status="done",
                               resolved="H27.10")]
    r = monthly_report("H27.10", comp, council="協議会", improvement_requests=reqs,
                       work=[WorkRecord(month="H27.10", category="問合せ対応", count=5)])
    md = r.to_markdown()
    assert "稼働率\\|<b>" in md and "=cmd\\|' /C calc'!A0" in md
    html = r.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    path = tmp_path / "report.xlsx"
    report.to_excel(r, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["概要", "当月作業実績", "サービスレベルモニタリング状況", "翌月以降の作業予定", "制度改正対応",
                             "課題・検討事項", "改善要望一覧"]
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert not risky
    assert any(c.value == "'=cmd|' /C calc'!A0" for c in cells)


def test_items_status_at_month():
    i = Issue(id="K", title="x", opened="H27.05", status="done", closed="H27.07")
    assert i.status_at(Month(2015, 4)) is None
    assert i.status_at(Month(2015, 6)) is ItemStatus.IN_PROGRESS
    assert i.status_at(Month(2015, 7)) is ItemStatus.DONE
    with pytest.raises(ValidationError, match="no closed month"):
        Issue(id="K", title="x", opened="H27.05", status="対応済")
    with pytest.raises(ValidationError, match="before"):
        Issue(id="K", title="x", opened="H27.05", status="done", closed="H27.04")
    assert LegalChange(id="L", title="x", effective="H28.01", status="done", completed="H28.01").status_at(
        Month(2015, 12)) is ItemStatus.IN_PROGRESS
    with pytest.raises(ValidationError, match="not in month"):
        ScheduledWork(month="H27.10", category="upgrade", title="x", date="2015-11-01")


# -- continue or switch --------------------------------------------------------------------------
CRITERIA = (
    ContinuityCriterion(measure="sla", name="SLA達成率", weight=40, worst=80, best=100, unit="%"),
    ContinuityCriterion(measure="cost", name="経費削減率", weight=30, worst=0, best=40, unit="%"),
    ContinuityCriterion(measure="incidents", name="障害件数", weight=30, worst=24, best=0, unit="件/年"),
)


def test_continuity_hand_worked():
    a = assess_continuity(CRITERIA, {"sla": 95.0, "cost": 36.0, "incidents": 30.0}, threshold=50)
    assert a.score.tolist() == pytest.approx([0.75, 0.9, 0.0])
    assert a.points.tolist() == pytest.approx([30.0, 27.0, 0.0])
    assert a.total == pytest.approx(57.0) and a.decision == "continue" and a.decision_ja == "継続"
    text = a.explain("en")
    assert all(c.name in text for c in CRITERIA) and "lower is better" in text
    assert all(c.name in a.explain() for c in CRITERIA) and "小さいほど良い" in a.explain()
    b = assess_continuity(CRITERIA, {"sla": 85.0, "cost": 36.0, "incidents": 30.0}, threshold=50)
    assert b.decision == "consider switching" and "points short" in b.explain("en") and "点不足" in b.explain()
    many = scenario_totals(CRITERIA, [[95.0, 36.0, 30.0], [85.0, 36.0, 30.0]])
    assert many.tolist() == pytest.approx([a.total, b.total])
    with pytest.raises(ValidationError, match="no measured value"):
        assess_continuity(CRITERIA, {"sla": 1.0}, threshold=1)


def test_toyama_continuity(toyama):
    a = toyama.continuity_assessment(council=examples.toyama())
    assert a.values[[c.measure for c in a.criteria].index("cost_reduction")] == pytest.approx(
        100 * (1 - 13.9 / 21.6))
    assert a.decision in ("continue", "consider switching") and "<table" in a._repr_html_()


# -- files ---------------------------------------------------------------------------------------
def test_csv_errors_name_file_row_and_column(tmp_path):
    bad = tmp_path / "obs.csv"
    bad.write_text("項目,年月,団体,実績値\nav,H27.10,A,99.9\nav,H27.13,A,abc\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_observations(bad)
    text = str(err.value)
    assert "obs.csv" in text and "row 3" in text and "'実績値'" in text and "'年月'" in text
    out = tmp_path / "out.csv"
    out.write_text("start,end\n2015-10-05 09:00,2015-10-05 08:00\n2015-10-06 9h,2015-10-06 10:00\n")
    with pytest.raises(InputError) as err:
        read_outages(out)
    text = str(err.value)
    assert "row 2" in text and "before start" in text and "row 3, column 'start'" in text


def test_cp932_and_japanese_headings(tmp_path):
    p = tmp_path / "work.csv"
    p.write_bytes("年月,区分,件数\nH27.10,問合せ対応,236\nH27.10,障害対応,1\n".encode("cp932"))
    recs = read_work(p)
    assert [(r.category, r.count) for r in recs] == [(WorkCategory.INQUIRY, 236), (WorkCategory.INCIDENT, 1)]


def test_load_operations_files_and_errors(tmp_path):
    for f in DATA.glob("toyama_operations*"):
        shutil.copy(f, tmp_path / f.name)
    toml = tmp_path / "toyama_operations.toml"
    extra = tmp_path / "more.csv"
    extra.write_text("metric,month,value\nbackup,2016-03,99.0\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"duplicate observations.*backup 2016-03 全体"):
        load_operations(toml, extra)
    extra.write_text("metric,month,value\nbackup,2016-04,99.0\n", encoding="utf-8")
    with pytest.raises(InputError, match="outside the monitored months"):
        load_operations(toml, extra)
    with pytest.raises(InputError, match="exactly one"):
        load_operations(extra)
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="cannot tell"):
        load_operations(toml, odd)
    broken = tmp_path / "broken.toml"
    broken.write_text(toml.read_text(encoding="utf-8").replace('target = 99.5', 'target = "high"'), encoding="utf-8")
    with pytest.raises(InputError, match=r"metrics\[0\]\.target"):
        load_operations(broken)


# -- CLI -----------------------------------------------------------------------------------------
@pytest.fixture
def cli(monkeypatch):
    from jichitai_cloud import cli as cli_mod

    return cli_mod.main


def test_cli_monthly_example(cli, capsys, tmp_path):
    assert cli(["monthly", "--month", "H27.10", "--example", "toyama"]) == 0
    out = capsys.readouterr().out
    assert "運用管理部会 月次報告 平成27年10月" in out and "問合せ対応" in out
    assert cli(["monthly", "--month", "2015-10", "--example", "toyama", "--format", "markdown",
                "--xlsx", str(tmp_path / "r.xlsx")]) == 0
    assert capsys.readouterr().out.startswith("# 運用管理部会") and (tmp_path / "r.xlsx").is_file()
    assert cli(["monthly", "--month", "H27.10", "--example", "toyama", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["month"] == "2015-10"


def test_cli_monthly_files_and_errors(cli, capsys):
    files = [str(DATA / "toyama_operations.toml")]
    assert cli(["monthly", "--month", "H28.03", *files, "--format", "html"]) == 0
    assert "<table" in capsys.readouterr().out
    assert cli(["monthly", "--month", "H28.04", *files]) == 1
    assert "outside" in capsys.readouterr().err
    assert cli(["monthly", "--month", "H27.10"]) == 1
    assert "either FILE" in capsys.readouterr().err
    assert cli(["monthly", "--month", "H27.10", "--example", "nowhere"]) == 1
