"""Renewal options files (io.load_renewal_options), the bundled example, and the plan's settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jichitai_cloud import AllocationRule, examples, io
from jichitai_cloud.errors import InputError, ValidationError
from jichitai_cloud.renewal import RenewalOption, RenewalPlan, ServiceLevel, compare_renewal
from jichitai_cloud.testing.strategies import renewal_options

GOOD = """\
horizon_months = 48
discount_rate = 0.02
start = "R8.04"

[[options]]
name = "継続"
monthly_fee = 20_000_000
yearly_change = 0.02
rule = { ratios = { equal = 3, population = 7 }, min_reduction = 0.3 }
service = { availability = 0.998, incidents_per_year = 3, source = "運用実績" }

[[options]]
name = "切替"
monthly_fee = { A = 5_000_000, B = 2_000_000, C = 1_500_000, D = 1_400_000, E = 1_300_000, F = 600_000 }
one_off = { A = 10_000_000, F = 1_000_000 }
council_one_off = 30_000_000
parallel_months = 2
rule = { ratios = { equal = 1, population = 1 } }

[uncertain."切替"]
monthly_fee = [0.9, 1.2]
"""


def write(tmp_path: Path, text: str, name: str = "options.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> dict[str, str]:
    with pytest.raises(InputError) as info:
        io.load_renewal_options(path)
    assert info.value.source == str(path)
    return {p.where: p.message for p in info.value.problems}


def test_a_file_gives_the_options_and_the_settings(tmp_path: Path) -> None:
    plan = io.load_renewal_options(write(tmp_path, GOOD))
    assert plan.names == ("継続", "切替")
    stay, move = plan.options
    assert stay.rule == AllocationRule(ratios={"equal": 3, "population": 7}, min_reduction=0.3)
    assert stay.service == ServiceLevel(availability=0.998, incidents_per_year=3, source="運用実績")
    assert move.per_member and move.monthly_fee["A"] == 5_000_000 and move.one_off["F"] == 1_000_000
    assert (plan.horizon_months, plan.discount_rate, plan.start.iso()) == (48, 0.02, "2026-04")
    assert dict(plan.uncertain["切替"]) == {"monthly_fee": (0.9, 1.2)}
    council = examples.toyama()
    c = plan.compare(council)
    assert c == compare_renewal(council, plan.options, horizon_months=48, discount_rate=0.02, start="R8.04")
    assert c.samples is None  # the uncertain ranges are drawn only with samples
    s = plan.compare(council, samples=200, seed=1, horizon_months=12)
    assert s.samples == 200 and s.horizon_months == 12 and abs(sum(s.probability_cheapest.values()) - 1) < 1e-12


def test_json_reads_the_same(tmp_path: Path) -> None:
    plan = io.load_renewal_options(write(tmp_path, GOOD))
    path = write(tmp_path, json.dumps(io.unstructure(plan), ensure_ascii=False), "options.json")
    assert io.load_renewal_options(path) == plan


@settings(max_examples=25, deadline=None)
@given(st.lists(renewal_options(), min_size=1, max_size=3), st.integers(1, 1200), st.sampled_from([0.0, 0.01]))
def test_round_trip(options: list[RenewalOption], horizon: int, rate: float) -> None:
    opts = [RenewalOption(f"option {k}", monthly_fee=o.monthly_fee, rule=o.rule, one_off=o.one_off,
                          council_one_off=o.council_one_off, parallel_months=o.parallel_months if k else 0,
                          yearly_change=o.yearly_change, service=o.service) for k, o in enumerate(options)]
    plan = RenewalPlan(opts, horizon_months=horizon, discount_rate=rate)
    assert io.loads(io.dumps(plan), RenewalPlan) == plan


def test_the_bundled_example_is_illustrative_and_prices() -> None:
    plan = examples.toyama_renewal()
    assert "例示" in plan.note and "illustrative" in (examples.toyama_renewal.__doc__ or "").lower()
    assert len(plan.options) == 3 and plan.options[0].parallel_months == 0
    c = plan.compare(examples.toyama())
    for name in plan.names:
        assert sum(c.member_costs(name).values()) == c.total(name)
    text = examples.data_path("toyama_renewal.toml").read_text(encoding="utf-8")
    assert "ILLUSTRATIVE" in text


def test_every_bad_field_is_located(tmp_path: Path) -> None:
    found = problems(write(tmp_path, """\
colour = "blue"
[[options]]
name = "継続"
monthly_fee = 1000
rule = { ratios = { equal = 3, population = 7 } }
[[options]]
monthly_fee = -5
[[options]]
name = "x"
monthly_fee = "abc"
parallel_months = "3"
flavour = 1
[[options]]
name = "y"
monthly_fee = 100_000_000_000_000_000_000
one_off = { A = 1.5 }
rule = { ratios = { equal = 3, population = 7 } }
service = { availability = 99.9 }
"""))
    assert set(found) == {"colour", "options[1].name", "options[1].monthly_fee", "options[2].monthly_fee",
                          "options[2].parallel_months", "options[2].flavour", "options[3].monthly_fee",
                          "options[3].one_off.A", "options[3].service.availability"}, found
    assert "unknown field" in found["colour"] and "unknown field" in found["options[2].flavour"]
    assert "missing" in found["options[1].name"]
    assert "got -5" in found["options[1].monthly_fee"] and "[yen]" in found["options[1].monthly_fee"]
    assert "10**15" in found["options[3].monthly_fee"]  # the yen gate
    assert "member code" in found["options[2].monthly_fee"]
    assert "integer" in found["options[2].parallel_months"]


def test_options_against_each_other_are_located(tmp_path: Path) -> None:
    found = problems(write(tmp_path, """\
[[options]]
name = "継続"
monthly_fee = 1000
parallel_months = 2
rule = { ratios = { equal = 3, population = 7 } }
[[options]]
name = "継続"
monthly_fee = 1000
rule = { ratios = { equal = 3, population = 7 } }
[uncertain.nope]
monthly_fee = [1, 2]
"""))
    assert set(found) == {"options[0].parallel_months", "options[1].name", "uncertain.nope"}
    assert "incumbent" in found["options[0].parallel_months"]
    with pytest.raises(ValidationError, match=r"options\[0\]\.parallel_months"):
        RenewalPlan([RenewalOption("a", monthly_fee={"A": 1}, parallel_months=1)])


@pytest.mark.parametrize(("text", "where", "match"), [
    ("options = []", "options", "at least the incumbent"),
    ('horizon_months = 60', "options", "missing"),
    ("horizon_months = 0\n[[options]]\nname = 'a'\nmonthly_fee = { A = 1 }", "horizon_months", "months"),
    ("discount_rate = -2\n[[options]]\nname = 'a'\nmonthly_fee = { A = 1 }", "discount_rate", "> -1"),
    ("[[options]]\nname = 'a'\nmonthly_fee = 5", "options[0]", "needs a rule"),
    ("[[options]]\nname = 'a'\nmonthly_fee = {}", "options[0].monthly_fee", "at least one member"),
    ("[[options]]\nname = 'a'\nmonthly_fee = { A = 1 }\nyearly_change = -1", "options[0].yearly_change", "> -1"),
    ("[[options]]\nname = 'a'\nmonthly_fee = { A = 1 }\n[uncertain.a]\none_off = [2, 1]", "uncertain", "low <= high"),
    ("[[options]]\nname = 'a'\nmonthly_fee = { A = 1 }\n[uncertain.a]\nprice = [1, 2]", "uncertain", "unknown input"),
    ("options = 3", "options", "list"),
])
def test_wrong_types_and_values(tmp_path: Path, text: str, where: str, match: str) -> None:
    found = problems(write(tmp_path, text))
    assert where in found, found
    assert match in found[where], found


def test_the_bounded_reader(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    with pytest.raises(InputError, match="larger than the limit"):
        io.load_renewal_options(path, max_bytes=100)
    (tmp_path / "folder.toml").mkdir()
    with pytest.raises(InputError, match="folder"):
        io.load_renewal_options(tmp_path / "folder.toml")
    with pytest.raises(InputError, match="unknown file type"):
        io.load_renewal_options(write(tmp_path, GOOD, "options.txt"))
    with pytest.raises(InputError, match="cannot read"):
        io.load_renewal_options(tmp_path / "missing.toml")
    deep = "[[options]]\nname = 'a'\nmonthly_fee = { A = 1 }\nservice = " + "[" * 200 + "]" * 200
    with pytest.raises(InputError):
        io.load_renewal_options(write(tmp_path, deep))
    with pytest.raises(InputError):
        io.load_renewal_options(write(tmp_path, "[[options]\nname = ", "broken.toml"))
