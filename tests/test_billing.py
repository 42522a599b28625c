"""The government-cloud bill: FOCUS reading, exact monthly bills, properties, bad files."""

from __future__ import annotations

import gzip
import random
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
import pyarrow.parquet as pq  # noqa: E402

from jichitai_cloud import AllocationRule, CostItem, examples, io, statement  # noqa: E402
from jichitai_cloud.billing import (  # noqa: E402
    Assign,
    BillingRules,
    FocusGroups,
    exact_largest_remainder,
    monthly_bill,
    reduction_against,
)
from jichitai_cloud.calendar import Month  # noqa: E402
from jichitai_cloud.errors import InputError, ValidationError  # noqa: E402
from jichitai_cloud.testing.strategies import focus_rows, write_focus_csv  # noqa: E402

COUNCIL = examples.toyama()
RULES = BillingRules(
    assign=(Assign("A", sub_account="111"), Assign("B", sub_account="222"), Assign("C", sub_account="333"),
            Assign("common", tag=("business_unit", "共通"))),
    pools={"common": AllocationRule(ratios="equal=3, population=7"), "same": "ratio_of=common"},
    unassigned="common", rates={"2024-09": {"USD": "150.25"}, "2024-10": {"USD": "149.875"}})
ROWS = st.lists(focus_rows(), min_size=1, max_size=40)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _rows(n: int) -> list[dict[str, str]]:
    return _sample(n)


def _sample(n: int) -> list[dict[str, str]]:
    rnd = random.Random(n)
    out = []
    for k in range(n):
        m = Month(2024, 9 + k % 2)
        cost = f"{rnd.randint(0, 10**6)}.{rnd.randint(0, 10**12):012d}"
        out.append({**BASE, "BilledCost": cost, "BillingPeriodStart": f"{m.iso()}-01T00:00:00Z",
                    "BillingPeriodEnd": f"{(m + 1).iso()}-01T00:00:00Z", "ChargePeriodStart": f"{m.iso()}-02T00:00:00Z",
                    "ChargePeriodEnd": f"{m.iso()}-02T01:00:00Z", "SubAccountId": rnd.choice(["111", "222", "333", "9"]),
                    "ChargeCategory": rnd.choice(["Usage", "Tax", "Adjustment"]),
                    "Tags": rnd.choice(["", '{"business_unit": "共通"}'])})
    return out


def _exact_month_yen(rows: list[dict[str, str]], rules: BillingRules) -> dict[Month, Fraction]:
    out: dict[Month, Fraction] = {}
    for r in rows:
        m = Month.parse(r["BillingPeriodStart"][:7])
        rate = Fraction(1) if r["BillingCurrency"] == "JPY" else rules.rates[m.iso()][r["BillingCurrency"]]
        out[m] = out.get(m, Fraction(0)) + Fraction(r["BilledCost"]) * rate
    return out


def _bill(tmp: Path, rows: list[dict[str, str]], name: str = "f.csv", **kw: object) -> object:
    return monthly_bill(COUNCIL, io.read_focus(write_focus_csv(tmp / name, rows, **kw)), RULES)


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", "1.3"])
def test_every_version_reads_and_sums_exactly(tmp_path: Path, version: str) -> None:
    rows = [
        {"BilledCost": "0.000000000000001", "EffectiveCost": "0", "BillingCurrency": "USD",
         "BillingPeriodStart": "2024-09-01T00:00:00Z", "BillingPeriodEnd": "2024-10-01T00:00:00Z",
         "ChargePeriodStart": "2024-09-01T00:00:00Z", "ChargePeriodEnd": "2024-09-01T01:00:00Z",
         "ChargeCategory": "Usage", "ServiceName": "Amazon EC2", "ProviderName": "AWS", "SubAccountId": "111"},
        {"BilledCost": "123.456789012345", "EffectiveCost": "NULL", "BillingCurrency": "USD",
         "BillingPeriodStart": "2024-09-01T00:00:00Z", "BillingPeriodEnd": "2024-10-01T00:00:00Z",
         "ChargePeriodStart": "2024-08-31T00:00:00Z", "ChargePeriodEnd": "2024-08-31T01:00:00Z",
         "ChargeCategory": "Usage", "ServiceName": "Amazon EC2", "ProviderName": "AWS", "SubAccountId": "222",
         "Tags": '{" business_unit": "共通"}'},
    ]
    data = io.read_focus(write_focus_csv(tmp_path / "f.csv.gz", rows, version=version))
    assert data.version == ("1.3" if version == "1.3" else "1.2")
    assert data.total() == {"USD": Fraction("123.456789012345001")}
    assert any("late charge" in n and "row 3" in n for n in data.notes_en)
    assert any("遅延計上" in n and ": 3 行目" in n for n in data.notes)  # Japanese first
    assert {"business_unit": "共通"} in [dict(t) for t in data.tags]
    assert io.read_focus(tmp_path / "f.csv.gz", version=version).version == version


def test_parquet_equals_csv(tmp_path: Path) -> None:
    rows = _rows(30)
    csv_path = write_focus_csv(tmp_path / "f.csv", rows)
    table = pa.csv.read_csv(csv_path, convert_options=pa.csv.ConvertOptions(
        column_types={"BilledCost": pa.decimal128(38, 15), "SubAccountId": pa.string()}))
    pq.write_table(table, tmp_path / "f.parquet")
    a = monthly_bill(COUNCIL, io.read_focus(csv_path), RULES)
    b = monthly_bill(COUNCIL, io.read_focus(tmp_path / "f.parquet"), RULES)
    assert a.member_totals() == b.member_totals()


def _groups(data: object) -> list[tuple[object, ...]]:
    d: Any = data
    return sorted((int(m), str(b), int(n), bool(lt), *(str(d.text[k][i]) for k in sorted(d.text)), str(d.tags[i]))
                  for i, (m, b, n, lt) in enumerate(zip(d.month, d.billed, d.rows, d.late, strict=True)))


@FAST
@given(rows=st.lists(st.one_of(focus_rows(), focus_rows(late=False)), min_size=1, max_size=40),
       keys=st.sampled_from([None, RULES]))
def test_summing_distinct_rows_first_equals_checking_row_by_row(tmp_path_factory: pytest.TempPathFactory,
                                                                 rows: list[dict[str, str]],
                                                                 keys: BillingRules | None) -> None:
    """The CSV route sums each distinct row before coding its keys (falling back to the row-by-row
    route for a batch with a problem or a late charge): the same groups, counts, late rows and notes."""
    path = write_focus_csv(tmp_path_factory.mktemp("g") / "f.csv", rows)
    fast = io.read_focus(path, rules=keys)
    with patch.object(FocusGroups, "_add_grouped", lambda *a: False):
        slow = io.read_focus(path, rules=keys)
    assert _groups(fast) == _groups(slow)
    assert (fast.notes, fast.notes_en, fast.row_count) == (slow.notes, slow.notes_en, slow.row_count)


def test_text_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "sjis.csv"
    write_focus_csv(path, [BASE, BASE, {**BASE, "ServiceName": "PLACEHOLDER"}])
    path.write_bytes(path.read_bytes().replace(b"PLACEHOLDER", "テスト".encode("cp932")))
    for errors in ("raise", "collect"):
        with pytest.raises(InputError) as exc:
            io.read_focus(path, errors=errors)
        assert [str(p) for p in exc.value.problems] == [
            "row 4, column 'ServiceName': is not UTF-8 text: FOCUS exports are UTF-8 (save the file as UTF-8)"]


@FAST
@given(rows=ROWS)
def test_bills_add_up_to_each_months_converted_total(tmp_path_factory: pytest.TempPathFactory,
                                                      rows: list[dict[str, str]]) -> None:
    bill = _bill(tmp_path_factory.mktemp("b"), rows)
    exact = _exact_month_yen(rows, RULES)
    totals = bill.member_totals()
    for m in bill.months:
        assert bill.invoice_total(m) == round(exact[m])  # half-even
        assert sum(v for (c, mm), v in totals.items() if mm == m) == bill.invoice_total(m)
    assert int(bill.lines.sum()) == sum(int(x) for x in bill.invoice)


@FAST
@given(rows=ROWS, seed=st.integers(0, 2**32 - 1))
def test_permuting_rows_and_splitting_files_change_nothing(tmp_path_factory: pytest.TempPathFactory,
                                                            rows: list[dict[str, str]], seed: int) -> None:
    tmp = tmp_path_factory.mktemp("p")
    bill = _bill(tmp, rows)
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    assert _bill(tmp, shuffled, "g.csv").member_totals() == bill.member_totals()
    cut = len(rows) // 2
    parts = tmp / "parts"
    parts.mkdir()
    write_focus_csv(parts / "1.csv", shuffled[:cut])
    write_focus_csv(parts / "2.csv.gz", shuffled[cut:])
    split = monthly_bill(COUNCIL, io.read_focus(parts), RULES)
    assert split.member_totals() == bill.member_totals()
    assert monthly_bill(COUNCIL, io.read_focus(str(parts / "*.csv*")), RULES).member_totals() == bill.member_totals()


@FAST
@given(rows=ROWS, pick=st.integers(0, 39))
def test_moving_a_row_between_two_accounts_changes_only_those_two(tmp_path_factory: pytest.TempPathFactory,
                                                                   rows: list[dict[str, str]], pick: int) -> None:
    rules = BillingRules(assign=(Assign("A", sub_account="111"), Assign("B", sub_account="222"),
                                 Assign("C", sub_account="333")), rates=RULES.rates)
    rows = [{**r, "Tags": ""} for r in rows]
    k = pick % len(rows)
    rows[k] = {**rows[k], "SubAccountId": "111"}
    moved = [*rows[:k], {**rows[k], "SubAccountId": "222"}, *rows[k + 1:]]
    tmp = tmp_path_factory.mktemp("m")
    a = monthly_bill(COUNCIL, io.read_focus(write_focus_csv(tmp / "a.csv", rows)), rules).member_totals()
    b = monthly_bill(COUNCIL, io.read_focus(write_focus_csv(tmp / "b.csv", moved)), rules).member_totals()
    # Moving a row moves its cost between the two accounts only.  The month's converted invoice is
    # apportioned over all assignees by largest remainder on their exact amounts (the rule),
    # so when the moved cost is not whole yen the remainders' order can change and a third member's
    # bill can move by the one yen the remainder gives: never more, and the month's total stays.
    for month in {m for (_c, m) in a}:
        assert sum(v for (c, m), v in a.items() if m == month) == sum(v for (c, m), v in b.items() if m == month)
    others = {c: b[(c, m)] - v for (c, m), v in a.items() if c not in {"A", "B"}}
    assert all(abs(d) <= 1 for d in others.values()), others


def test_moving_a_whole_yen_row_changes_only_those_two(tmp_path: Path) -> None:
    # the case without remainders: costs in whole yen (JPY) move to the yen and nothing else changes
    rows = [{**BASE, "BillingCurrency": "JPY", "BilledCost": cost, "EffectiveCost": cost, "SubAccountId": acct,
             "Tags": ""} for cost, acct in (("1000", "111"), ("250", "111"), ("700", "333"))]
    moved = [*rows[:1], {**rows[1], "SubAccountId": "222"}, *rows[2:]]
    rules = BillingRules(assign=(Assign("A", sub_account="111"), Assign("B", sub_account="222"),
                                 Assign("C", sub_account="333")), rates=RULES.rates)
    a = monthly_bill(COUNCIL, io.read_focus(write_focus_csv(tmp_path / "a.csv", rows)), rules).member_totals()
    b = monthly_bill(COUNCIL, io.read_focus(write_focus_csv(tmp_path / "b.csv", moved)), rules).member_totals()
    diff = {c: b[(c, m)] - v for (c, m), v in a.items() if b[(c, m)] != v}
    assert diff == {"A": -250, "B": 250}


def test_hand_worked_month() -> None:
    # 3 assignees with exact amounts 1/3 each of 100 yen: 34, 33, 33 (ties to the first)
    out = exact_largest_remainder(np.array([100]), np.array([[1, 1, 1]], dtype=object))
    assert out.tolist() == [[34, 33, 33]]


def test_pools_split_by_rule_and_statement_and_reduction(tmp_path: Path) -> None:
    rows = _rows(20)
    bill = _bill(tmp_path, rows)
    import attrs
    by_usage = attrs.evolve(RULES, pools={"common": AllocationRule(ratios="usage=1")})
    ub = monthly_bill(COUNCIL, io.read_focus(tmp_path / "f.csv"), by_usage)
    shared = ub.lines[:, :, 1, :].sum(axis=(0, 2))
    assert shared[3:].sum() == 0  # D, E, F have no own cost: no share by usage
    assert sum(ub.member_totals().values()) == sum(bill.member_totals().values())
    s = statement(COUNCIL, [bill, CostItem("データ抽出", shares={"A": 1000})])
    assert s.member_totals["A"] == bill.totals_by_member()["A"] + 1000
    check = reduction_against({m.code: 10**12 for m in COUNCIL.members}, bill)
    assert check.met("合計", 2024)
    assert not reduction_against({m.code: 1 for m in COUNCIL.members}, bill).met("合計", 2024)
    assert "請求総額" in bill.to_text()
    assert len(bill.tables()) == 3
    pivot = bill.by_member().data
    assert "団体別・月別請求額" in bill.by_member().to_text() and "<table" in bill.by_member()._repr_html_()
    month_cols = [c.key for c in pivot.columns if c.key.startswith("m")]
    for k, key in enumerate(month_cols):  # each month's member bills add up to its invoice
        j = [c.key for c in pivot.columns].index(key)
        assert sum(r[j] for r in pivot.rows) == int(bill.invoice[k])
    assert [r[0] for r in pivot.rows] == [m.name for m in COUNCIL.members]
    assert [r[-1] for r in pivot.rows] == [bill.totals_by_member()[m.code] for m in COUNCIL.members]


BASE = {"BilledCost": "1.5", "EffectiveCost": "1.5", "BillingCurrency": "USD",
        "BillingPeriodStart": "2024-09-01T00:00:00Z", "BillingPeriodEnd": "2024-10-01T00:00:00Z",
        "ChargePeriodStart": "2024-09-01T00:00:00Z", "ChargePeriodEnd": "2024-09-01T01:00:00Z",
        "ChargeCategory": "Usage", "ServiceName": "Amazon EC2", "ProviderName": "AWS", "SubAccountId": "111"}


@pytest.mark.parametrize(("change", "column"), [
    ({"BilledCost": "1,5"}, "BilledCost"),
    ({"BilledCost": "abc"}, "BilledCost"),
    ({"BilledCost": "0.0000000000000001"}, "BilledCost"),
    ({"BilledCost": ""}, "BilledCost"),
    ({"EffectiveCost": "x"}, "EffectiveCost"),
    ({"Tags": "[1, 2]"}, "Tags"),
    ({"Tags": "{not json"}, "Tags"),
    ({"BillingCurrency": "YEN"}, "BillingCurrency"),
    ({"ChargePeriodEnd": "2024-08-31T00:00:00Z"}, "ChargePeriodEnd"),
    ({"BillingPeriodStart": "yesterday"}, "BillingPeriodStart"),
])
def test_bad_rows_are_located(tmp_path: Path, change: dict[str, str], column: str) -> None:
    path = write_focus_csv(tmp_path / "bad.csv", [BASE, BASE, {**BASE, **change}])
    with pytest.raises(InputError) as exc:
        io.read_focus(path)
    assert f"row 4, column '{column}'" in str(exc.value)
    assert "bad.csv" in str(exc.value)


def test_missing_column_and_collect(tmp_path: Path) -> None:
    cols = [c for c in BASE if c != "BillingCurrency"]
    path = write_focus_csv(tmp_path / "m.csv", [BASE], columns=cols)
    with pytest.raises(InputError, match="row 1, column 'BillingCurrency': mandatory"):
        io.read_focus(path)
    bad = write_focus_csv(tmp_path / "b.csv", [{**BASE, "BilledCost": "x"}, BASE, {**BASE, "Tags": "3"}])
    with pytest.raises(InputError) as exc:
        io.read_focus(bad, errors="collect")
    assert len(exc.value.problems) == 2


def test_rules_errors(tmp_path: Path) -> None:
    data = io.read_focus(write_focus_csv(tmp_path / "f.csv", [BASE, {**BASE, "SubAccountId": "999"}]))
    strict = BillingRules(assign=(Assign("A", sub_account="111"),), rates=RULES.rates)
    with pytest.raises(ValidationError, match="match no assign rule"):
        monthly_bill(COUNCIL, data, strict)
    with pytest.raises(ValidationError, match="no USD rate for 2024-09"):
        monthly_bill(COUNCIL, data, BillingRules(assign=(Assign("A", sub_account="111"),), pools={"p": "3:7"},
                                                 unassigned="p"))
    with pytest.raises(ValidationError, match="circle"):
        BillingRules(assign=(), pools={"a": "ratio_of=b", "b": "ratio_of=a"})
    credit = io.read_focus(write_focus_csv(tmp_path / "c.csv", [{**BASE, "BilledCost": "-3", "SubAccountId": "9"}]))
    rules = BillingRules(assign=(), pools={"p": "3:7"}, unassigned="p", rates=RULES.rates)
    with pytest.raises(ValidationError, match="negative"):
        monthly_bill(COUNCIL, credit, rules)
    import attrs
    ok = monthly_bill(COUNCIL, credit, attrs.evolve(rules, allow_negative_pools=True))
    assert ok.invoice_total("2024-09") == -451 == sum(ok.member_totals().values())


def test_rules_file_and_rates(tmp_path: Path) -> None:
    (tmp_path / "r.toml").write_text(
        'unassigned = "common"\n[[assign]]\nto = "A"\nsub_account = "111"\n[[assign]]\nto = "common"\n'
        'tag = ["business_unit", "共通"]\n[pools.common]\nratios = "equal=3, population=7"\n'
        '[pools.same]\nratio_of = "common"\n', encoding="utf-8")
    (tmp_path / "rates.csv").write_text("month,currency,rate\n2024-09,USD,150.25\n", encoding="utf-8")
    rules = io.load_billing_rules(tmp_path / "r.toml").with_rates(io.read_rates(tmp_path / "rates.csv"))
    assert rules.rate(Month(2024, 9), "USD") == Fraction("150.25")
    (tmp_path / "bad.toml").write_text('[[assign]]\nto = "A"\n[pools.x]\nratios = "nope"\n', encoding="utf-8")
    with pytest.raises(InputError) as exc:
        io.load_billing_rules(tmp_path / "bad.toml")
    assert "assign[0]" in str(exc.value) and "pools.x" in str(exc.value)


def test_gzip_and_bom(tmp_path: Path) -> None:
    text = ",".join(BASE) + "\n" + ",".join(BASE.values()) + "\n"
    (tmp_path / "x.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
    with gzip.open(tmp_path / "y.csv.gz", "wt") as fh:
        fh.write(text)
    assert io.read_focus(tmp_path / "x.csv").total() == io.read_focus(tmp_path / "y.csv.gz").total()


def test_cli_bill(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from jichitai_cloud.cli.main import main

    io.save(COUNCIL, tmp_path / "council.toml")
    (tmp_path / "rules.toml").write_text('unassigned = "common"\n[[assign]]\nto = "A"\nsub_account = "111"\n'
                                         '[pools.common]\nratios = "equal=3, population=7"\n', encoding="utf-8")
    (tmp_path / "rates.csv").write_text("month,currency,rate\n2024-09,USD,150.25\n2024-10,USD,149.875\n",
                                        encoding="utf-8")
    focus = write_focus_csv(tmp_path / "f.csv", _sample(12))
    args = [str(tmp_path / "council.toml"), focus, "--rules", str(tmp_path / "rules.toml"),
            "--rates", str(tmp_path / "rates.csv")]
    assert main(["bill", *args, "--month", "2024-09", "--format", "json"]) == 0
    assert "2024-09" in capsys.readouterr().out
    out = tmp_path / "bill.csv"
    assert main(["bill", *args, "-o", str(out)]) == 0
    assert out.exists()
    assert main(["bill", *args, "-o", str(out)]) != 0  # never replaced without --force
    bad = write_focus_csv(tmp_path / "bad.csv", [{**BASE, "BilledCost": "x"}])
    assert main(["bill", str(tmp_path / "council.toml"), bad, "--rules", str(tmp_path / "rules.toml")]) != 0
    assert "row 2, column 'BilledCost'" in capsys.readouterr().err


def test_reading_ahead_keeps_order_raises_in_order_and_stops_its_thread() -> None:
    import threading

    from jichitai_cloud.io._focus import _ahead

    def reader(fail_at: int | None) -> Iterator[int]:
        for k in range(20):
            if k == fail_at:
                raise ValueError(f"bad block {k}")
            yield k

    assert list(_ahead(reader(None))) == list(range(20))
    seen: list[int] = []

    def consume() -> None:
        for k in _ahead(reader(7), depth=3):
            seen.append(k)

    with pytest.raises(ValueError, match="bad block 7"):
        consume()
    assert seen == list(range(7))
    it = _ahead(reader(None), depth=1)
    assert next(it) == 0
    it.close()  # the caller stops early (a problem in a batch): the reader thread ends with it
    assert not [t for t in threading.enumerate() if t.name == "jichitai_cloud-focus-reader"]


def test_many_small_batches_give_the_same_groups_late_rows_and_problems(tmp_path: Path) -> None:
    from jichitai_cloud.io import _focus

    rows = _sample(60)
    rows[40] = {**rows[40], "ChargePeriodStart": "2024-08-31T00:00:00Z", "ChargePeriodEnd": "2024-08-31T01:00:00Z",
                "BillingPeriodStart": "2024-09-01T00:00:00Z", "BillingPeriodEnd": "2024-10-01T00:00:00Z"}
    path = write_focus_csv(tmp_path / "f.csv", rows)
    whole = io.read_focus(path)
    with patch.object(_focus, "_BLOCK_BYTES", 2048), patch.object(_focus, "_BATCH_ROWS", 3):
        small = io.read_focus(path)
        bad = write_focus_csv(tmp_path / "bad.csv", [*rows[:30], {**BASE, "BillingCurrency": "YEN"}, *rows[30:],
                                                     {**BASE, "Tags": "[1]"}])
        with pytest.raises(InputError) as exc:
            io.read_focus(bad, errors="collect")
    assert _groups(small) == _groups(whole)
    assert small.notes == whole.notes and "42 行目" in small.notes[0]
    assert [p.where for p in exc.value.problems] == ["row 32, column 'BillingCurrency'", "row 63, column 'Tags'"]
