"""A monthly report uses no data from after its month (a yearly window shows its value to date)."""

from __future__ import annotations

import datetime as dt

import attrs

from jichitai_cloud import Month
from jichitai_cloud.operations import JST, load_example


def test_report_ignores_later_months() -> None:
    data = load_example("toyama")
    cutoff = dt.datetime(2015, 11, 1, tzinfo=JST)
    trimmed = attrs.evolve(
        data,
        observations=tuple(o for o in data.observations if o.month <= Month(2015, 10)),
        outages=tuple(o for o in data.outages if o.start < cutoff),
    )
    full, cut = data.monthly_report("H27.10"), trimmed.monthly_report("H27.10")
    assert [(r.metric, r.scope, r.window_value, r.window_met) for r in full.slm] == [
        (r.metric, r.scope, r.window_value, r.window_met) for r in cut.slm
    ]
    # and the year-end report differs: it does see the later months
    march = data.monthly_report("H28.03")
    yearly = {(r.metric, r.scope): r.window_value for r in march.slm if r.window.startswith("FY")}
    october = {(r.metric, r.scope): r.window_value for r in full.slm if r.window.startswith("FY")}
    assert yearly and yearly != october
