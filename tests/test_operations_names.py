"""The monthly report as a council reads it: members by name, units and issue owners in Japanese.

The operations records know members by code (``A`` … ``F``); the council knows their names
(``射水市`` …).  The tables a council reads (text, HTML, xlsx, the council report) show names; the data
(``to_dict``, ``to_dataframe()``) keeps the codes beside them.  An unknown code with names given is
an error naming the code, never a silent fallback.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jichitai_cloud import InputError, UnknownMemberError, ValidationError, examples, report
from jichitai_cloud.cli import main
from jichitai_cloud.io import load_operations
from jichitai_cloud.model import ImprovementRequest, Issue, Observation, ScheduledWork, SLAMetric
from jichitai_cloud.operations import ObservationTable, OperationsData, evaluate_sla, monthly_report
from jichitai_cloud.testing import strategies as js

DATA = Path(str(examples.data_path("toyama_operations.toml"))).parent
NAMES = {m.code: m.name for m in examples.toyama().members}


@pytest.fixture(scope="module")
def toyama() -> OperationsData:
    return examples.toyama_operations()


@pytest.fixture(scope="module")
def october(toyama: OperationsData):
    return toyama.monthly_report("H27.10")


def _shown(report_, key: str, column: str, lang: str = "ja") -> list[object]:
    table = report_.view(key).in_lang(lang)
    keys = [c.key for c in table.columns]
    if column not in keys and f"{column}_ja" in keys:  # a column shown in each language
        column = f"{column}_ja"
    return list(table.values(column))


# -- the bundled example ----------------------------------------------------------------------------
def test_the_example_names_the_members_as_the_council_does(toyama: OperationsData) -> None:
    assert dict(toyama.member_names) == NAMES == {"A": "射水市", "B": "滑川市", "C": "入善町", "D": "上市町",
                                                  "E": "朝日町", "F": "舟橋村"}


def test_the_slm_table_shows_names_and_keeps_whole_council_scope(october) -> None:
    scopes = _shown(october, "slm", "scope")
    assert set(scopes) == {*NAMES.values(), "全体"}
    assert not set(scopes) & set(NAMES)  # no code left
    assert _shown(october, "slm", "scope", "en") == [  # names are the same in English
        "All" if s == "全体" else s for s in scopes]
    # the data keeps the codes, with the names beside them
    assert {r.scope for r in october.slm} == {*NAMES, "全体"}
    assert {(r.member, r.scope) for r in october.slm} >= {("A", "A"), ("", "全体")}


def test_improvement_requests_and_schedule_show_names(toyama: OperationsData, october) -> None:
    members = dict(zip(_shown(october, "requests", "id"), _shown(october, "requests", "member"), strict=True))
    assert members["Y-001"] == "入善町" and members["Y-004"] == "射水市" and members["Y-007"] == "全体"
    july = toyama.monthly_report("H27.07")  # August: the 滑川市 (B) power outage
    assert _shown(july, "schedule", "members") == ["滑川市"]
    assert _shown(october, "schedule", "members") == ["全団体"]
    d = october.to_dict()
    assert {r["id"]: r["member"] for r in d["improvement_requests"]}["Y-001"] == "C"
    assert d["member_names"] == NAMES
    json.dumps(d, ensure_ascii=False)


def test_the_dataframe_keeps_codes_names_and_both_unit_words(october) -> None:
    pytest.importorskip("pandas")
    df = october.to_dataframe()
    row = df[(df["metric"] == "notification") & (df["scope"] == "A")].iloc[0]
    assert (row["scope_name"], row["unit"], row["unit_ja"]) == ("射水市", "minutes", "分")
    whole = df[df["metric"] == "backup"].iloc[0]
    assert (whole["scope"], whole["scope_name"]) == ("全体", "全体")


def test_units_in_japanese_and_english(october) -> None:
    by_name = dict(zip(_shown(october, "slm", "name"), _shown(october, "slm", "unit_ja"), strict=False))
    assert by_name["障害通知時間"] == "分" and by_name["復旧時間"] == "時間"
    assert by_name["オンライン応答時間 (95パーセンタイル)"] == "秒" and by_name["稼働率"] == "%"
    en = dict(zip(_shown(october, "slm", "name", "en"), _shown(october, "slm", "unit", "en"), strict=False))
    assert en["障害通知時間"] == "minutes" and en["復旧時間"] == "hours"
    assert "unit" not in october.view("slm").in_lang("ja").keys
    assert "unit_ja" not in october.view("slm").in_lang("en").keys
    assert {r.unit for r in october.slm} == {"%", "minutes", "hours", "seconds"}  # the data as written


def test_issue_owners_in_japanese_and_as_written_in_english(october) -> None:
    assert _shown(october, "issues", "owner_ja") == ["事務局", "受託事業者"]
    assert _shown(october, "issues", "owner", "en") == ["secretariat", "vendor"]
    assert [i["owner"] for i in october.to_dict()["issues"]] == ["secretariat", "vendor"]


def test_an_owner_that_is_a_member_code_shows_the_name_and_other_text_as_written() -> None:
    comp = evaluate_sla([SLAMetric(id="av", name="稼働率", unit="%", target=99.5)],
                        ObservationTable.from_observations([Observation(metric="av", month="H27.10", value=99.9)]))
    issues = [Issue(id=f"K-{i}", title="課題", opened="H27.10", owner=o)
              for i, o in enumerate(["A", "Vendor", "税務課", "", "secretariat "])]
    r = monthly_report("H27.10", comp, issues=issues, member_names={"A": "射水市"})
    assert _shown(r, "issues", "owner_ja") == ["射水市", "受託事業者", "税務課", "", "事務局"]
    assert _shown(r, "issues", "owner", "en") == ["射水市", "Vendor", "税務課", "", "secretariat "]


# -- the council as the source of the names ----------------------------------------------------------
def test_council_argument_names_the_members_of_records_without_names(toyama: OperationsData) -> None:
    bare = attrs.evolve(toyama, member_names={})
    coded = bare.monthly_report("H27.10")
    assert set(_shown(coded, "slm", "scope")) == {*NAMES, "全体"}  # no names known: the codes
    named = bare.monthly_report("H27.10", council=examples.toyama())
    assert set(_shown(named, "slm", "scope")) == {*NAMES.values(), "全体"}
    assert named.to_dict()["member_names"] == NAMES


def test_a_council_without_a_member_of_the_records_is_an_error_naming_it(toyama: OperationsData) -> None:
    smaller = examples.toyama().without_member("F")  # no 舟橋村
    with pytest.raises(UnknownMemberError, match=r"has no member code 'F' \(members\[5\], improvement_requests"):
        toyama.monthly_report("H27.10", council=smaller)


def test_partial_names_are_an_error_naming_the_code_and_where(toyama: OperationsData) -> None:
    with pytest.raises(UnknownMemberError, match=r"no name for member code 'F' \(members\[5\]"):
        attrs.evolve(toyama, member_names={c: n for c, n in NAMES.items() if c != "F"})
    req = ImprovementRequest(id="Y-99", title="要望", requested="H27.10", member="G")
    with pytest.raises(UnknownMemberError, match=r"'G' \(improvement_requests\[12\] \(Y-99\)\)"):
        attrs.evolve(toyama, improvement_requests=(*toyama.improvement_requests, req))
    work = ScheduledWork(month="H27.11", category="upgrade", title="作業", members=("H",))
    with pytest.raises(UnknownMemberError, match=r"'H' \(schedule\[11\]\.members\)"):
        attrs.evolve(toyama, schedule=(*toyama.schedule, work))
    # names of further members of the council are allowed
    assert attrs.evolve(toyama, member_names={**NAMES, "G": "富山市"}).member_names["G"] == "富山市"


@pytest.mark.parametrize(("names", "message"), [
    ({"": "全体"}, r"member_names key '' must be a member code"),
    ({"A": ""}, r"member_names\.A must be non-empty text"),
    ({"A": "射水\x1b市"}, r"member_names\.A must not hold control characters"),
    ({"A": 5}, r"member_names\.A must be text"),
])
def test_bad_names_are_refused(toyama: OperationsData, names: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        attrs.evolve(toyama, member_names=names)


def test_the_report_itself_refuses_an_unnamed_code() -> None:
    comp = evaluate_sla([SLAMetric(id="av", name="稼働率", unit="%", target=99.5)],
                        ObservationTable.from_observations([Observation(metric="av", month="H27.10", value=99.9,
                                                                        member="A")]))
    reqs = [ImprovementRequest(id="Y-1", title="要望", requested="H27.10", member="B")]
    with pytest.raises(UnknownMemberError, match=r"'B' \(improvement request Y-1\); names are given for \['A'\]"):
        monthly_report("H27.10", comp, improvement_requests=reqs, member_names={"A": "射水市"})
    with pytest.raises(UnknownMemberError, match=r"'A' \(SLM 稼働率\)"):
        monthly_report("H27.10", comp, member_names={"B": "滑川市"})
    coded = monthly_report("H27.10", comp, improvement_requests=reqs)  # no names: the codes
    assert _shown(coded, "requests", "member") == ["B"] and _shown(coded, "slm", "scope") == ["A"]


@settings(max_examples=25, deadline=None)
@given(names=js.member_name_maps(("A", "B", "C")), reqs=st.lists(js.improvement_requests(), max_size=4))
def test_every_member_shown_is_a_name_or_the_whole_council(names: dict[str, str],
                                                           reqs: list[ImprovementRequest]) -> None:
    reqs = [attrs.evolve(r, id=f"Y-{i}") for i, r in enumerate(reqs)]
    obs = [Observation(metric="av", month="H27.10", value=99.0 + i / 10, member=c) for i, c in enumerate("ABC")]
    comp = evaluate_sla([SLAMetric(id="av", name="稼働率", unit="minutes", target=30, direction="lower")],
                        ObservationTable.from_observations(obs))
    r = monthly_report("H27.10", comp, improvement_requests=reqs, member_names=names)
    assert _shown(r, "slm", "scope") == [names[c] for c in "ABC"]
    shown = _shown(r, "requests", "member")
    want = [names[q.member] if q.member else "全体" for q, _ in r.improvement_requests]
    assert shown == want
    assert set(_shown(r, "slm", "unit_ja")) == {"分"}


# -- files and the command line -----------------------------------------------------------------------
def _copy(tmp_path: Path) -> Path:
    for f in DATA.glob("toyama_operations*"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path / "toyama_operations.toml"


def _without_names(toml: Path) -> None:
    text = toml.read_text(encoding="utf-8")
    start = text.index("[member_names]")
    toml.write_text(text[:start] + text[text.index("[service_start]"):], encoding="utf-8")


def test_the_loader_reads_member_names_and_names_the_file_of_a_missing_one(tmp_path: Path) -> None:
    toml = _copy(tmp_path)
    assert dict(load_operations(toml).member_names) == NAMES
    toml.write_text(toml.read_text(encoding="utf-8").replace('F = "舟橋村"\n', ""), encoding="utf-8")
    with pytest.raises(InputError, match=r"(?s)toyama_operations\.toml.*no name for member code 'F'"):
        load_operations(toml)
    _without_names(toml)
    assert load_operations(toml).member_names == {}


def test_cli_monthly_council_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = _copy(tmp_path)
    _without_names(toml)
    assert main(["monthly", "--month", "H27.10", str(toml)]) == 0
    coded = capsys.readouterr().out
    assert "射水市" not in coded
    council = str(examples.data_path("toyama.toml"))
    assert main(["monthly", "--month", "H27.10", str(toml), "--council", council]) == 0
    named = capsys.readouterr().out
    assert "稼働率                                 射水市" in named and "入善町" in named
    small = tmp_path / "small.toml"  # a council of five: no F
    small.write_text('name = "五団体"\nperiod_start = "H27.04"\nperiod_months = 60\n' + "".join(
        f'[[members]]\ncode = "{c}"\nname = "{n}"\npopulation = 1000\ncurrent_cost = 1000000\n'
        for c, n in NAMES.items() if c != "F"), encoding="utf-8")
    assert main(["monthly", "--month", "H27.10", str(toml), "--council", str(small)]) == 1
    err = capsys.readouterr().err
    assert "has no member code 'F'" in err and "Traceback" not in err


def test_the_council_report_shows_the_monthly_report_by_name(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    council = examples.toyama()
    bare = attrs.evolve(examples.toyama_operations(), member_names={})
    r = report.council_report(council, operations=bare.monthly_report("H28.03", council=council))
    path = tmp_path / "council.xlsx"
    r.to_excel(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["月次報告 サービスレベルモニタリング状況"]
    heads = [c.value for c in ws[2]]
    scope, unit = heads.index("対象 (scope)"), heads.index("単位 (unit)")
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert {row[scope] for row in rows} == {*NAMES.values(), "全体"}
    assert {row[unit] for row in rows} == {"%", "分", "時間", "秒"}
    ws = wb["月次報告 課題・検討事項"]
    assert "受託事業者" in [c.value for c in ws["D"]] and "vendor" not in [c.value for c in ws["D"]]


def test_the_english_report_words_its_labels_in_english(october) -> None:
    """Categories, statuses, results, trends and whole-council scopes are words of the reader's language;
    the records' own text (item names, titles) stays as written."""
    import re

    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    shown = {("work", "category"), ("slm", "met"), ("slm", "trend"), ("slm", "window_met"), ("schedule", "category"),
             ("schedule", "systems"), ("schedule", "members"), ("legal", "status"), ("issues", "status"),
             ("requests", "status")}
    for key, column in shown:
        en = [x for x in _shown(october, key, column, "en") if x]
        ja = [x for x in _shown(october, key, column, "ja") if x]
        assert en and len(en) == len(ja), (key, column)
        assert not [x for x in en if japanese.search(str(x))], (key, column, en)
        assert all(japanese.search(str(x)) for x in ja), (key, column, ja)
    assert "All" in _shown(october, "requests", "member", "en")
    assert "全体" in _shown(october, "requests", "member", "ja")
    assert october.view("slm").in_lang("ja").headings()[1] == "対象 (scope)"  # the key without _ja
