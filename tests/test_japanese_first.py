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
    "schedule": ["テスト・研修の月 (H27.03) が繁忙期 (3月・4月・6月) に当たります。", "団体C (C)", "備考: 月額経費"],
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
