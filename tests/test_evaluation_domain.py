"""evaluate(): the Toyama example, hand-worked schemes, validity, shortlisting, ties, properties, output."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import jichitai_cloud as jc
from jichitai_cloud import EvaluationScheme, Procurement, Proposal, Scores, io, report
from jichitai_cloud.errors import ValidationError
from jichitai_cloud.evaluation import evaluate, scores_from_grades
from jichitai_cloud.examples import toyama_evaluation
from jichitai_cloud.model import Component, ComponentKind, Criterion
from jichitai_cloud.testing import strategies as jst

HERE = Path(__file__).parent


def _gen_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("evaluation_example_data", HERE / "evaluation_example_data.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ------------------------------------------------------------------------------------------- Toyama


def test_bundled_file_is_the_generator_output():
    from jichitai_cloud import examples

    committed = examples.data_path("toyama_evaluation.toml").read_text(encoding="utf-8")
    assert committed == _gen_module().generate()


def test_toyama_scheme_is_the_documents():
    proc = toyama_evaluation()
    s = proc.scheme
    assert s.total_points == 3000
    assert [(c.name, c.points, c.round, c.judges) for c in s.components] == [
        ("price", 1000, 0, None), ("proposal", 1000, 1, 6), ("demonstration", 1000, 2, 116)]
    assert len(proc.proposals) == 3
    assert all(len(p.scores_for("demonstration").judges) == 116 for p in proc.proposals)
    assert "例示" in proc.notes
    # the council's own scheme (examples.toyama) has the same components and points
    council = jc.examples.toyama()
    assert council.evaluation is not None
    assert [(c.name, c.points, c.round, c.judges) for c in council.evaluation.components] == \
        [(c.name, c.points, c.round, c.judges) for c in s.components]


def test_toyama_evaluation_hand_checked():
    proc = toyama_evaluation()
    r = evaluate(proc)
    bids = {p.vendor: p.bid for p in proc.proposals}
    low = min(bids.values())
    for res in r.results:
        # lowest_ratio, rounded half up to 2 decimals
        expected = math.floor(1000 * low / res.bid * 100 + 0.5) / 100
        assert res.price_points == pytest.approx(expected, abs=1e-9)
        assert res.total == pytest.approx(res.price_points + sum(res.technical.values()), abs=1e-9)
        assert res.total <= 3000
        assert res.status == "valid"
    # technical points of one component recomputed by hand from the raw scores
    p0 = proc.proposals[0]
    sc = p0.scores_for("demonstration")
    comp = proc.scheme.component("demonstration")
    vals = np.array([[np.nan if x is None else x for x in row] for row in sc.values])
    means = np.nanmean(vals, axis=0)
    w = np.array([k.weight for k in comp.criteria])
    mx = np.array([k.max_score for k in comp.criteria])
    by_hand = 1000 * float(np.sum(w / w.sum() * means / mx))
    assert r.results[0].technical["demonstration"] == pytest.approx(round(by_hand, 2), abs=1e-9)
    assert r.winner == "事業者A"
    assert [x.vendor for x in r.ranking()] == ["事業者A", "事業者B", "事業者C"]
    assert {j.component: len(j.judges) for j in r.judges} == {"proposal": 6, "demonstration": 116}
    assert r.judges[1].complete_judges == 113  # three judge-sessions missed one demonstration


def test_toyama_robustness():
    r = evaluate(toyama_evaluation())
    rob = r.robustness(samples=2000, seed=1)
    assert sum(rob.win_probability) == pytest.approx(1.0)
    assert rob.vendors == ("事業者A", "事業者B", "事業者C")
    assert rob.win_probability[0] > 0.5
    assert rob.closest_rival in ("事業者B", "事業者C")
    assert rob.weight_shift is not None and 0 < rob.weight_shift < 1
    assert rob.shift_to is not None and rob.shift_from
    again = r.robustness(samples=2000, seed=1)
    assert again == rob
    assert "wins in" in rob.summary("en") and "が最優秀となるのは" in rob.summary()
    fixed = r.robustness(samples=50, concentration=None, bootstrap=False)
    assert fixed.win_probability == (1.0, 0.0, 0.0)


# ------------------------------------------------------------------------------------------- hand-worked


def _scheme(**kw):  # type: ignore[no-untyped-def]
    comps = (
        Component(name="price", kind=ComponentKind.PRICE, points=100, round=0),
        Component(name="tech", points=100, round=1,
                  criteria=(Criterion(name="must", max_score=1, mandatory=True),
                            Criterion(name="a", max_score=10, weight=1), Criterion(name="b", max_score=10, weight=3))),
    )
    args = {"name": "test", "components": comps, "price_method": "ceiling_ratio", "ceiling": 10_000_000}
    args.update(kw)
    return EvaluationScheme(**args)


def _prop(vendor, bid, rows, judges=("J1", "J2")):  # type: ignore[no-untyped-def]
    return Proposal(vendor=vendor, bid=bid, scores=(Scores(component="tech", judges=judges,
                                                           criteria=("must", "a", "b"), values=rows),))


def test_hand_worked_additive_scheme():
    s = _scheme()
    props = [
        _prop("X", 7_000_000, [(1, 10, 6), (1, 8, 8)]),   # tech = 100 x (0.25 x 0.9 + 0.75 x 0.7) = 75
        _prop("Y", 8_000_000, [(1, 10, 10), (1, 10, 10)]),  # tech = 100; price = 20
        _prop("Z", 11_000_000, [(1, 10, 10), (1, 10, 10)]),  # over the ceiling
    ]
    r = evaluate(props, s)
    x, y, z = r.results
    assert x.price_points == pytest.approx(30.0) and x.technical_points == pytest.approx(75.0)
    assert y.price_points == pytest.approx(20.0) and y.technical_points == pytest.approx(100.0)
    assert x.total == pytest.approx(105.0) and y.total == pytest.approx(120.0)
    assert (x.rank, y.rank, z.rank) == (2, 1, None)
    assert z.status == "over_ceiling" and z.total is None and z.price_points is None
    assert r.winner == "Y"


def test_minimum_and_investigation():
    s = _scheme(minimum=6_000_000, investigation_ratio=0.75)
    props = [_prop("low", 5_000_000, [(1, 5, 5)] * 2), _prop("flag", 7_000_000, [(1, 5, 5)] * 2),
             _prop("ok", 9_000_000, [(1, 5, 5)] * 2)]
    r = evaluate(props, s)
    assert r.investigation == 7_500_000
    assert [x.status for x in r.results] == ["under_minimum", "under_investigation", "valid"]
    assert r.result("low").rank is None
    assert r.result("flag").rank == 1 and any("調査" in m for m in r.result("flag").remarks)


def test_floating_threshold_and_piecewise():
    s = _scheme(price_method="piecewise", floating_factor=0.9)
    props = [_prop("a", 6_000_000, [(1, 5, 5)] * 2), _prop("b", 9_000_000, [(1, 5, 5)] * 2),
             _prop("c", 9_000_000, [(1, 5, 5)] * 2)]
    r = evaluate(props, s)
    assert r.investigation == 7_200_000  # 8,000,000 x 0.9
    # below the threshold: 100 x {(1 - 0.72) + 0.5 x (7.2 - 6.0)/10} = 34
    assert r.result("a").price_points == pytest.approx(34.0)
    with pytest.raises(ValidationError, match="piecewise"):
        evaluate(props, _scheme(price_method="piecewise"))


def test_mandatory_majority_disqualifies():
    props = [_prop("fails", 1_000_000, [(0, 10, 10), (0, 10, 10), (1, 10, 10)], judges=("J1", "J2", "J3")),
             _prop("passes", 9_000_000, [(0, 1, 1), (1, 1, 1), (1, 1, 1)], judges=("J1", "J2", "J3"))]
    r = evaluate(props, _scheme())
    assert r.result("fails").mandatory_passed is False and r.result("fails").rank is None
    assert r.winner == "passes"


def test_shortlisting_top_k_with_ties_and_threshold():
    comps = (
        Component(name="price", kind=ComponentKind.PRICE, points=100, round=0),
        Component(name="r1", points=100, round=1, criteria=(Criterion(name="q", max_score=10),)),
        Component(name="r2", points=100, round=2, criteria=(Criterion(name="d", max_score=10),)),
    )

    def prop(v, q, d=None):  # type: ignore[no-untyped-def]
        sc = [Scores(component="r1", judges=("J",), criteria=("q",), values=((q,),))]
        if d is not None:
            sc.append(Scores(component="r2", judges=("K",), criteria=("d",), values=((d,),)))
        return Proposal(vendor=v, bid=5_000_000, scores=tuple(sc))

    props = [prop("A", 9, 5), prop("B", 7, 9), prop("C", 7, 8), prop("D", 3)]
    s = EvaluationScheme(name="s", components=comps, price_method="ceiling_ratio", ceiling=10_000_000,
                         shortlist_top=2)
    r = evaluate(props, s)
    assert [x.shortlisted for x in r.results] == [True, True, True, False]  # B and C tie for second
    assert r.result("D").rank is None and r.result("D").total is None
    assert r.winner == "B"  # 50 + 70 + 90
    s2 = attrs.evolve(s, shortlist_top=None, shortlist_threshold=80.0)
    r2 = evaluate([props[0], props[1], props[3]], s2)
    assert [x.shortlisted for x in r2.results] == [True, False, False]
    with pytest.raises(ValidationError, match="no scores from"):
        evaluate([prop("A", 9), prop("B", 7, 9)], s)  # A went on but has no round-2 scores


def test_ties_technical_first_then_lottery():
    s = _scheme()
    # same total 120: X has price 20 + tech 100, Y price 30 + tech 90 -> X wins on technical points
    props = [_prop("X", 8_000_000, [(1, 10, 10), (1, 10, 10)]),
             _prop("Y", 7_000_000, [(1, 10, 8.6666666666666667), (1, 10, 8.6666666666666667)])]
    r = evaluate(props, _scheme(decimals=2))
    assert r.result("X").total == r.result("Y").total == pytest.approx(120.0)
    assert r.winner == "X" and r.result("Y").rank == 2
    # identical proposals: a lottery decides, reported not drawn
    same = [_prop(v, 8_000_000, [(1, 10, 10), (1, 10, 10)]) for v in ("A社", "B社", "C社", "D社")]
    r = evaluate(same, s)
    assert r.winner is None and r.lottery_candidates == ("A社", "B社", "C社", "D社")
    assert [x.rank for x in r.results] == [1, 1, 1, 1]
    # 芦屋市's published example: lottery numbers 755, 242, 482, 176 -> remainder 3
    assert r.lottery({"A社": 755, "B社": 242, "C社": 482, "D社": 176}) == "D社"
    assert r.lottery({"A社": 343, "B社": 887, "C社": 909, "D社": 776},
                     offsets={"A社": 123, "B社": 550, "C社": 332, "D社": 5}) == "B社"
    with pytest.raises(ValidationError, match="lack"):
        r.lottery({"A社": 1})
    rob = r.robustness(samples=200, seed=0)
    assert rob.win_probability == pytest.approx((0.25, 0.25, 0.25, 0.25))
    assert rob.lottery_samples == 200


def test_absent_judges_and_errors():
    s = _scheme()
    r = evaluate([_prop("X", 8_000_000, [(1, None, 10), (1, 8, None)])], s)
    assert r.results[0].technical_points == pytest.approx(100 * (0.25 * 0.8 + 0.75 * 1.0))
    with pytest.raises(ValidationError, match="no judge scored"):
        evaluate([_prop("X", 8_000_000, [(1, None, 10), (1, None, 10)])], s)
    with pytest.raises(ValidationError, match="missing \\['b'\\]"):
        evaluate([Proposal(vendor="X", bid=1, scores=(Scores(component="tech", judges=("J",), criteria=("must", "a"),
                                                                values=((1, 5),)),))], s)
    with pytest.raises(ValidationError, match="not technical components"):
        evaluate([Proposal(vendor="X", bid=1, scores=(Scores(component="nope", judges=("J",), criteria=("a",),
                                                                values=((1,),)),))], s)
    with pytest.raises(ValidationError, match="exceeds its maximum"):
        evaluate([_prop("X", 8_000_000, [(1, 11, 10), (1, 8, 9)])], s)
    with pytest.raises(ValidationError, match="has no scores"):
        evaluate([Proposal(vendor="X", bid=1)], s)
    panel = attrs.evolve(s, components=(s.components[0], attrs.evolve(s.components[1], panel=("J1",))))
    with pytest.raises(ValidationError, match="not on the"):
        evaluate([_prop("X", 8_000_000, [(1, 5, 5), (1, 5, 5)])], panel)
    with pytest.raises(ValidationError, match="ceiling"):
        evaluate([_prop("X", 8_000_000, [(1, 5, 5), (1, 5, 5)])], _scheme(ceiling=None))


def test_price_only_and_technical_only_schemes():
    price_only = EvaluationScheme(name="p", components=(Component(name="price", kind="price", points=100),),
                                  price_method="ceiling_ratio", ceiling=100)
    r = evaluate([Proposal(vendor="a", bid=50), Proposal(vendor="b", bid=80), Proposal(vendor="c", bid=120)],
                 price_only)
    assert r.winner == "a" and r.result("c").rank is None
    rob = r.robustness(samples=100)
    assert rob.win_probability == (1.0, 0.0) and math.isinf(rob.shifts["b"])
    assert "resampled" not in rob.summary("en") and "再抽出" not in rob.summary()
    with pytest.raises(ValidationError, match="no ranked proposal"):
        evaluate([Proposal(vendor="c", bid=120)], price_only).robustness()


def test_scheme_validation():
    with pytest.raises(ValidationError, match="price_method must be one of"):
        _scheme(price_method="cheapest")
    with pytest.raises(ValidationError, match="one form only"):
        _scheme(investigation=5, investigation_ratio=0.7)
    with pytest.raises(ValidationError, match="at most one price component"):
        EvaluationScheme(name="s", components=(Component(name="p1", kind="price", points=1),
                                               Component(name="p2", kind="price", points=1)))
    with pytest.raises(ValidationError, match="must not exceed"):
        _scheme(minimum=20_000_000)


def test_grades_to_scores():
    sc = scores_from_grades("tech", ["J1", "J2"], ["must", "a", "b"], [["A", "B", "C"], ["A", None, "e"]],
                            max_scores=[1, 10, 10])
    assert sc.values == ((1.0, 7.5, 5.0), (1.0, None, 0.0))
    with pytest.raises(ValidationError, match="must be one of"):
        scores_from_grades("tech", ["J1"], ["a"], [["F"]], max_scores=[10])


# ------------------------------------------------------------------------------------------- outputs


def test_result_shows_itself_and_exports_safely(tmp_path):
    props = [_prop("=HYPERLINK(\"http://x\")", 8_000_000, [(1, 10, 10), (1, 10, 10)]),
             _prop("<b>Y</b>", 7_000_000, [(1, 5, 5), (1, 5, 5)])]
    r = evaluate(props, _scheme())
    html = r._repr_html_()
    assert "&lt;b&gt;Y&lt;/b&gt;" in html and "<table" in html
    assert "最優秀業者" in r.to_text() and "winner" in r.to_text("en") and "EvaluationResult(" in repr(r)
    pd = pytest.importorskip("pandas")
    df = r.to_dataframe()
    assert isinstance(df, pd.DataFrame) and df.loc["<b>Y</b>", "rank"] == 2
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "sheet.xlsx"
    report.to_excel(r, path)
    wb = openpyxl.load_workbook(path)
    assert "評価結果" in wb.sheetnames and "署名" in wb.sheetnames
    cells = [c.value for row in wb["評価結果"].iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://x\")" in cells
    assert all(not (isinstance(v, str) and v.startswith("=")) for ws in wb for row in ws.iter_rows()
               for v in (c.value for c in row))
    rob = r.robustness(samples=100)
    assert "<table" in rob._repr_html_() and "Robustness(" in repr(rob)
    assert rob.to_dataframe().shape[0] == 2


def test_procurement_round_trips_through_io():
    proc = toyama_evaluation()
    assert io.loads(io.dumps(proc), Procurement) == proc
    assert io.loads(io.dumps(proc, format="json"), Procurement, format="json") == proc


def test_procurement_file_loads_and_the_sheet_has_every_table(tmp_path):
    path = tmp_path / "proc.toml"
    path.write_text(io.dumps(toyama_evaluation()), encoding="utf-8")
    proc = io.load_procurement(path)
    assert proc == toyama_evaluation()
    r = evaluate(proc)
    assert list(r.tables()) == ["評価結果", "配点", "価格", "採点 提案書評価・プレゼン", "採点 実技評価 (デモンストレーション)",
                                "審査員", "署名"]
    assert r.tables()["評価結果"] == r.table()
    assert "<table" in r._repr_html_() and "最優秀業者: 事業者A" in r._repr_html_()
    assert report.to_csv(r, table="価格", header="key").splitlines()[0].lstrip("\ufeff").startswith("vendor,bid,status")


def test_procurement_file_errors_are_located(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[scheme]\nname = "s"\nprice_method = "cheap"\n[[scheme.components]]\n'
                   'name = "price"\nkind = "price"\npoints = 10\n[[proposals]]\nvendor = "A"\nbid = -5\n',
                   encoding="utf-8")
    with pytest.raises(jc.InputError) as info:
        io.load(bad, Procurement)
    where = [p.where for p in info.value.problems]
    assert any("price_method" in w for w in where) and any("bid" in w for w in where)


# ------------------------------------------------------------------------------------------- properties


@settings(max_examples=30, deadline=None)
@given(jst.procurements(min_proposals=1), st.data())
def test_raising_a_score_never_lowers_total_or_rank(proc, data):
    before = evaluate(proc)
    i = data.draw(st.integers(0, len(proc.proposals) - 1))
    p = proc.proposals[i]
    k = data.draw(st.integers(0, len(p.scores) - 1))
    sc = p.scores[k]
    rows = [list(r) for r in sc.values]
    j = data.draw(st.integers(0, len(rows) - 1))
    c = data.draw(st.integers(0, len(rows[j]) - 1))
    assume(rows[j][c] is not None)
    mx = proc.scheme.component(sc.component).criteria[c].max_score
    rows[j][c] = data.draw(st.floats(rows[j][c], mx))
    new_p = attrs.evolve(p, scores=tuple(attrs.evolve(s, values=tuple(map(tuple, rows))) if n == k else s
                                         for n, s in enumerate(p.scores)))
    after = evaluate(attrs.evolve(proc, proposals=tuple(new_p if n == i else q for n, q in enumerate(proc.proposals))))
    b, a = before.results[i], after.results[i]
    if b.rank is not None:
        assert a.rank is not None and a.rank <= b.rank
        assert a.total >= b.total - 1e-9


@settings(max_examples=30, deadline=None)
@given(jst.procurements(min_proposals=1), st.data())
def test_lower_bid_never_fewer_price_points(proc, data):
    i = data.draw(st.integers(0, len(proc.proposals) - 1))
    p = proc.proposals[i]
    lower = attrs.evolve(p, bid=data.draw(st.integers(1, p.bid)))
    before = evaluate(proc).results[i]
    after = evaluate(attrs.evolve(proc, proposals=tuple(lower if n == i else q
                                                        for n, q in enumerate(proc.proposals)))).results[i]
    if before.price_points is not None and after.price_points is not None and proc.scheme.price_method != "v_shape":
        assert after.price_points >= before.price_points - 1e-9


@settings(max_examples=30, deadline=None)
@given(jst.procurements(min_proposals=2), st.randoms(use_true_random=False))
def test_totals_bounded_and_order_invariant(proc, rnd):
    r = evaluate(proc)
    for x in r.results:
        if x.total is not None:
            assert -1e-9 <= x.total <= proc.scheme.total_points + 1e-9
    perm = list(range(len(proc.proposals)))
    rnd.shuffle(perm)
    shuffled_props = []
    for n in perm:  # shuffle the proposals, and the judges' rows inside each score sheet
        p = proc.proposals[n]
        sheets = []
        for s in p.scores:
            order = list(range(len(s.judges)))
            rnd.shuffle(order)
            sheets.append(attrs.evolve(s, judges=tuple(s.judges[o] for o in order),
                                       values=tuple(s.values[o] for o in order)))
        shuffled_props.append(attrs.evolve(p, scores=tuple(sheets)))
    r2 = evaluate(attrs.evolve(proc, proposals=tuple(shuffled_props)))
    for x in r.results:
        y = r2.result(x.vendor)
        assert (y.rank, y.status, y.shortlisted) == (x.rank, x.status, x.shortlisted)
        if x.total is not None:
            assert y.total == pytest.approx(x.total, abs=1e-9)
    assert r2.winner == r.winner
    assert set(r2.lottery_candidates) == set(r.lottery_candidates)


@settings(max_examples=15, deadline=None)
@given(jst.procurements(min_proposals=2, max_proposals=4))
def test_win_probabilities_add_up(proc):
    r = evaluate(proc)
    assume(any(x.rank is not None for x in r.results))
    rob = r.robustness(samples=300, seed=3)
    assert sum(rob.win_probability) == pytest.approx(1.0)
    for row in rob.rank_probability:
        assert sum(row) == pytest.approx(1.0)


# ------------------------------------------------------------------------------------------- CLI


def test_cli_evaluate_example(capsys):
    from jichitai_cloud.cli import main

    assert main(["evaluate", "--example", "toyama", "--samples", "500"]) == 0
    out = capsys.readouterr().out
    assert "最優秀業者: 事業者A" in out and "頑健性" in out and "有効" in out and "valid" not in out
    assert main(["evaluate", "--example", "toyama", "--samples", "0", "--lang", "en"]) == 0
    assert "valid" in capsys.readouterr().out  # the status code, shown in English
    assert main(["evaluate", "--example", "toyama", "--samples", "300", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["winner"] == "事業者A"
    assert sum(data["robustness"]["win_probability"].values()) == pytest.approx(1.0)
    assert main(["evaluate", "--example", "toyama", "--samples", "0", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("rank,vendor,bid,status")


def test_cli_evaluate_file_and_errors(tmp_path, capsys):
    from jichitai_cloud.cli import main

    path = tmp_path / "proc.toml"
    path.write_text(io.dumps(toyama_evaluation()), encoding="utf-8")
    xlsx = tmp_path / "sheet.xlsx"
    assert main(["evaluate", str(path), "--samples", "200", "--excel", str(xlsx)]) == 0
    assert xlsx.exists()
    capsys.readouterr()
    assert main(["evaluate"]) == 1
    assert "give either FILE or --example" in capsys.readouterr().err
    assert main(["evaluate", "--example", "nowhere"]) == 1
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n', encoding="utf-8")
    assert main(["evaluate", str(bad)]) == 1
    assert "scheme" in capsys.readouterr().err
