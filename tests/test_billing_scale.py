"""The government-cloud bill at scale: the column-pruned read, batches on their distinct values, dask frames."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")

from jichitai_cloud import AllocationRule, examples, io  # noqa: E402
from jichitai_cloud.billing import Assign, BillingRules, FocusData, focus_from_dask, monthly_bill  # noqa: E402
from jichitai_cloud.errors import InputError, ValidationError  # noqa: E402
from jichitai_cloud.testing.strategies import focus_rows, write_focus_csv  # noqa: E402

COUNCIL = examples.toyama()
RULES = BillingRules(
    assign=(Assign("A", sub_account="111"), Assign("B", sub_account="222"),
            Assign("common", tag=("business_unit", "共通"))),
    pools={"common": AllocationRule(ratios="equal=3, population=7")},
    unassigned="common", rates={"2024-09": {"USD": "150.25"}, "2024-10": {"USD": "149.875"}},
    allow_negative_pools=True)
ROWS = st.lists(focus_rows(), min_size=1, max_size=60)
FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _same(a: FocusData, b: FocusData, keys: tuple[str, ...]) -> None:
    """The same sums per (month, currency, category, keys)."""
    def sums(f: FocusData) -> dict[tuple[object, ...], int]:
        out: dict[tuple[object, ...], int] = {}
        for g in range(f.groups):
            k = (int(f.month[g]), bool(f.late[g]), *(f.text[x][g] for x in keys if x != "tags"),
                 tuple(sorted(dict(f.tags[g]).items())) if "tags" in keys else ())
            out[k] = out.get(k, 0) + int(f.billed[g])
        return {k: v for k, v in out.items() if v}
    assert sums(a) == sums(b)
    assert a.row_count == b.row_count


@FAST
@given(rows=ROWS)
def test_column_pruned_read_equals_the_full_read(tmp_path_factory: pytest.TempPathFactory,
                                                 rows: list[dict[str, str]]) -> None:
    path = write_focus_csv(tmp_path_factory.mktemp("p") / "f.csv", rows)
    full, pruned = io.read_focus(path), io.read_focus(path, rules=RULES)
    assert pruned.read == ("currency", "category", "sub_account", "tags")
    assert all(x is None for x in pruned.text["resource"])
    _same(full, pruned, pruned.read)
    assert monthly_bill(COUNCIL, full, RULES).member_totals() == monthly_bill(COUNCIL, pruned, RULES).member_totals()
    assert full.notes == pruned.notes


@FAST
@given(rows=ROWS, batch_rows=st.integers(1, 25))
def test_small_blocks_joined_into_batches_read_the_same(tmp_path_factory: pytest.TempPathFactory,
                                                        rows: list[dict[str, str]], batch_rows: int) -> None:
    """The CSV read in small blocks, their record batches joined (dictionaries unified) into
    batches of ``batch_rows``: the same sums, notes and bills as one block."""
    import jichitai_cloud.io._focus as reader

    path = write_focus_csv(tmp_path_factory.mktemp("b") / "f.csv", rows)
    whole = io.read_focus(path, rules=RULES)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(reader, "_BLOCK_BYTES", 4096)
        mp.setattr(reader, "_BATCH_ROWS", batch_rows)
        small = io.read_focus(path, rules=RULES)
    _same(whole, small, RULES.keys)
    assert whole.notes == small.notes
    assert monthly_bill(COUNCIL, whole, RULES).member_totals() == monthly_bill(COUNCIL, small, RULES).member_totals()


def test_pruned_read_refuses_rules_that_need_more(tmp_path: Path) -> None:
    rows = [{"BilledCost": "1.5", "EffectiveCost": "1.5", "BillingCurrency": "JPY",
             "BillingPeriodStart": "2024-09-01T00:00:00Z", "BillingPeriodEnd": "2024-10-01T00:00:00Z",
             "ChargePeriodStart": "2024-09-02T00:00:00Z", "ChargePeriodEnd": "2024-09-02T01:00:00Z",
             "ChargeCategory": "Usage", "ServiceName": "Amazon EC2", "ProviderName": "AWS", "SubAccountId": "111",
             "ResourceId": "arn:aws:ec2:i-1"}]
    path = write_focus_csv(tmp_path / "f.csv", rows)
    by_account = BillingRules(assign=(Assign("A", sub_account="111"),))
    by_resource = BillingRules(assign=(Assign("B", resource="arn:aws:ec2:*"),))
    focus = io.read_focus(path, rules=by_account)
    assert monthly_bill(COUNCIL, focus, by_account).member_totals()[("A", focus.months[0])] == 2  # 1.5 half-even
    with pytest.raises(ValidationError, match="without resource"):
        monthly_bill(COUNCIL, focus, by_resource)


def test_many_batches_and_a_bad_cost_late_in_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dictionaries differ from batch to batch; a bad cost in a later batch is located by its line."""
    import jichitai_cloud.io._focus as reader

    monkeypatch.setattr(reader, "_BLOCK_BYTES", 1 << 18)  # about 60 blocks of about 1,000 rows,
    monkeypatch.setattr(reader, "_BATCH_ROWS", 7_000)  # joined into about nine batches
    row = {"BilledCost": "0.125", "EffectiveCost": "0.125", "BillingCurrency": "USD",
           "BillingPeriodStart": "2024-09-01T00:00:00Z", "BillingPeriodEnd": "2024-10-01T00:00:00Z",
           "ChargePeriodStart": "2024-09-02T00:00:00Z", "ChargePeriodEnd": "2024-09-02T01:00:00Z",
           "ChargeCategory": "Usage", "ServiceName": "Amazon EC2", "ProviderName": "AWS"}
    rows = [{**row, "SubAccountId": ("111", "222", "9")[k % 3], "ResourceId": f"i-{k}",
             "ChargePeriodStart": f"2024-09-{1 + k % 28:02d}T00:00:00Z",
             "ChargePeriodEnd": f"2024-09-{1 + k % 28:02d}T01:00:00Z"} for k in range(60_000)]
    for k in range(0, 60_000, 1_000):  # late charges in every batch: one note for the file
        rows[k] = {**rows[k], "ChargePeriodStart": "2024-08-31T23:00:00Z"}
    path = write_focus_csv(tmp_path / "f.csv", rows)
    focus = io.read_focus(path, rules=RULES)
    bill = monthly_bill(COUNCIL, focus, RULES)
    assert bill.invoice_total("2024-09") == round(60_000 * 0.125 * 150.25)
    assert focus.groups == 6 and focus.row_count == 60_000  # the batches' groups merged
    assert focus.notes_en == (f"{path}: 60 late charges (charge period outside the billing period), billed in their "
                           "BillingPeriodStart month: rows 2, 1002, 2002, 3002, 4002, 5002, 6002, 7002, 8002, 9002 …",)
    assert focus.notes == (f"{path}: 利用期間が請求期間の外にある明細 (遅延計上) 60 行は、BillingPeriodStart の月に"
                           "計上しました: 2、1002、2002、3002、4002、5002、6002、7002、8002、9002 ほか 行目",)
    rows[55_000] = {**rows[55_000], "BilledCost": "12,5"}
    write_focus_csv(path, rows)
    with pytest.raises(InputError, match=r"row 55002.*BilledCost"):
        io.read_focus(path, rules=RULES)


dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")


@FAST
@given(rows=st.lists(focus_rows(), min_size=2, max_size=60), parts=st.integers(2, 4))
def test_dask_frame_gives_the_same_yen(tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str]],
                                       parts: int) -> None:
    path = write_focus_csv(tmp_path_factory.mktemp("d") / "f.csv", rows)
    frame = dd.from_pandas(pd.read_csv(path, dtype=str, keep_default_na=False), npartitions=parts)
    assert frame.npartitions >= 2
    memory = monthly_bill(COUNCIL, io.read_focus(path), RULES)
    lazy = monthly_bill(COUNCIL, frame, RULES)
    assert lazy.member_totals() == memory.member_totals()
    assert [int(x) for x in lazy.invoice] == [int(x) for x in memory.invoice]
    assert lazy.rows == memory.rows
    _same(io.read_focus(path), focus_from_dask(frame), ("currency", "category", "sub_account", "service", "tags"))


def test_dask_frame_of_many_files_and_errors_by_partition(tmp_path: Path) -> None:
    rows = [{"BilledCost": f"{k}.25", "EffectiveCost": "0", "BillingCurrency": "USD",
             "BillingPeriodStart": f"2024-{9 + k % 2:02d}-01T00:00:00Z",
             "BillingPeriodEnd": f"2024-{10 + k % 2:02d}-01T00:00:00Z",
             "ChargePeriodStart": f"2024-{9 + k % 2:02d}-03T00:00:00Z",
             "ChargePeriodEnd": f"2024-{9 + k % 2:02d}-03T01:00:00Z", "ChargeCategory": "Usage",
             "ServiceName": "Amazon EC2", "ProviderName": "AWS", "SubAccountId": ("111", "222", "5")[k % 3]}
            for k in range(40)]
    write_focus_csv(tmp_path / "a.csv", rows[:25])
    write_focus_csv(tmp_path / "b.csv", rows[25:])
    frame = dd.read_csv(str(tmp_path / "*.csv"), dtype=str, keep_default_na=False)
    assert frame.npartitions >= 2
    memory = monthly_bill(COUNCIL, io.read_focus(tmp_path), RULES)
    assert monthly_bill(COUNCIL, frame, RULES).member_totals() == memory.member_totals()
    # floats (dask's own guess for the cost column) give the same yen for costs with few digits
    floats = dd.read_csv(str(tmp_path / "*.csv"), dtype={"SubAccountId": str})
    assert monthly_bill(COUNCIL, floats, RULES).member_totals() == memory.member_totals()
    bad = [*rows[:30], {**rows[30], "BilledCost": "abc"}, *rows[31:]]
    write_focus_csv(tmp_path / "b.csv", bad[25:])
    frame = dd.read_csv(str(tmp_path / "*.csv"), dtype=str, keep_default_na=False)
    with pytest.raises(InputError, match=r"partition 1: row 6, column 'BilledCost'.*'abc'"):
        focus_from_dask(frame, errors="collect")
    with pytest.raises(InputError, match=r"column 'ServiceName'.*missing"):
        focus_from_dask(frame.drop(columns=["ServiceName"]))
    with pytest.raises(InputError, match=r"dask\.dataframe"):
        focus_from_dask(pd.DataFrame(rows))
