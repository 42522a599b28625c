"""What a council reads is Japanese first: no English sentence in the default output, English on request.

Each topic's bundled example is run through the command line as a user runs it (``lang="ja"``,
the default) and with ``--lang en``: the notes, findings, explanations and remarks of the Japanese
output hold no English sentence (a run of three or more English words, leaving out English glosses
in parentheses such as ``負担額 (share)``), and the English output still says it in English.
"""

from __future__ import annotations

import re

import attrs
import pytest

import jichitai_cloud as jc
from jichitai_cloud import examples
from jichitai_cloud.cli import main
from jichitai_cloud.model import Finding
from jichitai_cloud.schedule import plan_migration

_GLOSS = re.compile(r"\([A-Za-z][A-Za-z _'’/.,-]*\)")
_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’/-]+[A-Za-z]{2,}){2,}")


def english_runs(text: str) -> list[str]:
    """The runs of three or more English words in ``text`` (glosses in parentheses left out)."""
    return _SENTENCE.findall(_GLOSS.sub("", text))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_the_probe_finds_english_sentences_and_spares_glosses() -> None:
    assert english_runs("注: the allocation splits 1,390,000,000 yen") == ["the allocation splits"]
    assert english_runs("負担額 (share)  状態 (status_ja)  提携ごとの費用 (coalition costs)") == []
    assert english_runs("一致係数 (Kendall's W) 0.053、H27.04、R2.03") == []


COMMANDS = [
    ("schedule", "--example", "toyama"),
    ("fairness", "--example", "toyama"),
    ("select", "--example", "toyama"),
    ("evaluate", "--example", "toyama", "--samples", "200"),
    ("customization", "--example", "toyama", "--show", "all"),
    ("monthly", "--example", "toyama", "--month", "H27.10"),
    ("renewal", "--example", "toyama"),
    ("allocate", "--example", "toyama"),
    ("example", "toyama"),
    # run in the bundled data folder (see below), as a council runs them in its own
    ("bill", "toyama.toml", "toyama_billing_focus_illustrative.csv", "--rules", "toyama_billing_rules.toml"),
    ("migration", "toyama_migration/受給者.csv", "toyama_migration/B_受給者.csv", "--member", "B"),
]


@pytest.fixture(autouse=True)
def _in_the_example_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(examples.data_path("toyama.toml").parent)


@pytest.mark.parametrize("argv", COMMANDS, ids=[a[0] for a in COMMANDS])
def test_the_default_output_of_every_example_is_japanese(capsys: pytest.CaptureFixture[str],
                                                         argv: tuple[str, ...]) -> None:
    out = run(capsys, *argv)
    assert english_runs(out) == [], argv


# what the English output must still say, topic by topic
ENGLISH = {
    "schedule": ["fall in the busy season", "note: 月額経費"],
    "fairness": ["coalition costs: cost =", "members alone at their current cost", "note: fitted to 4 quotes",
                 "note: the allocation splits 1,390,000,000 yen"],
    "select": ["cost model: cost =", "note: current cost estimated by the cost model for"],
    "customization": ["implemented", "made_standard", "published total is 194"],
    "example": ["add up to 192 but the published total is 194", "collection and arrears"],
}
JAPANESE = {
    "schedule": ["テスト・研修の月 (H27.03) が繁忙期 (3月・4月・6月) に当たります。", "入善町 (C)", "備考: 月額経費"],
    "fairness": ["費用 = 308,373,043 + 96132.7 × 人口^0.7668、単独の団体は現行経費",
                 "注: 見積り 4 件に当てはめた曲線です", "注: 按分する額は 1,390,000,000円"],
    "select": ["費用モデル: 費用 =", "注: 現行経費は費用モデルによる推計です: 富山市", "注: 例示データ (架空)"],
    "customization": ["カスタマイズ実施", "標準仕様として対応", "公表値は 194 回です"],
    "example": ["部会の開催回数の合計は 192 回ですが、公表値は 194 回です (差 +2 回)。"],
}


@pytest.mark.parametrize("topic", sorted(ENGLISH))
def test_english_on_request(capsys: pytest.CaptureFixture[str], topic: str) -> None:
    argv = next(a for a in COMMANDS if a[0] == topic)
    en = run(capsys, *argv, "--lang", "en")
    for text in ENGLISH[topic]:
        assert text in en, (topic, text)
    ja = run(capsys, *argv)
    for text in JAPANESE[topic]:
        assert text in ja, (topic, text)
    assert "implemented " not in ja and "cost = " not in ja


# -- the findings --------------------------------------------------------------------------------

def test_a_finding_is_japanese_with_its_english_beside_it() -> None:
    f = Finding("members[0].population", "人口が 0 人のため、人口割の負担はありません。",
                "population is 0, so it pays no population share")
    assert str(f) == "members[0].population: 人口が 0 人のため、人口割の負担はありません。"
    assert f.text("en") == "population is 0, so it pays no population share"
    assert f.line("en") == "members[0].population: population is 0, so it pays no population share"
    # a finding made with one message (by an older caller) shows it in both languages
    assert Finding("x", "メッセージ").text("en") == "メッセージ"


def test_every_council_finding_is_bilingual() -> None:
    council = examples.toyama()
    m = council.members
    members = (attrs.evolve(m[0], current_cost=0, population=0),
               attrs.evolve(m[1], cloud_start=jc.Month(2030, 4), current_system_end=jc.Month(2030, 6)), *m[2:])
    findings = attrs.evolve(council, members=members).findings()
    assert len(findings) >= 5
    for f in findings:
        assert english_runs(f.message) == [], f.message
        assert english_runs(f.message_en), f.message_en
    assert any(f.message.startswith("射水市 (A): 現行経費が 0 円") for f in findings)


def test_every_schedule_check_is_bilingual() -> None:
    sch = examples.toyama_schedule("update")
    terms = [attrs.evolve(t, can_extend=False) for t in sch.members]
    plan = plan_migration(attrs.evolve(sch, members=tuple(terms)), starts="planned", capacity=2,
                          blackout=["H27.04"])
    core = examples.toyama_schedule()
    gap = plan_migration(attrs.evolve(core, members=tuple(attrs.evolve(t, can_extend=False) for t in core.members)),
                         starts={"C": "H27.08"})
    found = plan.findings() + gap.findings()
    kinds = {f.message_en.split(" ")[0] for f in found}
    assert {"test/training", "cutover", "5", "4"} <= kinds  # busy season, blackout, capacity, gap
    for f in found:
        assert english_runs(f.message) == [], f.message
        assert english_runs(f.message_en), f.message_en
    checks = plan.view("checks")
    assert "確認事項 (finding)" in plan.to_text() and "busy season" not in plan.to_text()
    assert "busy season" in plan.to_text("en") and "繁忙期 (" not in plan.to_text("en").split("checks")[-1]
    assert checks.keys == ("where", "finding", "finding_en")  # the data keeps both languages


def test_customization_contradictions_and_register_warnings_are_bilingual() -> None:
    from jichitai_cloud import customization as cz
    from jichitai_cloud.model import Assessment, CustomizationRequest, Quote

    r = CustomizationRequest(id="7", title="軽自動車税", requesters=("A",), adopters=("A",), status="implemented",
                             quote=Quote(fixed=1_200_000),
                             assessment=Assessment(operations_can_absorb=True, degrades_service=True))
    s = cz.decision_summary([r], members=("A", "B"))
    assert english_runs(s.summary()) == [] and "注意: customization_requests[7]: 記録上の状態は" in s.summary()
    assert "warning: customization_requests[7]: recorded as 'implemented'" in s.summary("en")
    text = s.to_text()
    assert "カスタマイズ実施" in text and "要望取下げ" in text
    assert not re.search(r"(?<!\()implemented(?!\))", text)  # only as the gloss of a heading
    assert re.search(r"(?<!\()implemented(?!\))", s.to_text("en"))


def test_evaluation_remarks_are_bilingual() -> None:
    from jichitai_cloud.evaluation import evaluate

    proc = examples.toyama_evaluation()
    low = attrs.evolve(proc, scheme=attrs.evolve(proc.scheme, investigation=1_380_000_000))
    r = evaluate(low)
    flagged = [p for p in r.results if p.remarks]
    assert flagged and all(english_runs(x) == [] for p in flagged for x in p.remarks)
    assert all("low-bid investigation required before award" in p.remarks_en for p in flagged)
    assert english_runs(r.to_text()) == []
    assert "low-bid investigation required before award" in r.to_text("en")


def test_the_examples_say_in_japanese_that_they_are_illustrative() -> None:
    notes = [examples.toyama_schedule().notes, examples.toyama_renewal().note, examples.toyama_evaluation().notes,
             examples.toyama_selection().pool.notes, examples.toyama_operations().notes,
             examples.toyama_customization().notes]
    for n in notes:
        assert "例示" in n and english_runs(n) == [], n


def test_a_column_written_in_one_language_is_shown_only_in_it() -> None:
    from jichitai_cloud import report
    from jichitai_cloud._display import Column, DataTable, render_text

    t = DataTable(key="checks", title="確認事項", title_en="Checks",
                  columns=(Column("where", "対象", "Where"), Column("finding", "確認事項", "Finding", lang="ja"),
                           Column("finding_en", "確認事項 (英語)", "Finding", lang="en"),
                           Column("n", "件数", "Count", "count", total=True)),
                  rows=[["A", "繁忙期に当たります。", "falls in the busy season", 1]], index="finding", totals=True)
    ja, en = t.in_lang("ja"), t.in_lang("en")
    assert ja.keys == ("where", "finding", "n") and ja.index == "finding"
    assert en.keys == ("where", "finding_en", "n") and en.index is None
    assert ja.in_lang("ja") is ja  # nothing left to drop
    assert "繁忙期" in render_text(t) and "busy season" not in render_text(t)
    assert "busy season" in render_text(t, "en") and "繁忙期" not in render_text(t, "en")
    # data keeps both languages; a sheet for people is in its language
    assert "finding_en" in report.to_csv(t, header="key").splitlines()[0]
    assert "busy season" not in report.to_csv(t) and "繁忙期" in report.to_csv(t)
    with pytest.raises(jc.ValidationError, match=r"Column\.lang must be None or one of"):
        Column("x", "x", "x", lang="fr")  # type: ignore[arg-type]


# -- the monthly operations report: members by name, units and owners in Japanese ---------------------
def _section(text: str, first: str, after: str) -> str:
    return text[text.index(first):text.index(after)]


def test_the_monthly_report_reads_in_japanese_with_the_members_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    ja = run(capsys, "monthly", "--example", "toyama", "--month", "H27.10")
    for word in ("minutes", "hours", "seconds", "secretariat", "vendor"):
        assert word not in ja, word
    slm = _section(ja, "2 サービスレベルモニタリング状況", "3 翌月以降の作業予定")
    requests = ja[ja.index("5 改善要望一覧"):]
    code_cell = re.compile(r"\s[A-F]\s")  # a member code standing alone in a cell
    assert not code_cell.search(slm) and not code_cell.search(requests)
    assert re.search(r"障害通知時間\s+射水市\s+分\s", slm) and re.search(r"復旧時間\s+舟橋村\s+時間\s", slm)
    assert re.search(r"オンライン応答時間 \(95パーセンタイル\)\s+入善町\s+秒\s", slm)
    assert re.search(r"バックアップ取得率\s+全体\s+%\s", slm)
    assert re.search(r"Y-004\s+異動届入力画面での旧住所の自動表示\s+射水市\s", requests)
    issues = _section(ja, "4 課題・検討事項", "5 改善要望一覧")
    assert "事務局" in issues and "受託事業者" in issues
    en = run(capsys, "monthly", "--example", "toyama", "--month", "H27.10", "--lang", "en")
    for word in ("minutes", "hours", "seconds", "secretariat", "vendor", "射水市"):
        assert word in en, word
    assert "事務局" not in en and " 分 " not in en


def test_unit_words_in_the_readers_language() -> None:
    from jichitai_cloud._display import unit_cells, unit_word

    assert [unit_word(u) for u in ("minutes", "Hours", "seconds", "ms", "count", "%", "件", "回")] == [
        "分", "時間", "秒", "ミリ秒", "件", "%", "件", "回"]
    assert [unit_word(u, "en") for u in ("分", "時間", "秒", "件", "minutes", "Hours", "%")] == [
        "minutes", "hours", "seconds", "count", "minutes", "Hours", "%"]  # English as written
    assert unit_word("件/年") == "件/年" and unit_word("件/年", "en") == "count/year"
    assert unit_word("minutes/month") == "分/月" and unit_word("minutes/month", "en") == "minutes/month"
    assert unit_word("kWh") == unit_word("kWh", "en") == "kWh"  # not known: as written in both
    assert unit_word("") == "" and unit_word("/") == "/"
    assert unit_cells("hours") == ("hours", "時間")
    with pytest.raises(jc.ValidationError, match="lang must be one of"):
        unit_word("minutes", "fr")  # type: ignore[arg-type]


def test_compliance_and_continuity_tables_show_units_in_the_readers_language() -> None:
    from jichitai_cloud._display import render_text

    data = examples.toyama_operations()
    detail = data.compliance().detail()
    assert {"unit", "unit_ja"} <= set(detail.keys)  # the data keeps both
    shown = render_text(detail.in_lang("ja"))
    assert "分" in shown and "minutes" not in shown and "hours" not in shown
    assert "minutes" in render_text(detail, "en")
    cont = data.continuity_assessment(council=examples.toyama())
    assert "件/年" in cont.to_text() and "count/year" in cont.to_text("en")
    assert "実績 9 件/年" in cont.explain() and "measured 9 count/year" in cont.explain("en")
