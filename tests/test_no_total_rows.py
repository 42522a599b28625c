"""DataFrames without double counting: no result's table or DataFrame has a total row.

Every result of the bundled examples is walked: its ``to_dataframe()`` and a DataFrame of every
table of ``tables()`` (what ``report.to_csv`` / ``to_excel`` write).  No row may be labelled
合計, 計 or total (in its index or its first column), so summing a column counts every yen once;
totals are attributes, ``summary()`` lines or tables of their own columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import jichitai_cloud as jc
from jichitai_cloud import allocation, customization, examples, games

pd = pytest.importorskip("pandas")

TOTAL_LABELS = {"合計", "計", "total", "Total", "TOTAL", "総計", "小計"}


def _results() -> Iterator[tuple[str, Any]]:
    council = examples.toyama()
    rule = jc.AllocationRule(ratios={"equal": 3, "population": 7}, min_reduction=0.30)
    alloc = jc.allocate(council, 1_390_000_000, rule)
    yield "allocate", alloc
    yield "effect_table", alloc.effect_table()
    yield "effect_table.from_published", jc.EffectTable.from_published(council)
    yield "membership_change", allocation.membership_change(council, 1_390_000_000, rule, leaving={"B": "H30.04"})
    yield "simulate", allocation.simulate(council, 1_390_000_000, rule, total_fees=[1_390_000_000, 1_300_000_000])
    yield "ratio_sweep", allocation.ratio_sweep(council, 1_390_000_000, rule)
    cust = examples.toyama_customization()
    full = cust.apply_to(council)
    table = customization.comparison_table(cust)
    yield "statement", jc.statement(council, [
        jc.CostItem("クラウド利用料", total=1_390_000_000, rule=rule),
        jc.CostItem("カスタマイズ", shares=dict(zip(table.members, table.member_totals, strict=True))),
    ])
    yield "comparison_table", table
    yield "comparison_table.requesters", customization.comparison_table(cust, basis="requesters")
    yield "stable_adoption", customization.stable_adoption(cust)
    yield "decision_summary", customization.decision_summary(full)
    yield "subcommittee_summary", customization.subcommittee_summary(full, cust)
    proc = examples.toyama_evaluation()
    ev = jc.evaluate(proc)
    yield "evaluate", ev
    yield "robustness", ev.robustness(samples=200, seed=0)
    model = examples.toyama_games()
    yield "fairness_report", jc.fairness_report(council, council.published.cloud_fees, model)
    yield "leaving_report", games.leaving_report(council, "F", model)
    ops = examples.toyama_operations()
    yield "availability", ops.availability()
    yield "observation_table", ops.observation_table()
    compliance = ops.compliance()
    yield "compliance", compliance
    yield "monthly_report", ops.monthly_report(ops.end)
    yield "penalty_points", ops.penalty_points()
    yield "service_credits", ops.service_credits()
    yield "fee_reductions", ops.fee_reductions(2015)


def _labels(frame: Any) -> list[str]:
    labels = [str(x) for x in frame.index]
    if len(frame.columns):
        labels += [str(x) for x in frame.iloc[:, 0]]
    return labels


def test_no_total_rows_in_any_frame() -> None:
    seen = 0
    bad: list[str] = []
    for name, result in _results():
        frames = {"to_dataframe()": result.to_dataframe()}
        for tname, (header, rows) in result.tables().items():
            frames[f"tables()[{tname!r}]"] = pd.DataFrame([list(r) for r in rows], columns=list(header))
        for where, frame in frames.items():
            seen += 1
            hits = sorted(set(_labels(frame)) & TOTAL_LABELS)
            if hits:
                bad.append(f"{name}.{where}: rows labelled {hits}")
    assert not bad, "\n".join(bad)
    assert seen > 30
