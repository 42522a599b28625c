"""Cost models, fairness report, leaving and joining (jichitai_cloud.games domain layer) and the CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import jichitai_cloud
from jichitai_cloud import Consortium, Municipality, examples, io
from jichitai_cloud.allocation import parse_ratio
from jichitai_cloud.errors import (
    GameError,
    InputError,
    JichitaiCloudError,
    ParseError,
    UnknownMemberError,
    ValidationError,
)
from jichitai_cloud.games import (
    CoalitionCosts,
    GroupQuote,
    QuoteTable,
    ScaleEconomyModel,
    SizeQuote,
    core_violation,
    fairness_report,
    joining_report,
    leaving_report,
    nucleolus,
    scrb,
    shapley,
)
from jichitai_cloud.games._rule import Rule, _rule_shares
from jichitai_cloud.io import load_cost_model


def ratio_shares(members: tuple[Municipality, ...], total: int, ratio: Rule = None) -> np.ndarray:
    """The reports' split of a fee by a ratio (the allocation module's split_costs; default 3:7)."""
    return _rule_shares(ratio, members, total)


def council(costs: list[int], pops: list[int] | None = None) -> Consortium:
    pops = pops or [10_000 * (i + 1) for i in range(len(costs))]
    return Consortium(
        name="test council",
        members=[Municipality(code=chr(65 + i), name=f"town {chr(65 + i)}", population=p, current_cost=c)
                 for i, (c, p) in enumerate(zip(costs, pops, strict=True))],
        period_start="H27.04",
    )


# three members: alone 100, 200, 300 (their current costs); quotes for two groups and the whole
THREE = council([100, 200, 300])
QUOTES = QuoteTable(quotes=[
    GroupQuote(members=["A", "B"], cost=250),
    GroupQuote(members="B C", cost=420),
    GroupQuote(members=["A", "B", "C"], cost=480),
])


@pytest.fixture(scope="module")
def toyama() -> Consortium:
    return examples.toyama()


@pytest.fixture(scope="module")
def toyama_model() -> ScaleEconomyModel:
    model = examples.toyama_games()
    assert isinstance(model, ScaleEconomyModel)
    assert model == load_cost_model(examples.data_path("toyama_games.toml"))
    return model


# ------------------------------------------------------------------------------------------------
# cost models
# ------------------------------------------------------------------------------------------------


class TestQuoteTable:
    def test_completion_by_cheapest_partition(self) -> None:
        cc = QUOTES.coalition_costs(THREE.members)
        assert cc.costs.tolist() == [0, 100, 200, 250, 300, 400, 420, 480]
        assert cc.cost(["A", "C"]) == 400  # no quote: A alone + C alone
        assert cc.completed == (("A", "C"),)
        assert cc.origin.tolist() == [0, 2, 2, 0, 2, 1, 0, 0]
        assert "1 of 7 coalitions had no quote" in cc.notes_en[0]
        assert "7 通りのグループのうち 1 通りは見積りがないため補完しました" in cc.notes[0]
        assert cc.standalone == (100, 200, 300)
        assert cc.grand == 480
        with pytest.raises(ValueError, match="read-only"):
            cc.costs[1] = 5

    def test_partition_uses_quoted_groups(self) -> None:
        four = council([100, 200, 300, 50])
        cc = QUOTES.coalition_costs(four.members, strict=False)
        # A B C D: no quote; cheapest split is {A,B,C} + {D} = 530
        assert cc.cost("ABCD") == 530
        # B C D: {B,C} + {D} = 470
        assert cc.cost("BCD") == 470
        assert cc.cost("ABD") == 300  # {A,B} + {D}

    def test_sum_of_standalone_rule(self) -> None:
        table = QuoteTable(quotes=QUOTES.quotes, completion="sum_of_standalone")
        cc = table.coalition_costs(THREE.members)
        assert cc.cost("AC") == 400

    def test_inconsistent_quote_reported(self) -> None:
        table = QuoteTable(quotes=[GroupQuote(members="A B", cost=350), GroupQuote(members="A B C", cost=500)])
        cc = table.coalition_costs(THREE.members)
        assert cc.cost("AB") == 350  # the quote is kept
        assert any("exceeds the cheapest split" in note for note in cc.notes_en)
        assert any("分かれて調達したほうが安くなります" in note for note in cc.notes)

    def test_unknown_members(self) -> None:
        table = QuoteTable(quotes=[GroupQuote(members="A Z", cost=10)])
        with pytest.raises(UnknownMemberError, match="Z"):
            table.coalition_costs(THREE.members)
        cc = table.coalition_costs(THREE.members, strict=False)
        assert any("left out" in note for note in cc.notes_in("en"))
        assert any("除外しました" in note for note in cc.notes_in("ja"))

    def test_validation(self) -> None:
        with pytest.raises(ValidationError, match="again"):
            QuoteTable(quotes=[GroupQuote(members="A B", cost=1), GroupQuote(members="B A", cost=2)])
        with pytest.raises(ValidationError, match="cost must be an integer >= 0"):
            GroupQuote(members="A", cost=-1)
        with pytest.raises(ValidationError, match="unique"):
            GroupQuote(members="A A", cost=1)
        with pytest.raises(ValidationError, match="completion"):
            QuoteTable(quotes=(), completion="guess")
        with pytest.raises(GameError, match="no quote of their own"):
            QuoteTable(quotes=QUOTES.quotes, standalone="quoted").coalition_costs(THREE.members)

    def test_csv(self, tmp_path: Path) -> None:
        path = tmp_path / "quotes.csv"
        path.write_text("members,cost,note\nA B,250,vendor 2015\nB+C,\"420\",\nA B C,480,\n", encoding="utf-8")
        table = load_cost_model(path)
        assert isinstance(table, QuoteTable)
        assert table.coalition_costs(THREE.members).costs.tolist() == [0, 100, 200, 250, 300, 400, 420, 480]
        bad = tmp_path / "bad.csv"
        bad.write_text("members,cost\nA B,lots\nA,5\nA,-3\n", encoding="utf-8")
        with pytest.raises(InputError) as info:
            load_cost_model(bad)
        text = str(info.value)
        assert "row 2" in text and "lots" in text and "row 4" in text
        with pytest.raises(InputError, match="missing column 'cost'"):
            io.load_quote_table(text="members,price\nA,1\n")

    def test_toml(self, tmp_path: Path) -> None:
        path = tmp_path / "quotes.toml"
        path.write_text('model = "quotes"\n[[quotes]]\nmembers = ["A", "B"]\ncost = 250\n'
                        '[[quotes]]\nmembers = ["A", "B", "C"]\ncost = 480\n', encoding="utf-8")
        table = load_cost_model(path)
        assert isinstance(table, QuoteTable)
        assert table.coalition_costs(THREE.members).cost("ABC") == 480
        path.write_text('model = "quotes"\n[[quotes]]\nmembers = ["A"]\ncost = -5\n', encoding="utf-8")
        with pytest.raises(InputError, match=r"quotes\[0\]\.cost"):
            load_cost_model(path)
        path.write_text('model = "magic"\n', encoding="utf-8")
        with pytest.raises(InputError, match="'quotes' or 'scale_economies'"):
            load_cost_model(path)


class TestScaleEconomyModel:
    def test_fit_and_price(self) -> None:
        quotes = [(p, round(3e8 + 4e4 * p**0.8)) for p in (10_000, 40_000, 90_000, 200_000)]
        model = ScaleEconomyModel.fit(quotes)
        assert model.exponent == pytest.approx(0.8, abs=1e-3)
        assert model.fit_error is not None and model.fit_error < 1e-4
        assert model.cost_of(40_000) == pytest.approx(quotes[1][1], rel=1e-5)
        cc = model.coalition_costs(THREE.members)
        assert cc.standalone == (100, 200, 300)  # current costs
        assert cc.cost("AB") == model.cost_of(30_000)
        own = ScaleEconomyModel(fixed=model.fixed, per_unit=model.per_unit, exponent=model.exponent,
                                standalone="model")
        assert own.coalition_costs(THREE.members).cost("A") == model.cost_of(10_000)

    def test_economies_of_scale_make_a_concave_game(self) -> None:
        model = ScaleEconomyModel(fixed=1e8, per_unit=5e4, exponent=0.7, standalone="model")
        members = council([1] * 6, [3000, 95000, 38000, 22000, 20000, 16000]).members
        costs = np.array(model.coalition_costs(members).costs)
        _, excess = core_violation(costs, shapley(costs))
        assert float(excess) <= 1e-3  # concave cost of a sum: the Shapley value is in the core

    def test_toml_fit_and_errors(self, tmp_path: Path, toyama_model: ScaleEconomyModel) -> None:
        assert toyama_model.fit_error is not None and toyama_model.fit_error < 0.02
        assert len(toyama_model.quotes) == 4
        assert 0 < toyama_model.exponent < 1
        path = tmp_path / "m.toml"
        path.write_text('model = "scale_economies"\nfixed = 1e8\nper_unit = 1000.0\nexponent = 0.9\n', encoding="utf-8")
        model = load_cost_model(path)
        assert isinstance(model, ScaleEconomyModel) and model.exponent == 0.9
        path.write_text('model = "scale_economies"\n[[quotes]]\nsize = 100\ncost = 5\n', encoding="utf-8")
        with pytest.raises(InputError, match="at least 3"):
            load_cost_model(path)
        path.write_text('model = "scale_economies"\ncolour = "blue"\n', encoding="utf-8")
        with pytest.raises(InputError) as info:
            load_cost_model(path)
        assert "colour" in str(info.value) and "quotes" in str(info.value)
        with pytest.raises(ValidationError, match="exponent"):
            ScaleEconomyModel(fixed=1.0, per_unit=1.0, exponent=0.0)
        with pytest.raises(ValidationError, match="size"):
            SizeQuote(size=-1, cost=5)


def test_coalition_costs_validates_and_restricts() -> None:
    with pytest.raises(GameError, match="length"):
        CoalitionCosts(codes=("A", "B"), costs=[0, 1, 2], origin=[0, 0, 0])
    cc = QUOTES.coalition_costs(THREE.members)
    sub = cc.subgame(["C", "A"])
    assert sub.costs.tolist() == [0, 300, 100, 400]
    assert "CoalitionCosts(" in repr(cc) and "<table" in cc._repr_html_()
    assert "A B C" in cc.to_text()
    frame = cc.to_dataframe()
    assert len(frame) == 7 and set(frame["origin"]) == {"quoted", "completed", "current cost"}


# ------------------------------------------------------------------------------------------------
# the rule
# ------------------------------------------------------------------------------------------------


def test_ratio_shares_three_to_seven() -> None:
    # 1,000 yen, two members of 1,000 and 3,000 residents: equal 300 -> 150 each; population 700 -> 175, 525
    c = council([1, 1], [1_000, 3_000])
    assert ratio_shares(c.members, 1_000).tolist() == [325, 675]
    assert ratio_shares(c.members, 1_000, "1:0").tolist() == [500, 500]
    assert ratio_shares(c.members, 1_001, {"population": 1}).tolist() == [250, 751]
    assert dict(parse_ratio("equal=3, population=7")) == {"equal": 3.0, "population": 7.0}
    for bad in ("3-7", "a:b", "0:0", "-1:2"):
        with pytest.raises(ParseError):
            parse_ratio(bad)


@settings(max_examples=30)
@given(st.lists(st.integers(1, 10**6), min_size=1, max_size=8), st.integers(0, 10**10),
       st.integers(0, 10), st.integers(0, 10))
def test_ratio_shares_conserve_the_total(pops: list[int], total: int, a: int, b: int) -> None:
    assume(a + b > 0)
    c = council([1] * len(pops), pops)
    shares = ratio_shares(c.members, total, {"equal": a, "population": b})
    assert shares.dtype == np.int64 and int(shares.sum()) == total and (shares >= 0).all()


# ------------------------------------------------------------------------------------------------
# fairness report
# ------------------------------------------------------------------------------------------------


class TestFairnessReport:
    def test_hand_worked_three_members(self) -> None:
        # game [0, 100, 200, 250, 300, 400, 420, 480]; the council splits 480 as 90/170/220
        report = fairness_report(THREE, [90, 170, 220], QUOTES)
        costs = np.array([0, 100, 200, 250, 300, 400, 420, 480])
        assert report.standalone == (100, 200, 300)
        assert report.shares == (90, 170, 220)
        # Shapley by hand over the 6 orders ABC ACB BAC BCA CAB CBA:
        # A: 100 + 100 + 50 + 60 + 100 + 60 = 470; B: 150 + 80 + 200 + 200 + 80 + 120 = 830
        np.testing.assert_allclose(report.shapley_exact, [470 / 6, 830 / 6, 1580 / 6])
        assert sum(report.shapley) == 480
        np.testing.assert_allclose(report.shapley, [470 / 6, 830 / 6, 1580 / 6], atol=1)
        assert report.nucleolus is not None and sum(report.nucleolus) == 480
        np.testing.assert_allclose(report.nucleolus, nucleolus(costs), atol=1)
        np.testing.assert_allclose(report.scrb, scrb(costs), atol=1)
        assert report.individually_rational == (True, True, True)
        # {B, C} pays 390 but could procure for 420: excess -30; {A, B} pays 260 vs 250: +10, blocks
        assert report.worst_coalition == ("A", "B") and report.worst_excess == 10
        assert not report.in_core and report.gain_from_leaving == 10
        assert report.blocking_coalition == ("A", "B")
        assert dict((m, e) for m, e, _ in report.method_excess)["nucleolus"] <= 0

    def test_allocation_forms(self) -> None:
        class Allocation:  # the allocation module's result, duck-typed
            codes = ("A", "B", "C")
            shares = (90, 170, 220)

        class Wrapped:
            def __array__(self, dtype=None, copy=None):  # type: ignore[no-untyped-def]
                return np.array([90, 170, 220], dtype=dtype)

        base = fairness_report(THREE, [90, 170, 220], QUOTES)
        for form in (Allocation(), {"C": 220, "A": 90, "B": 170}, np.array([90, 170, 220]), Wrapped(),
                     (90.0, 170.0, 220.0)):
            assert fairness_report(THREE, form, QUOTES) == base
        for bad, match in (([90, 170], "one amount per member"), ([90.5, 170, 219.5], "whole yen"),
                           ([-1, 261, 220], ">= 0"), ({"A": 1, "B": 2}, "missing")):
            with pytest.raises(ValidationError, match=match):
                fairness_report(THREE, bad, QUOTES)

    def test_total_differs_from_model(self) -> None:
        report = fairness_report(THREE, [100, 170, 220], QUOTES)
        assert report.total == 490 and report.model_total == 480
        assert any("490" in n for n in report.notes)
        assert sum(report.shapley) == 490

    def test_display(self) -> None:
        report = fairness_report(THREE, [90, 170, 220], QUOTES)
        assert "コアに属しません" in report.to_text() and "NOT in the core" in report.to_text("en")
        assert "town A, town B" in report.summary("en")  # names, not codes
        html = report._repr_html_()
        assert html.startswith('<table class="jichitai-cloud">') and "<li>" in html
        frame = report.to_dataframe()
        assert list(frame.index) == ["A", "B", "C"]
        assert frame.loc["A", "saving"] == 10 and bool(frame.loc["C", "individually_rational"])

    def test_one_member(self) -> None:
        one = council([100])
        report = fairness_report(one, [80], QuoteTable(quotes=[GroupQuote(members="A", cost=100)]))
        assert report.shapley == (80,) and report.in_core and report.method_excess == ()

    def test_toyama(self, toyama: Consortium, toyama_model: ScaleEconomyModel) -> None:
        assert toyama.published is not None
        report = fairness_report(toyama, toyama.published.cloud_fees, toyama_model)
        assert report.total == 1_390_000_000
        assert report.standalone == (920_000_000, 400_000_000, 250_000_000, 240_000_000, 240_000_000,
                                     110_000_000)
        assert all(report.individually_rational) and report.in_core
        for split in (report.shapley, report.nucleolus, report.scrb):
            assert split is not None and sum(split) == report.total


@settings(max_examples=10)
@given(st.lists(st.integers(1_000, 100_000), min_size=2, max_size=6), st.floats(0.5, 0.95))
def test_report_splits_conserve_and_nucleolus_in_core(pops: list[int], b: float) -> None:
    model = ScaleEconomyModel(fixed=1e8, per_unit=3e4, exponent=b, standalone="model")
    c = council([1] * len(pops), pops)
    grand = model.coalition_costs(c.members).grand
    report = fairness_report(c, ratio_shares(c.members, grand), model)
    assert report.nucleolus is not None
    for split in (report.shapley, report.nucleolus, report.scrb, report.shares):
        assert sum(split) == grand
    excess = dict((m, e) for m, e, _ in report.method_excess)
    # concave game: Shapley and nucleolus in the core up to the yen rounding of each member
    assert excess["nucleolus"] <= len(pops) and excess["shapley"] <= len(pops)


# ------------------------------------------------------------------------------------------------
# leaving and joining
# ------------------------------------------------------------------------------------------------


class TestLeavingJoining:
    def test_leaving_by_hand(self) -> None:
        # C leaves; A and B then cost 250, split 3:7 by population 10,000 / 20,000
        lv = leaving_report(THREE, "C", QUOTES, allocation=[90, 170, 220])
        assert lv.codes == ("A", "B") and lv.total_after == 250
        # quotas: equal 75 / 75, population 58.33 / 116.67 -> 133.33 / 191.67 of 250 ... exactly:
        assert sum(lv.after) == 250
        assert lv.after == tuple(ratio_shares(THREE.members[:2], 250).tolist())
        assert lv.before == (90, 170) and lv.change == (lv.after[0] - 90, lv.after[1] - 170)
        assert lv.leaver_share == 220 and lv.leaver_standalone == 300 and lv.leaver_gain == -80
        assert lv.extra_for_remaining == 250 - 260
        mask_ok = all(a <= s for a, s in zip(lv.after, lv.standalone, strict=True))
        assert lv.in_core_after == mask_ok
        assert "C (town C) leaves" in lv.summary("en") and "town C (C) が脱退" in lv.summary()
        assert len(lv.to_dataframe()) == 2 and "<table" in lv._repr_html_()

    def test_leaving_default_rule_and_errors(self) -> None:
        lv = leaving_report(THREE, "A", QUOTES)
        assert sum(lv.before) + lv.leaver_share == 480
        with pytest.raises(UnknownMemberError):
            leaving_report(THREE, "Z", QUOTES)
        with pytest.raises(ValidationError, match="only member"):
            leaving_report(council([5]), "A", QuoteTable(quotes=()))

    def test_leaving_with_callable_rule(self) -> None:
        def equal(members, total):  # type: ignore[no-untyped-def]
            n = len(members)
            return [total // n + (1 if i < total % n else 0) for i in range(n)]

        lv = leaving_report(THREE, "C", QUOTES, rule=equal)
        assert lv.after == (125, 125)
        with pytest.raises(ValidationError, match="add up"):
            leaving_report(THREE, "C", QUOTES, rule=lambda m, t: [1] * len(m))

    def test_joining(self) -> None:
        d = Municipality(code="D", name="town D", population=5_000, current_cost=90)
        quotes = QuoteTable(quotes=[*QUOTES.quotes, GroupQuote(members="A B C D", cost=520)])
        jr = joining_report(THREE, d, quotes)
        assert jr.marginal_cost == 40 and jr.standalone == 90
        assert jr.total_before == 480 and jr.total_after == 520
        assert sum(jr.after) + jr.rule_share == 520
        assert jr.welcome == (jr.rule_share >= 40) and jr.candidate_gains == (jr.rule_share <= 90)
        assert jr.acceptable_range == (40, 90)
        assert "joins" in jr.summary("en") and "新規参加" in jr.summary() and len(jr.to_dataframe()) == 4
        # without a quote for the larger council its cost is completed: no savings, a marginal cost of 90
        jr2 = joining_report(THREE, d, QUOTES)
        assert jr2.marginal_cost == 90
        with pytest.raises(ValidationError):
            joining_report(THREE, THREE.members[0], QUOTES)  # code already a member

    def test_toyama_leaving(self, toyama: Consortium, toyama_model: ScaleEconomyModel) -> None:
        assert toyama.published is not None
        lv = leaving_report(toyama, "A", toyama_model, allocation=toyama.published.cloud_fees)
        assert lv.leaver_gain < 0  # A is better off staying
        assert lv.extra_for_remaining > 0  # the others lose A's scale
        assert sum(lv.after) == lv.total_after


# ------------------------------------------------------------------------------------------------
# top level and CLI
# ------------------------------------------------------------------------------------------------


def test_top_level_exports() -> None:
    for name in ("fairness_report", "FairnessReport"):
        assert name in jichitai_cloud.__all__ and hasattr(jichitai_cloud, name)
    for name in ("fairness_report", "leaving_report", "joining_report", "FairnessReport"):
        assert name in jichitai_cloud.games.__all__
    assert issubclass(GameError, JichitaiCloudError) and issubclass(GameError, ValueError)


def test_import_leaves_heavy_modules_alone() -> None:
    import subprocess

    code = ("import sys, jichitai_cloud, jichitai_cloud.games; "
            "print(any(m in sys.modules for m in ('pandas', 'scipy', 'matplotlib', 'hypothesis')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    import jichitai_cloud.cli as cli_module

    return cli_module.main


def test_cli_example(cli, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert cli(["fairness", "--example", "toyama", "--leave", "A"]) == 0
    out = capsys.readouterr().out
    assert "published cloud fees" in out and "コアに属します" in out and "射水市 (A) が脱退" in out
    assert cli(["--lang", "en", "fairness", "--example", "toyama"]) == 0
    assert "published cloud fees" in capsys.readouterr().out
    assert cli(["fairness", "--example", "toyama", "--format", "json", "--shares", "rule"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["code"] for m in data["members"]] == ["A", "B", "C", "D", "E", "F"]
    assert sum(m["share"] for m in data["members"]) == data["total"]
    assert cli(["fairness", "--example", "toyama", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("code,name,standalone,share")


def test_cli_file_and_errors(cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from jichitai_cloud import io

    path = tmp_path / "council.toml"
    io.save(THREE, path)
    quotes = tmp_path / "quotes.csv"
    quotes.write_text("members,cost\nA B,250\nB C,420\nA B C,480\n", encoding="utf-8")
    assert cli(["fairness", str(path), "--costs", str(quotes), "--coalitions"]) == 0
    out = capsys.readouterr().out
    assert "completed" in out and "按分規則 3:7" in out
    assert cli(["fairness", str(path)]) == 1
    assert "--costs" in capsys.readouterr().err
    assert cli(["fairness", str(path), "--costs", str(quotes), "--shares", "published"]) == 1
    assert "published" in capsys.readouterr().err
    assert cli(["fairness", str(path), "--costs", str(quotes), "--leave", "Z"]) == 1
    assert "Z" in capsys.readouterr().err


def test_leaving_and_joining_with_the_allocation_rule() -> None:
    import jichitai_cloud as jc
    from jichitai_cloud.games import joining_report, leaving_report

    council = jc.examples.toyama()
    model = load_cost_model(jc.examples.data_path("toyama_games.toml"))
    with pytest.raises(jc.InfeasibleAllocation, match=r"30\.0 % cannot be met.*86,671,752 yen less"):
        leaving_report(council, "A", model, rule=jc.AllocationRule(ratios="3:7", min_reduction=0.3))
    rule = jc.AllocationRule(ratios="3:7", min_reduction=0.1)
    rep = leaving_report(council, "A", model, rule=rule)
    remaining = council.without_member("A")
    expected = jc.allocate(remaining, rep.total_after, rule)
    assert list(rep.after) == list(expected.shares)
    assert sum(rep.after) == rep.total_after
    newcomer = jc.Municipality(code="G", name="団体G", population=5000, current_cost=150_000_000,
                               cloud_start="H28.04")
    join = joining_report(council, newcomer, model, rule=rule)
    assert sum(join.after) + join.rule_share == join.total_after  # incumbents' shares, then the newcomer's


def test_fairness_report_without_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    import jichitai_cloud as jc
    from jichitai_cloud.games import fairness_report
    from jichitai_cloud.games._kernels import _nucleolus

    def no_scipy() -> None:
        raise ImportError("nucleolus() solves linear programs with scipy's HiGHS; scipy is an optional extra")

    monkeypatch.setattr(_nucleolus, "_linprog", no_scipy)
    council = jc.examples.toyama()
    model = load_cost_model(jc.examples.data_path("toyama_games.toml"))
    rep = fairness_report(council, [council.published.cloud_fees[c] for c in council.codes], model)
    assert rep.nucleolus is None
    assert any("needs scipy" in n for n in rep.notes_en)
    assert any("scipy が必要です" in n for n in rep.notes)
    assert "needs scipy" in rep.to_text("en") and "scipy が必要です" in rep.to_text()


def test_fairness_report_applies_the_rule_when_no_allocation_is_given() -> None:
    by_rule = fairness_report(THREE, None, QUOTES)
    assert by_rule == fairness_report(THREE, ratio_shares(THREE.members, 480), QUOTES)
    assert by_rule.total == 480
    equal = fairness_report(THREE, None, QUOTES, rule="1:0")
    assert equal.shares == (160, 160, 160)


def test_the_ratio_split_is_the_allocation_kernel() -> None:
    from jichitai_cloud.allocation import AllocationRule, split_costs

    c = council([1, 1, 1], [1_000, 3_000, 7_000])
    drivers = np.array([[1.0, m.population] for m in c.members])
    assert ratio_shares(c.members, 12_345).tolist() == split_costs(12_345, drivers, [3, 7]).tolist()
    # the same council on the cloud the whole period: allocate() with the plain rule gives the same split
    assert _rule_shares(AllocationRule(ratios="3:7"), c.members, 12_345, c).tolist() == \
        ratio_shares(c.members, 12_345).tolist()
    with pytest.raises(ValidationError):
        ratio_shares(c.members, 10, {"equal": -1})
    with pytest.raises(UnknownMemberError, match="staff"):
        ratio_shares(c.members, 10, {"staff": 1})


def test_coalition_costs_tables_hold_every_coalition() -> None:
    cc = QUOTES.coalition_costs(THREE.members)
    ((name, (header, rows)),) = cc.tables().items()
    assert header == ("coalition", "cost", "origin") and len(rows) == 7 and name.startswith("グループ別の費用")
    assert rows[0] == ["A", 100, "current cost"] and rows[-1] == ["A B C", 480, "quoted"]
    assert cc.to_text(limit=2).count("\n") < cc.to_text(limit=None).count("\n")
    assert "注: 7 通りのグループのうち 1 通りは見積りがないため補完しました" in cc._repr_html_()
    assert "note: 1 of 7 coalitions had no quote" in cc.html_fragment("en")
    assert "note: 1 of 7 coalitions had no quote" in cc.html_fragment("en")
