"""A council from the secretariat's own member list: CSV (UTF-8, BOM, CP932) and Excel, in every subcommand."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import jichitai_cloud as jc
from jichitai_cloud import io
from jichitai_cloud.cli import main
from jichitai_cloud.testing import strategies as js

openpyxl = pytest.importorskip("openpyxl")

_JA_HEADER = "団体コード,市町村名,人口,現行経費,現行稼働満了想定,クラウド開始"


def _japanese_csv(council: jc.Consortium) -> str:
    lines = [_JA_HEADER]
    for m in council.members:
        end = m.current_system_end.era_short() if m.current_system_end else ""
        start = m.cloud_start.era_short() if m.cloud_start else ""
        lines.append(f'{m.code},{m.name},{m.population},"{m.current_cost:,}",{end},{start}')
    return "\r\n".join(lines) + "\r\n"


@pytest.fixture
def toyama() -> jc.Consortium:
    return jc.examples.toyama()


@pytest.mark.parametrize("encoding", ["cp932", "utf-8", "utf-8-sig"])
def test_japanese_csv_feeds_allocate_and_members(tmp_path: Path, toyama: jc.Consortium, encoding: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes(_japanese_csv(toyama).encode(encoding))
    council = io.load_council(path)
    assert [(m.code, m.population, m.current_cost, m.cloud_start) for m in council.members] == [
        (m.code, m.population, m.current_cost, m.cloud_start) for m in toyama.members]
    assert council.name == "members" and council.period_start == jc.calendar.Month(2015, 4)
    assert council.period_months == 60
    # the two failures of issue 12: allocate and members with this file
    assert main(["allocate", str(path), "--total", "1390000000", "--ratio", "3:7", "--min-reduction", "0.3"]) == 0
    out = capsys.readouterr()
    assert "1,390,000,000" in out.out and "Traceback" not in out.err
    assert main(["members", str(path)]) == 0
    assert toyama.members[0].name in capsys.readouterr().out
    expected = jc.allocate(council, 1_390_000_000, jc.AllocationRule(ratios="3:7", min_reduction=0.3))
    assert main(["allocate", str(path), "--total", "1390000000", "--ratio", "3:7", "--min-reduction", "0.3",
                 "--format", "csv"]) == 0
    shares = [int(line.split(",")[7]) for line in capsys.readouterr().out.splitlines()[1:]]
    assert shares == list(expected.shares)


def test_bilingual_headings_and_settings(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("団体コード (code),name,人口 (population),current_cost\nA,a,10,100\nB,b,20,200\n", encoding="utf-8")
    council = io.load_council(path, name="協議会", period_start="H27.04", period_months=48)
    assert council.codes == ("A", "B") and council.name == "協議会" and council.period_months == 48


def test_member_list_errors_are_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.csv"
    path.write_text("code,name,population,current_cost\nA,a,10,100\n", encoding="utf-8")
    with pytest.raises(jc.errors.InputError, match="no evaluation period start"):
        io.load_council(path)
    assert main(["validate", str(path)]) == 0
    assert "no evaluation period start" in capsys.readouterr().out
    path.write_text("code,name,population,current_cost,cloud_start\nA,a,10,100,H27.04\nA,b,-1,100,\n",
                    encoding="utf-8")
    with pytest.raises(jc.errors.InputError) as exc:
        io.load_council(path)
    assert "row 3, column 'population'" in str(exc.value)
    assert main(["allocate", str(path), "--total", "100"]) == 1
    err = capsys.readouterr().err
    assert "row 3" in err and "Traceback" not in err
    with pytest.raises(jc.errors.InputError, match="unknown file type"):
        io.load_council(tmp_path / "m.txt")


def _fill(path: Path, council: jc.Consortium) -> None:
    """Fill the template as a secretariat would, through openpyxl (numbers as numbers)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[io._xlsx.MEMBERS_SHEET]
    headings = [c.value for c in ws[1]]
    for i, m in enumerate(council.members, start=2):
        values = {"団体コード (code)": m.code, "市町村名 (name)": m.name, "人口 (population)": m.population,
                  "現行経費 (current_cost)": m.current_cost, "違約金 (penalty)": m.penalty,
                  "現行稼働満了想定 (current_system_end)": m.current_system_end.era_short(),
                  "クラウド開始 (cloud_start)": m.cloud_start.era_short()}
        for j, h in enumerate(headings, start=1):
            ws.cell(row=i, column=j, value=values[h])
    wc = wb[io._xlsx.COUNCIL_SHEET]
    wc["B2"], wc["B3"], wc["B4"], wc["B5"] = council.name, "平成27年4月", 60, council.fee_period
    wb.save(path)


def test_template_fill_load_round_trip(tmp_path: Path, toyama: jc.Consortium,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "members.xlsx"
    assert main(["template", str(path)]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["参加団体 (members)", "協議会 (council)", "説明 (instructions)"]
    headings = [c.value for c in wb["参加団体 (members)"][1]]
    assert headings[:3] == ["団体コード (code)", "市町村名 (name)", "人口 (population)"]
    assert {"現行経費 (current_cost)", "現行稼働満了想定 (current_system_end)", "クラウド開始 (cloud_start)"} <= set(headings)
    instructions = " ".join(str(c.value) for row in wb["説明 (instructions)"].iter_rows() for c in row if c.value)
    assert "円 [yen]" in instructions and "0以上" in instructions
    assert not any(str(c.value).startswith("=") for ws in wb for row in ws.iter_rows() for c in row if c.value)
    # an existing file is refused without --force
    assert main(["template", str(path)]) == 1
    assert "exists" in capsys.readouterr().err
    _fill(path, toyama)
    council = io.load_council(path)
    assert council.members == toyama.members
    assert (council.name, council.period_start, council.period_months, council.fee_period) == (
        toyama.name, toyama.period_start, toyama.period_months, toyama.fee_period)
    assert main(["allocate", str(path), "--total", "1390000000", "--ratio", "3:7", "--min-reduction", "0.3"]) == 0
    assert "1,390,000,000" in capsys.readouterr().out


def test_a_template_of_a_council_keeps_its_fee_period(tmp_path: Path, toyama: jc.Consortium) -> None:
    path = tmp_path / "members.xlsx"
    io.write_member_template(path, council=toyama)
    council = io.load_council(path)
    assert council.fee_period == toyama.fee_period == "member"
    rule = jc.AllocationRule(ratios={"equal": 3, "population": 7}, min_reduction=0.30)
    assert jc.allocate(council, 1_390_000_000, rule).shares == jc.allocate(toyama, 1_390_000_000, rule).shares
    wb = openpyxl.load_workbook(path)
    wb[io._xlsx.COUNCIL_SHEET]["B5"] = "yearly"
    wb.save(path)
    with pytest.raises(jc.InputError, match="fee_period"):
        io.load_council(path)


def test_workbook_errors_name_sheet_row_and_column(tmp_path: Path, toyama: jc.Consortium) -> None:
    path = tmp_path / "members.xlsx"
    io.write_member_template(path, council=toyama)
    wb = openpyxl.load_workbook(path)
    ws = wb[io._xlsx.MEMBERS_SHEET]
    ws["C4"] = "many"  # population of the third member
    ws["D6"] = -5  # current cost of the fifth
    wb.save(path)
    with pytest.raises(jc.errors.InputError) as exc:
        io.load_council(path)
    text = str(exc.value)
    assert "[sheet '参加団体 (members)']" in text
    assert "row 4, column C '人口 (population)'" in text
    assert "row 6, column D '現行経費 (current_cost)'" in text
    (tmp_path / "bad.xlsx").write_text("not a workbook", encoding="utf-8")
    with pytest.raises(jc.errors.InputError, match="not an Excel workbook"):
        io.load_council(tmp_path / "bad.xlsx")


def test_formulas_are_never_evaluated(tmp_path: Path, toyama: jc.Consortium) -> None:
    path = tmp_path / "members.xlsx"
    io.write_member_template(path, council=toyama)
    wb = openpyxl.load_workbook(path)
    wb[io._xlsx.MEMBERS_SHEET]["C2"] = "=1+1"  # a formula openpyxl stores without a cached value
    wb.save(path)
    with pytest.raises(jc.errors.InputError, match="row 2, column C"):
        io.load_council(path)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(members=js.members(max_size=4))
def test_written_workbook_loads_back(tmp_path_factory: pytest.TempPathFactory,
                                     members: tuple[jc.Municipality, ...]) -> None:
    council = jc.Consortium(name="協議会", members=members, period_start="2015-04")
    path = tmp_path_factory.mktemp("wb") / "m.xlsx"
    io.write_member_template(path, council=council)
    back = io.load_council(path)
    # Excel keeps 15 significant digits of a float driver; everything else comes back exactly
    assert [attrs.evolve(m, drivers={}) for m in back.members] == [attrs.evolve(m, drivers={}) for m in members]
    for got, want in zip(back.members, members, strict=True):
        assert dict(got.drivers) == pytest.approx(dict(want.drivers), rel=1e-14)
    assert (back.name, back.period_start, back.period_months) == (council.name, council.period_start, 60)
