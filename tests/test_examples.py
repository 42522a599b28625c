"""The bundled Toyama example holds the source document's figures."""

from __future__ import annotations

import warnings

import pytest

from jichitai_cloud import Month, examples, io

OKU = 100_000_000  # 億円


@pytest.fixture(scope="module")
def council():  # type: ignore[no-untyped-def]
    return examples.toyama()


def test_members_and_effect_table(council) -> None:  # type: ignore[no-untyped-def]
    assert council.codes == ("A", "B", "C", "D", "E", "F")
    current = [m.current_cost for m in council.members]
    assert current == [int(x * 10) * OKU // 10 for x in (9.2, 4.0, 2.5, 2.4, 2.4, 1.1)]
    assert sum(current) == 2_160_000_000
    pub = council.published
    fees = [pub.cloud_fees[c] for c in council.codes]
    assert fees == [570_000_000, 250_000_000, 180_000_000, 170_000_000, 140_000_000, 80_000_000]
    assert sum(fees) == pub.total_cloud_fee == 1_390_000_000
    assert pub.total_current_cost == sum(current)
    # the published reduction rates follow from the published (rounded) figures
    rates = [round(1 - f / c, 2) for f, c in zip(fees, current, strict=True)]
    assert rates == [pub.reduction_rates[c] for c in council.codes] == [0.38, 0.38, 0.28, 0.29, 0.42, 0.27]
    assert round(1 - sum(fees) / sum(current), 2) == pub.total_reduction_rate == 0.36


def test_population_is_illustrative_but_consistent(council) -> None:  # type: ignore[no-untyped-def]
    pops = [m.population for m in council.members]
    assert sum(pops) == 194_000
    assert min(pops) == 3_000 and max(pops) == 95_000


def test_cloud_start_months(council) -> None:  # type: ignore[no-untyped-def]
    start = {m.code: m.cloud_start for m in council.members}
    assert {c for c, s in start.items() if s == Month(2015, 4)} == {"C", "E", "F"}
    assert {c for c, s in start.items() if s == Month(2015, 7)} == {"A", "B", "D"}
    assert all(m.current_system_end == m.cloud_start - 1 for m in council.members)
    assert council.period_start == Month(2015, 4) and council.period_months == 60


def test_subcommittees_and_the_194_mismatch(council) -> None:  # type: ignore[no-untyped-def]
    assert len(council.subcommittees) == 19
    counts = {s.name_ja: s.meetings_held for s in council.subcommittees}
    assert counts["収滞納管理"] == 27 and counts["インフラ"] == 2 and counts["住基情報"] == 16
    assert sum(counts.values()) == 192
    assert council.published.declared_meetings == 194
    (finding,) = council.findings()
    assert "add up to 192 but the published total is 194" in finding.message


def test_outcomes_and_scheme(council) -> None:  # type: ignore[no-untyped-def]
    out = council.published.customization_outcomes
    assert dict(out) == {"requested": 31, "implemented": 17, "made_standard": 3, "withdrawn": 11}
    assert out["implemented"] + out["made_standard"] + out["withdrawn"] == out["requested"]
    ev = council.evaluation
    assert (ev.total_points, ev.price_points, ev.technical_points) == (3000, 1000, 2000)
    assert ev.component("proposal").judges == 6 and ev.component("proposal").round == 1
    assert ev.component("demonstration").judges == 116 and ev.component("demonstration").round == 2


def test_example_goes_through_io_and_round_trips(council) -> None:  # type: ignore[no-untyped-def]
    path = examples.data_path("toyama.toml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert io.load(path) == council
    assert io.loads(io.dumps(council), type(council)) == council


def test_unknown_example() -> None:
    with pytest.raises(Exception, match="no bundled example 'osaka'"):
        examples.load("osaka")
