"""The migration plan: the Toyama schedules, apply/allocate, checks, grid, join/leave, files and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given

import jichitai_cloud as jc
from jichitai_cloud import InfeasibleAllocation, Month, examples, io
from jichitai_cloud.cli import main
from jichitai_cloud.errors import InputError, ValidationError
from jichitai_cloud.model import MigrationSchedule, MigrationTerms
from jichitai_cloud.schedule import plan_migration, quarter_of, schedule_change
from jichitai_cloud.testing.strategies import migration_schedules


def test_toyama_tables_carry_the_documents_dates() -> None:
    core = examples.toyama_schedule()
    assert [(m.code, m.current_system_end.era_short(), m.planned_start.era_short()) for m in core.members] == [
        ("C", "H27.03", "H27.04"), ("E", "H27.03", "H27.04"), ("F", "H27.03", "H27.04"),
        ("A", "H27.06", "H27.07"), ("B", "H27.06", "H27.07"), ("D", "H27.06", "H27.07")]
    upd = examples.toyama_schedule("update")
    starts = {m.code: m.planned_start.era_short("H") for m in upd.members}
    assert starts == {"C": "H27.04", "E": "H27.04", "F": "H27.04", "A": "H27.04", "G": "H27.04", "B": "H27.07",
                      "D": "H27.07", "H": "H28.04", "I": "H28.09", "J": "H29.11", "K": "H30.07", "L": "H30.12",
                      "M": "H32.03"}
    assert all(m.current_system_end == m.planned_start - 1 for m in upd.members)
    assert "例示" in core.notes
    assert any("番号法成立" in ms.name for ms in core.milestones)


def test_planned_plan_and_its_checks() -> None:
    plan = plan_migration(examples.toyama_schedule("update"), starts="planned")
    assert plan.basis == "planned"
    assert plan.total == sum(plan.current) + sum(plan.extension) + sum(plan.penalty) + sum(plan.cloud)
    found = [f.message_en for f in plan.findings()]
    assert any("5 cutovers in H27.04 (C, E, F, A, G), more than the capacity of 3 a month" in m for m in found)
    assert any("busy season" in m for m in found)
    # the council reads Japanese first
    ja = [f.message for f in plan.findings()]
    assert any("H27.04 の切替は 5団体 (C、E、F、A、G) で、上限 (1か月あたり 3団体) を超えています" in m for m in ja)
    assert any("繁忙期" in m for m in ja)


def test_optimised_plan_respects_capacity_and_costs_more_than_own_choices() -> None:
    sch = examples.toyama_schedule()
    free = plan_migration(sch, capacity=6)
    tight = plan_migration(sch, capacity=2)
    assert free.total == free.own_total
    assert tight.total > tight.own_total == free.own_total
    assert max(list(tight.starts).count(s) for s in tight.starts) <= 2
    assert not [f for f in tight.findings() if f.where == "capacity"]
    blocked = plan_migration(sch, capacity=2, blackout=["H27.05", "H27.06"])
    assert not {"H27.05", "H27.06"} & {s.era_short() for s in blocked.starts}


def test_infeasible_plan_says_why() -> None:
    sch = examples.toyama_schedule()
    with pytest.raises(InfeasibleAllocation, match="6 members, 4 cutover slots"):
        plan_migration(sch, capacity=1, per="quarter")


def test_apply_sets_starts_for_allocate() -> None:
    council = examples.toyama()
    plan = plan_migration(examples.toyama_schedule(), capacity=2)
    applied = plan.apply(council)
    for code in plan.codes:
        assert applied.member(code).cloud_start == plan.start(code)
        assert applied.member(code).penalty == plan.penalty[plan.codes.index(code)]
    alloc = jc.allocate(applied, 1_390_000_000, jc.AllocationRule(ratios="3:7"))
    assert sum(alloc.shares) == 1_390_000_000
    months = {m.code: m.months_on_cloud for m in alloc.members}
    # the bundled council bills each member its own five years from its own start (fee_period="member")
    assert months == dict.fromkeys(plan.codes, council.period_months)
    council_period = attrs.evolve(applied, fee_period="council")
    alloc = jc.allocate(council_period, 1_390_000_000, jc.AllocationRule(ratios="3:7"))
    months = {m.code: m.months_on_cloud for m in alloc.members}
    assert months == {c: council.period_end - plan.start(c) + 1 for c in plan.codes}
    other = plan_migration(examples.toyama_schedule("update"), starts="planned")
    with pytest.raises(jc.UnknownMemberError, match="does not have"):
        other.apply(council)


def test_given_starts_and_gap_check() -> None:
    sch = examples.toyama_schedule()
    terms = [jc.model.MigrationTerms(**{**_fields(m), "can_extend": False}) if m.code == "C" else m
             for m in sch.members]
    sch2 = MigrationSchedule(**{**_fields(sch), "members": tuple(terms)})
    plan = plan_migration(sch2, starts={"C": "H27.08", "A": Month(2015, 5)})
    messages = [f.line("en") for f in plan.findings()]
    assert any("C): 4 month(s) with no system" in m for m in messages)
    assert any("(C): システムのない期間が 4か月あります" in str(f) for f in plan.findings())
    assert plan.start("A") == Month(2015, 5)
    assert plan.penalty[plan.codes.index("A")] > 0
    with pytest.raises(jc.UnknownMemberError):
        plan_migration(sch, starts={"Z": "H27.04"})
    with pytest.raises(jc.ParseError):
        plan_migration(sch, starts={"A": "H27.13"})


def _fields(obj):
    import attrs

    return {a.name: getattr(obj, a.name) for a in attrs.fields(type(obj))}


@given(migration_schedules())
def test_plan_properties(sch) -> None:
    try:
        plan = plan_migration(sch)
    except InfeasibleAllocation:
        assume(False)
        raise
    assert plan.total >= plan.own_total
    assert plan.total == sum(plan.costs)
    assert all(c == a + b + p + d for c, a, b, p, d in
               zip(plan.costs, plan.current, plan.extension, plan.penalty, plan.cloud, strict=True))
    assert not [f for f in plan.findings() if f.where == "capacity" or "blackout" in f.message_en]
    if sch.capacity is None:
        assert plan.total == plan.own_total


@given(migration_schedules())
def test_calendar_round_trip(sch) -> None:
    for m in (sch.horizon_start, sch.horizon_end, *(t.current_system_end for t in sch.members)):
        assert Month.from_index(m.index) == m
        assert Month.parse(m.era_short()) == m
        assert Month.parse(m.wareki()) == m
        assert Month.parse(m.iso()) == m


def test_quarter_grid_text_and_html() -> None:
    plan = plan_migration(examples.toyama_schedule(), starts="planned")
    grid = plan.quarter_grid(first="H25.04", last="H31.03")
    assert grid.headings[0] == "H25年度1Q" and grid.headings[-1] == "H30年度4Q" and len(grid.headings) == 24
    assert grid.fiscal_years[0] == "平成25年度 (2013年度)"
    assert grid.state("C", "H26.10") == "現行"
    assert grid.state("C", "H27.01") == "移行"
    assert grid.state("C", "H27.04") == "クラウド"
    assert grid.state("A", "H27.05") == "移行"
    assert grid.state("A", "H27.07") == "クラウド"
    text = grid.to_text()
    assert "現行稼働満了想定" in text and "H27.07 (H27.01)" in text
    assert "<table" in grid._repr_html_()
    assert quarter_of(Month(2016, 2)) == "H27年度 4Q"


def test_schedule_change_join_and_leave() -> None:
    council = examples.toyama()
    plan = plan_migration(examples.toyama_schedule(), starts="planned")
    newcomer = jc.Municipality(code="G", name="団体G", population=10_000, current_cost=100_000_000,
                               cloud_start="H28.04")
    change = schedule_change(plan, council, 1_390_000_000, joining=[newcomer], leaving={"F": "H30.04"})
    header, rows = change.table()
    by = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    own_months = council.period_months if council.fee_period == "member" else council.period_end - Month(2016, 4) + 1
    assert by["G"]["months_before"] == 0 and by["G"]["months_after"] == own_months
    assert by["F"]["leaves"] == Month(2018, 4) and by["F"]["months_after"] < by["F"]["months_before"]
    assert sum(r["share_after"] for r in by.values()) == 1_390_000_000
    assert "団体Gが新規参加" in change.to_text() and "団体G joins" in change.to_text("en")


def test_records_reject_bad_input_with_field_names() -> None:
    with pytest.raises(ValidationError, match="current_monthly"):
        MigrationTerms(code="A", current_system_end="H27.03", current_monthly=-1, cloud_monthly=1)
    with pytest.raises(ValidationError, match="latest"):
        MigrationTerms(code="A", current_system_end="H27.03", current_monthly=1, cloud_monthly=1,
                       earliest="H28.01", latest="H27.01")
    with pytest.raises(ValidationError, match="busy_months"):
        MigrationSchedule(name="x", horizon_start="H27.04", horizon_end="H28.03", busy_months=[13],
                          members=[MigrationTerms(code="A", current_system_end="H27.03", current_monthly=1,
                                                  cloud_monthly=1)])


def test_load_schedule_reports_every_problem(tmp_path: Path) -> None:
    f = tmp_path / "schedule.toml"
    f.write_text('name = "x"\nhorizon_start = "H27.04"\nhorizon_end = "H28.03"\ncapacity = 0\n'
                 '[[members]]\ncode = "A"\ncurrent_system_end = "H27.03"\ncurrent_monthly = -5\n'
                 'cloud_monthly = 1.5\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        io.load_schedule(f)
    text = str(err.value)
    assert "schedule.toml" in text and "capacity" in text
    assert "members[0].current_monthly" in text and "members[0].cloud_monthly" in text
    good = tmp_path / "ok.toml"
    good.write_text('name = "x"\nhorizon_start = "H27.04"\nhorizon_end = "H28.03"\n'
                    '[[members]]\ncode = "A"\ncurrent_system_end = "H27.06"\ncurrent_monthly = 10\n'
                    'cloud_monthly = 5\npenalty_monthly = 20\n', encoding="utf-8")
    sch = io.load_schedule(good)
    assert plan_migration(sch).start("A") == Month(2015, 7)
    with pytest.raises(InputError, match="no schedule 'nope'"):
        io.load_schedule(examples.data_path("toyama_schedule.toml"), name="nope")


def test_round_trip_through_the_converter() -> None:
    sch = examples.toyama_schedule()
    assert io.structure(io.unstructure(sch), MigrationSchedule) == sch


def test_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["schedule", "--example", "toyama", "--capacity", "2", "--blackout", "H27.05,H27.06"]) == 0
    out = capsys.readouterr().out
    assert "移行計画 (最適化)" in out and "クラウド" in out
    assert main(["schedule", "--example", "toyama", "--format", "json", "--planned", "--table", "update"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["members"]) == 13 and data["basis"] == "planned" and data["checks"]
    assert main(["schedule", "--example", "toyama", "--format", "csv", "--per", "quarter", "--capacity", "2"]) == 0
    assert capsys.readouterr().out.startswith("code,name,")
    assert main(["schedule", "--example", "toyama", "--capacity", "1", "--per", "quarter"]) == 1
    assert "6 members, 4 cutover slots" in capsys.readouterr().err
    assert main(["schedule", "--example", "toyama", "--blackout", "H27.13"]) == 1
    assert "Traceback" not in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n', encoding="utf-8")
    assert main(["schedule", str(bad)]) == 1
    assert "horizon_start" in capsys.readouterr().err


def test_gantt_chart() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from jichitai_cloud.report.plots import plot_schedule

    plan = plan_migration(examples.toyama_schedule("update"), starts="planned", blackout=["H28.03"])
    ax = plot_schedule(plan)
    first = plan.schedule.members[0]
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == (first.name or first.code)  # names, not codes
    assert ax.get_title() == plan.schedule.name  # Japanese by default
    assert plot_schedule(plan, lang="en").get_title() == "Migration schedule"
    with pytest.raises(ValidationError, match="lang"):
        plot_schedule(plan, lang="fr")
