"""The declared table: validation of columns and values, exact showing, shown parts adding up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jichitai_cloud._display import (
    Column,
    DataTable,
    col,
    cols,
    display_width,
    member_column,
    render_html,
    render_markdown,
    render_text,
    round_half_up,
    shown_number,
    shown_rows,
    shown_text,
)
from jichitai_cloud.calendar import Month
from jichitai_cloud.errors import ValidationError


def _table(rows: list[list[object]], **kw: object) -> DataTable:
    return DataTable(key="t", title="表", title_en="Table", columns=cols("code", "name", "share", "reduction_rate"),
                     rows=rows, **kw)  # type: ignore[arg-type]


def test_values_are_checked_against_their_kind() -> None:
    with pytest.raises(ValidationError, match=r"row 1, column 'share' \(yen\): got float 1.5"):
        _table([["A", "射水市", 1.5, Fraction(1, 3)]])
    with pytest.raises(ValidationError, match="2 values for 4 columns"):
        _table([["A", "射水市"]])
    with pytest.raises(ValidationError, match="kind must be one of"):
        Column("x", "x", "x", "money")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="sheet must be 1-31 characters"):
        _table([], sheet="費用按分/明細")
    with pytest.raises(ValidationError, match="column keys repeat"):
        DataTable(key="t", title="t", title_en="t", columns=cols("code", "code"), rows=())


def test_rates_show_exactly_rounded_half_up() -> None:
    rate = col("reduction_rate")
    assert shown_text(Fraction(3, 10), rate) == "30.0%"
    assert shown_text(0.30000000000000004, rate) == "30.0%"
    assert shown_text(Fraction(1, 2000), rate) == "0.1%"  # 0.05 % rounds half up
    assert shown_number(Fraction(-1, 2000), rate) == Decimal("-0.1")
    assert round_half_up(Fraction(5, 2), 0) == 3 and round_half_up(Fraction(-5, 2), 0) == -3


def test_kinds_render_for_a_reader() -> None:
    assert shown_text(1_390_000_000, col("share")) == "1,390,000,000"
    assert shown_text(575_076_985, col("oku")) == "5.8"
    assert shown_text(True, col("cap_bound")) == "○" and shown_text(False, col("cap_bound"), "en") == "no"
    assert shown_text(Month(2025, 4), col("cloud_start")) == "R7.04"
    assert shown_text(Month(2025, 4), col("cloud_start"), "en") == "2025-04"
    assert col("share").heading() == "負担額 (share)" and col("share").heading("en") == "Share"
    assert col("oku").heading() == "金額 (億円)"
    assert member_column("162116", "射水市").heading() == "射水市"
    assert display_width("射水市 A") == 8


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=12))
def test_shown_oku_yen_parts_add_up_to_the_shown_total(yen: list[int]) -> None:
    table = DataTable(key="t", title="t", title_en="t", columns=(col("code"), col("oku")),
                      rows=[[f"{i:06d}", y] for i, y in enumerate(yen)], totals=True)
    rows, total = shown_rows(table)
    assert total is not None
    assert sum(r[1] for r in rows) == total[1] == shown_number(sum(yen), col("oku"))
    for r, y in zip(rows, yen, strict=True):  # every part is its value rounded down or up
        assert abs(r[1] - Decimal(y) / 10**8) < Decimal("0.1")


@given(st.lists(st.tuples(st.fractions(min_value=0, max_value=1000, max_denominator=997),
                          st.fractions(min_value=0, max_value=3000, max_denominator=991)), min_size=1, max_size=8))
def test_row_sums_show_parts_that_add_up(parts: list[tuple[Fraction, Fraction]]) -> None:
    price = Column("price", "価格点", "Price", "points", decimals=1)
    tech = Column("technical", "技術点", "Technical", "points", decimals=1)
    total = Column("total", "総合評価点", "Total", "points", decimals=1)
    table = DataTable(key="t", title="t", title_en="t", columns=(price, tech, total),
                      rows=[[p, t, p + t] for p, t in parts], sums={"total": ("price", "technical")})
    rows, _ = shown_rows(table)
    for r in rows:
        assert r[0] + r[1] == r[2]
    assert any("最大剰余法" in n for n in table.note_lines("ja"))


def test_renderers_show_the_declaration() -> None:
    table = _table([["162116", "射水市", 575_076_985, Fraction(375, 1000)],
                    ["163422", "舟橋村", 77_000_000, Fraction(3, 10)]], totals=True, notes=("試算です。",))
    text = render_text(table)
    assert "負担額 (share)" in text and "652,076,985" in text and "合計" in text and "※ 試算です。" in text
    assert "37.5%" in text and "30.0%" in text
    html = render_html(table)
    assert '<td class="num">575,076,985</td>' in html and '<td class="name">射水市</td>' in html
    assert "<tfoot>" in html
    md = render_markdown(table, "en")
    assert "| Code | Municipality | Share | Reduction rate |" in md and "**Total**" in md


def test_one_table_shows_itself_like_the_renderers() -> None:
    from jichitai_cloud._display import OneTable

    table = _table([["162116", "射水市", 575_076_985, Fraction(375, 1000)]], totals=True, notes=("試算です。",))
    one = OneTable(table)
    assert one.to_text() == render_text(table) and one.to_text("en") == render_text(table, "en")
    assert one._repr_html_() == render_html(table) and one.view() is table


def test_dataframe_types() -> None:
    pd = pytest.importorskip("pandas")
    from jichitai_cloud._display import render_frame

    table = DataTable(key="t", title="t", title_en="t",
                      columns=cols("code", "name", "share", "cap_bound", "cloud_start", "reduction_rate"),
                      rows=[["A", "射水市", 10, True, Month(2025, 4), Fraction(1, 3)],
                            ["B", "滑川市", 20, False, Month(2028, 10), Fraction(1, 2)]], index="code")
    frame = render_frame(table)
    assert str(frame["share"].dtype) == "int64" and str(frame["cap_bound"].dtype) == "bool"
    assert isinstance(frame["cloud_start"].dtype, pd.PeriodDtype)
    assert frame["reduction_rate"].dtype == float and list(frame.index) == ["A", "B"]


def test_a_result_that_declares_no_table_says_so() -> None:
    import attrs

    from jichitai_cloud._display import TableView

    @attrs.frozen(slots=True)
    class Bare(TableView):
        n: int = 1

    with pytest.raises(NotImplementedError, match="Bare declares no table"):
        Bare().views()
    with pytest.raises(NotImplementedError, match="_COLUMNS"):
        Bare().to_text()
