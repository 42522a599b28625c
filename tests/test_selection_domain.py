"""Selection domain: records, the file reader, recommend and its report, the example and the CLI."""

from __future__ import annotations

import csv
import json
import re

import attrs
import numpy as np
import pytest
from hypothesis import given, settings

from jichitai_cloud import examples, io
from jichitai_cloud.cli import main
from jichitai_cloud.errors import (
    InputError,
    JichitaiCloudError,
    SelectionError,
    UnknownMemberError,
    ValidationError,
)
from jichitai_cloud.games import ScaleEconomyModel
from jichitai_cloud.model import Candidate, CandidatePool, SelectionConstraints
from jichitai_cloud.selection import (
    SelectionProblem,
    best_partition,
    condition_masks,
    fit_current_costs,
    recommend,
)
from jichitai_cloud.testing import strategies as jst

TOYAMA_COSTS = {"射水市": 920_000_000, "滑川市": 400_000_000, "入善町": 250_000_000, "上市町": 240_000_000,
                "朝日町": 240_000_000, "舟橋村": 110_000_000}


@pytest.fixture(scope="module")
def toyama():
    return examples.toyama_selection()


@pytest.fixture(scope="module")
def report(toyama):
    return recommend(toyama)


# -- the example's data ------------------------------------------------------------------------
def test_example_populations_are_the_census(toyama):
    with examples.data_path("toyama_municipalities_census_2005.csv").open(encoding="utf-8") as f:
        census = {r["code"]: (r["name"], int(r["population_2005_census"])) for r in csv.DictReader(f)}
    assert len(toyama.pool.candidates) == 15
    assert sum(c.population for c in toyama.pool.candidates) == 1_111_729  # the prefecture's published total
    for c in toyama.pool.candidates:
        assert census[c.code[:5]] == (c.name, c.population)


def test_example_current_costs_are_published(toyama):
    known = {c.name: c.current_cost for c in toyama.pool.candidates if c.current_cost is not None}
    assert known == TOYAMA_COSTS
    assert sum(known.values()) == 2_160_000_000  # 21.6 億円, the document's five-year current cost


def test_example_borders_are_symmetric_and_connected(toyama):
    adj = toyama.adjacency()
    assert (adj == adj.T).all()
    from jichitai_cloud.selection import contiguous_groups

    assert contiguous_groups(adj)[-1]  # the prefecture is one connected piece


def test_fit_current_costs(toyama):
    model = toyama.cost_model
    assert isinstance(model, ScaleEconomyModel)
    assert len(model.quotes) == 6
    again = fit_current_costs(toyama.pool)
    assert (again.fixed, again.per_unit, again.exponent) == (model.fixed, model.per_unit, model.exponent)
    with pytest.raises(SelectionError, match="needs 3"):
        fit_current_costs(toyama.pool.candidates[:2])


# -- recommend ---------------------------------------------------------------------------------
def test_report_is_consistent(toyama, report):
    n = len(toyama.codes)
    costs = toyama.coalition_costs().costs
    assert report.best.total <= report.alone_total
    totals = [g.total for g in report.groupings]
    assert totals == sorted(totals) and len(totals) == 3
    assert len({tuple(sorted(g.members for g in gr.groups)) for gr in report.groupings}) == 3  # distinct
    for gr in report.groupings:
        assert sorted(c for g in gr.groups for c in g.members) == sorted(toyama.codes)
        assert gr.total == sum(g.cost for g in gr.groups)
        for g in gr.groups:
            assert sum(g.shares) == g.cost
            mask = sum(1 << toyama.codes.index(c) for c in g.members)
            assert g.cost == int(costs[mask])
    masks = condition_masks(toyama, costs)
    allowed = np.logical_and.reduce(list(masks.values()))
    assert report.best.total == int(costs[best_partition(costs, max_size=6, allowed=allowed)].sum())
    for g in report.best.shared:
        mask = sum(1 << toyama.codes.index(c) for c in g.members)
        assert allowed[mask] and len(g.members) <= 6
    assert report.grand_excluded  # the whole prefecture is not one permitted group
    assert n == len(report.codes)


def test_report_tables_and_text(report):
    assert [t.key for t in report.views()] == ["candidates", "ranking", "groups", "alternatives"]
    tables = report.tables()  # keyed by the Japanese captions
    _header, rows = next(iter(tables.values()))
    assert len(rows) == 3 * 15 and len(report.view("candidates").rows) == 3 * 15
    text = report.to_text()
    assert "最良のグループ分け" in text and "選ばなかった理由" in text and "best grouping" not in text
    en = report.to_text("en")
    assert "best grouping" in en and "Why not chosen" in en
    assert "<table" in report._repr_html_()
    frame = report.to_dataframe()
    assert len(frame) == 45


def test_guarantee_and_core_columns(report):
    for g in report.best.shared:
        assert g.guarantee_feasible is not None
        assert (g.core_excess is not None) and (g.in_core == (g.core_excess <= 0))
        if g.core_excess > 0:
            assert g.blocking


def test_max_size_and_require_guarantee(toyama):
    r2 = recommend(toyama, max_size=2, top=1)
    assert all(len(g.members) <= 2 for g in r2.best.groups)
    strict = attrs.evolve(toyama, pool=attrs.evolve(
        toyama.pool, constraints=attrs.evolve(toyama.pool.constraints, require_guarantee=True)))
    r3 = recommend(strict, top=1)
    assert all(g.guarantee_feasible is not False for g in r3.best.groups)
    assert r3.best.total >= recommend(toyama, top=1).best.total


def test_recommend_bad_arguments(toyama):
    with pytest.raises(SelectionError, match="top"):
        recommend(toyama, top=0)
    with pytest.raises(SelectionError, match="max_size"):
        recommend(toyama, max_size=0)


@settings(deadline=None, max_examples=25)
@given(pool=jst.candidate_pools(max_candidates=6))
def test_recommend_on_any_pool(pool):
    model = ScaleEconomyModel(fixed=1e8, per_unit=2000.0, exponent=0.9)
    problem = SelectionProblem(pool=pool, cost_model=model)
    r = recommend(problem, top=2)
    assert r.best.total <= r.alone_total
    for gr in r.groupings:
        assert sorted(c for g in gr.groups for c in g.members) == sorted(pool.codes)
        assert all(sum(g.shares) == g.cost for g in gr.groups)
        if pool.constraints.max_size is not None:
            assert all(len(g.members) <= pool.constraints.max_size for g in gr.groups)


# -- records -----------------------------------------------------------------------------------
def test_candidate_validation():
    with pytest.raises(ValidationError, match="population"):
        Candidate(code="A", name="x", population=0)
    with pytest.raises(ValidationError, match="location"):
        Candidate(code="A", name="x", population=1, location=(100.0, 0.0))
    with pytest.raises(ValidationError, match="check digit"):
        Candidate(code="162018", name="x", population=1)
    with pytest.raises(UnknownMemberError, match="neighbours"):
        CandidatePool(name="p", candidates=[Candidate(code="A", name="a", population=1, neighbours=["B"])])
    with pytest.raises(ValidationError, match="code"):
        CandidatePool(name="p", candidates=[Candidate(code="A", name="a", population=1)] * 2)
    with pytest.raises(ValidationError, match="contiguous"):
        SelectionConstraints(contiguous="yes")


def test_unknown_current_cost_needs_a_curve():
    from jichitai_cloud.games import GroupQuote, QuoteTable

    pool = CandidatePool(name="p", candidates=[Candidate(code="A", name="a", population=1)])
    problem = SelectionProblem(pool=pool, cost_model=QuoteTable(quotes=[GroupQuote(members="A", cost=1)]))
    with pytest.raises(SelectionError, match="no current cost"):
        problem.members()


# -- files -------------------------------------------------------------------------------------
def _write(tmp_path, text):
    p = tmp_path / "sel.toml"
    p.write_text(text, encoding="utf-8")
    return p


_GOOD = """
name = "test"
[cost_model]
model = "scale_economies"
fixed = 100
per_unit = 1.0
exponent = 1.0
[[candidates]]
code = "A"
name = "甲町"
population = 10
current_cost = 150
neighbours = ["乙村"]
[[candidates]]
code = "B"
name = "乙村"
population = 20
current_cost = 150
"""


def test_load_selection_roundtrip(tmp_path):
    problem = io.load_selection(_write(tmp_path, _GOOD))
    assert problem.pool.candidate("A").neighbours == ("B",)
    r = recommend(problem, top=1)
    assert r.best.total == 130  # together: 100 + 30 < 300


@pytest.mark.parametrize(("edit", "where"), [
    (lambda t: t.replace('neighbours = ["乙村"]', 'neighbours = ["丙村"]'), "candidates[0].neighbours"),
    (lambda t: t.replace('name = "test"', 'name = "test"\ncolour = 1'), "colour"),
    (lambda t: t.replace("population = 10\n", "population = -1\n"), "population"),
    (lambda t: t.replace('model = "scale_economies"', 'model = "scale_economies"\nfit = "quotes"'), "cost_model.fit"),
    (lambda t: t.replace('name = "test"', 'name = "test"\npopulations = "missing.csv"'), "populations"),
])
def test_load_selection_errors(tmp_path, edit, where):
    with pytest.raises(InputError) as info:
        io.load_selection(_write(tmp_path, edit(_GOOD)))
    assert where in str(info.value)


def test_populations_csv(tmp_path):
    (tmp_path / "pop.csv").write_text("code,population_x\n16201,5\n", encoding="utf-8")
    text = ('name = "t"\npopulations = "pop.csv"\n[cost_model]\nmodel = "scale_economies"\nfixed = 1\n'
            'per_unit = 1.0\nexponent = 1.0\n[[candidates]]\ncode = "162019"\nname = "富山市"\ncurrent_cost = 9\n'
            '[[candidates]]\ncode = "162027"\nname = "高岡市"\ncurrent_cost = 9\n')
    with pytest.raises(InputError, match=r"candidates\[1\].population"):
        io.load_selection(_write(tmp_path, text))
    (tmp_path / "pop.csv").write_text("code,population_x\n16201,5\n162027,7\n", encoding="utf-8")
    problem = io.load_selection(_write(tmp_path, text))
    assert [c.population for c in problem.pool.candidates] == [5, 7]


# -- CLI ---------------------------------------------------------------------------------------
def test_cli_select(capsys):
    assert main(["select", "--example", "toyama", "--top", "1"]) == 0
    assert "最良のグループ分け" in capsys.readouterr().out
    assert main(["select", "--example", "toyama", "--top", "1", "--format", "json", "--max-size", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["conditions"].startswith("1グループ3団体まで")
    assert main(["select", "--example", "toyama", "--top", "1", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("rank,group,code")


@pytest.mark.parametrize("argv", [["select"], ["select", "nope.toml"], ["select", "--example", "nope"]])
def test_cli_select_bad_input(capsys, argv):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err


@pytest.mark.parametrize("argv", [["select", "--example", "toyama", "--max-size", "0"],
                                  ["select", "--example", "toyama", "--top", "1000000"]])
def test_cli_select_bad_arguments_are_usage_errors(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_errors_are_package_errors():
    assert issubclass(SelectionError, JichitaiCloudError) and issubclass(SelectionError, ValueError)


@pytest.mark.parametrize("entry", ["/etc/hostname", "../outside.csv", "missing.csv"])
def test_a_populations_file_stays_in_the_selection_files_folder(tmp_path, entry):
    from jichitai_cloud import examples, io
    from jichitai_cloud.errors import InputError

    text = examples.data_path("toyama_selection.toml").read_text(encoding="utf-8")
    folder = tmp_path / "council"
    folder.mkdir()
    (tmp_path / "outside.csv").write_text("code,population\n16201,1\n", encoding="utf-8")
    bad = folder / "selection.toml"
    bad.write_text(re.sub(r'(?m)^populations = ".*"$', f'populations = "{entry}"', text), encoding="utf-8")
    with pytest.raises(InputError, match="populations") as exc:
        io.load_selection(bad)
    assert "16201,1" not in str(exc.value)
