"""A monthly report uses no data from after its month (a yearly window shows its value to date)."""

from __future__ import annotations

import datetime as dt

import attrs

from jichitai_cloud import Month, examples
from jichitai_cloud.calendar import JST


def test_report_ignores_later_months() -> None:
    data = examples.toyama_operations()
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


def test_outage_csv_problems_name_row_and_column() -> None:
    import pytest

    from jichitai_cloud import InputError
    from jichitai_cloud.io import read_outages

    text = ("start,end,planned,cause,member\n"
            "2015-10-05 09:30,2015-10-05 09:00,false,vendor,A\n"
            "xx,2015-10-05 10:00,maybe,odd,A\n"
            "2015-10-05T00:30Z,2015-10-05 10:00,true,受託者,A\n")
    with pytest.raises(InputError) as info:
        read_outages(text=text, source="outages.csv")
    got = [str(p) for p in info.value.problems]
    assert got[0].startswith("row 2: end (2015-10-05T09:00:00+09:00) is before start")
    assert "row 3, column 'planned': must be true or false, got 'maybe'" in got
    assert any(p.startswith("row 3, column 'start': cannot read 'xx'") for p in got)
    assert any(p.startswith("row 3, column 'cause'") for p in got)
    (o,) = read_outages(text=text.splitlines()[0] + "\n" + text.splitlines()[3] + "\n")
    assert o.start == dt.datetime(2015, 10, 5, 9, 30, tzinfo=JST) and o.planned
