from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jichitai_cloud import ParseError, ValidationError
from jichitai_cloud.calendar import Month, month_range
from jichitai_cloud.testing import strategies as jst


@pytest.mark.parametrize(
    ("text", "year", "month"),
    [
        ("H27.04", 2015, 4),
        ("H27.4", 2015, 4),
        ("h27.04", 2015, 4),
        ("平成27年4月", 2015, 4),
        ("R7.10", 2025, 10),
        ("令和元年5月", 2019, 5),
        ("令和1年5月", 2019, 5),
        ("R1.05", 2019, 5),
        ("2015-04", 2015, 4),
        ("2015/4", 2015, 4),
        ("2015年4月", 2015, 4),
        ("２０１５年４月", 2015, 4),
        ("Ｈ２７．０４", 2015, 4),
        ("H32.03", 2020, 3),  # the source document plans member M for H32.03, written before Reiwa
        ("H1.01", 1989, 1),  # Heisei began on 8 January 1989
        ("S64.01", 1989, 1),
        ("平成元年1月", 1989, 1),
        (" H27.07 ", 2015, 7),
    ],
)
def test_parse_notations(text: str, year: int, month: int) -> None:
    assert Month.parse(text) == Month(year, month)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("R1.04", "before the 令和"),
        ("令和元年4月", "before the 令和"),
        ("H1.00", "month must be 1-12"),
        ("H27.13", "month must be 1-12"),
        ("2015-13", "month must be 1-12"),
        ("S1.11", "before the 昭和"),
        ("Q27.04", "cannot read"),
        ("", "cannot read"),
        ("H0.04", "era year"),
        ("2015", "cannot read"),
        ("April 2015", "cannot read"),
    ],
)
def test_parse_rejects(text: str, fragment: str) -> None:
    with pytest.raises(ParseError, match=fragment):
        Month.parse(text)


def test_parse_rejects_non_text() -> None:
    with pytest.raises(ParseError, match="must be given as text"):
        Month.parse(201504)  # type: ignore[arg-type]


def test_constructor_validates() -> None:
    with pytest.raises(ValidationError, match="month must be between 1 and 12, got 0"):
        Month(2015, 0)
    with pytest.raises(ValidationError, match="year must be an integer"):
        Month(2015.0, 4)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("month", "fy", "q"),
    [
        (Month(2015, 4), 2015, 1),
        (Month(2015, 6), 2015, 1),
        (Month(2015, 7), 2015, 2),
        (Month(2015, 10), 2015, 3),
        (Month(2015, 12), 2015, 3),
        (Month(2016, 1), 2015, 4),
        (Month(2016, 3), 2015, 4),
        (Month(2016, 4), 2016, 1),
    ],
)
def test_fiscal_year_and_quarter(month: Month, fy: int, q: int) -> None:
    assert (month.fiscal_year, month.fiscal_quarter) == (fy, q)


@given(jst.months())
def test_fiscal_year_contains_twelve_months_april_to_march(m: Month) -> None:
    start = Month(m.fiscal_year, 4)
    assert 0 <= m - start < 12
    assert m.fiscal_quarter == (m - start) // 3 + 1


@given(jst.months(1995, 2090), st.integers(-1000, 1000))
def test_arithmetic_round_trip(m: Month, k: int) -> None:
    assert (m + k) - k == m
    assert (m + k) - m == k
    assert m.months_until(m + k) == k
    assert Month.from_index(m.index) == m
    assert (m + k > m) == (k > 0)


@given(jst.months(1990, 2100))
def test_formats_parse_back(m: Month) -> None:
    assert Month.parse(m.iso()) == m
    assert Month.parse(m.era_short()) == m
    assert Month.parse(m.wareki()) == m
    assert Month.parse(str(m)) == m


def test_formatting() -> None:
    assert Month(2015, 4).era_short() == "H27.04"
    assert Month(2019, 5).wareki() == "令和元年5月"
    assert Month(2019, 4).wareki() == "平成31年4月"
    assert Month(2020, 3).era_short("H") == "H32.03"
    assert Month(2020, 3).era_short() == "R2.03"
    assert Month(2016, 2).days() == 29
    assert list(month_range(Month(2015, 11), 3)) == [Month(2015, 11), Month(2015, 12), Month(2016, 1)]


def test_ordering_and_hashing() -> None:
    assert Month(2015, 4) < Month(2015, 7) < Month(2016, 1)
    assert len({Month(2015, 4), Month.parse("H27.04")}) == 1
