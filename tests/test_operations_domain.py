"""Operations domain layer: Japan time, service calendar, availability, windows, compliance."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jichitai_cloud import Month, ParseError, SLAMetric, ValidationError
from jichitai_cloud._numeric import as_fraction
from jichitai_cloud.calendar import JST, parse_datetime, to_jst
from jichitai_cloud.model import Observation, Outage, ServiceCalendar, Window
from jichitai_cloud.operations import (
    ObservationTable,
    availability_from_outages,
    evaluate_sla,
    incident_observations,
    kernels,
    percentile_observations,
)
from jichitai_cloud.operations._compliance import integer_points
from jichitai_cloud.operations._timeline import Timeline
from jichitai_cloud.testing import strategies as jst

OCT = ServiceCalendar(holidays=["2015-10-12", "2015-11-03", "2015-11-23"])
UTC = dt.UTC


# -- Japan time ----------------------------------------------------------------------------------
def test_naive_is_japan_time_and_aware_is_converted():
    naive = dt.datetime(2015, 4, 1, 0, 30)
    assert to_jst(naive) == dt.datetime(2015, 4, 1, 0, 30, tzinfo=JST)
    utc = dt.datetime(2015, 3, 31, 15, 30, tzinfo=UTC)
    assert to_jst(utc) == to_jst(naive)
    assert parse_datetime("2015-03-31T15:30:00Z") == to_jst(naive)
    assert parse_datetime("2015/04/01 00:30") == to_jst(naive)
    with pytest.raises(ParseError, match="no time of day"):
        parse_datetime("2015-04-01")
    with pytest.raises(ParseError):
        parse_datetime("yesterday")


def test_month_and_fiscal_year_boundaries_are_japan_time():
    tl = Timeline(Month(2015, 3), 2)
    # 2015-03-31 14:59 UTC is 23:59 JST on 31 March (fiscal 2014); 15:00 UTC is 1 April (fiscal 2015)
    before = dt.datetime(2015, 3, 31, 14, 59, tzinfo=UTC)
    after = dt.datetime(2015, 3, 31, 15, 0, tzinfo=UTC)
    assert tl.month_of([before, after]).tolist() == [0, 1]
    assert tl.minute_of([after]).tolist() == [31 * 1440]
    assert (tl.start + int(tl.month_of([after])[0])).fiscal_year == 2015
    assert (tl.start + int(tl.month_of([before])[0])).fiscal_year == 2014


def test_outage_across_fiscal_year_end_in_utc_is_split_in_japan_time():
    cal = ServiceCalendar.always()
    # 2016-03-31 14:00Z .. 16:00Z = 23:00 .. 01:00 JST: one hour in FY2015 (March), one in FY2016 (April)
    o = Outage(start=dt.datetime(2016, 3, 31, 14, tzinfo=UTC), end=dt.datetime(2016, 3, 31, 16, tzinfo=UTC))
    av = availability_from_outages([o], cal, "2016-03", 2)
    assert av.downtime[:, 0].tolist() == [60, 60]
    eb = av.error_budget(99.5, "yearly")
    assert eb.labels == ("FY2015", "FY2016")
    assert eb.downtime[:, 0].tolist() == [60, 60]


@settings(deadline=None)
@given(jst.months(2000, 2040), st.sampled_from(list(Window)))
def test_windows_are_fiscal_aligned(month, window):
    first = window.first_month(month)
    last = window.last_month(month)
    assert first <= month <= last and last - first == window.months - 1
    if window is not Window.MONTHLY:
        assert first.month in ((4, 7, 10, 1) if window is Window.QUARTERLY else (4,))
        assert first.fiscal_year == month.fiscal_year == last.fiscal_year
    assert window.ordinal(first) == window.ordinal(last) == window.ordinal(month)
    assert window.ordinal(last + 1) == window.ordinal(month) + 1


@settings(deadline=None)
@given(jst.months(2000, 2040), st.integers(1, 40))
def test_timeline_window_numbers_agree_with_window_ordinals(start, n):
    tl = Timeline(start, n)
    nums = tl.window_numbers([1, 3, 12])
    for row, w in zip(nums, (Window.MONTHLY, Window.QUARTERLY, Window.YEARLY), strict=True):
        ords = [w.ordinal(start + i) - w.ordinal(start) for i in range(n)]
        assert row.tolist() == ords


def test_window_labels():
    assert Window.QUARTERLY.label(Month.parse("H27.11")) == "FY2015 3Q"
    assert Window.QUARTERLY.label(Month.parse("H28.03")) == "FY2015 4Q"
    assert Window.YEARLY.label(Month.parse("H28.03")) == "FY2015"


# -- service calendar ----------------------------------------------------------------------------
def test_service_calendar_office_hours_october_2015():
    # October 2015: 22 weekdays, one holiday (体育の日 10/12) -> 21 days x 525 minutes
    f = kernels.service_cumulative(*OCT.service_windows(dt.date(2015, 10, 1), 31))
    assert f[-1] == 21 * 525 == 11_025
    assert OCT.describe().startswith("月火水木金 08:30-17:15")


def test_service_calendar_year_end_closure_and_open_days():
    cal = ServiceCalendar(open_days=["2016-01-03"])
    days = cal.service_days(dt.date(2015, 12, 28), 8)  # Mon 28 Dec .. Mon 4 Jan
    assert days.tolist() == [True, False, False, False, False, False, True, True]
    assert ServiceCalendar(year_end_closure=False).service_days(dt.date(2015, 12, 29), 1).tolist() == [True]


def test_service_calendar_validation():
    with pytest.raises(ValidationError, match="closes"):
        ServiceCalendar(opens="18:00", closes="09:00")
    with pytest.raises(ValidationError):
        ServiceCalendar(opens="8:75")
    with pytest.raises(ValidationError):
        ServiceCalendar(weekdays=(7,))
    assert ServiceCalendar(opens="00:00", closes="24:00").close_minute == 1440


# -- availability --------------------------------------------------------------------------------
def test_availability_hand_worked_october_2015():
    outs = [
        Outage(start="2015-10-05 09:00", end="2015-10-05 10:30", member="A"),             # 90 min unplanned
        Outage(start="2015-10-05T00:30:00+00:00", end="2015-10-05T01:00:00+00:00", planned=True),  # 9:30-10:00 JST
        Outage(start="2015-10-12 09:00", end="2015-10-12 12:00"),                          # holiday: no service
        Outage(start="2015-10-13 16:00", end="2015-10-14 09:00", cause="member", member="B"),  # not the vendor
        Outage(start="2015-10-20 08:00", end="2015-10-20 09:00", member="B"),              # 30 min in hours
    ]
    av = availability_from_outages(outs, OCT, "H27.10", 1, members=["A", "B"])
    assert av.scheduled.tolist() == [[11_025, 11_025]]
    assert av.downtime.tolist() == [[60, 30]]
    assert av.percent[0].tolist() == [100 * (11_025 - 60) / 11_025, 100 * (11_025 - 30) / 11_025]
    eb = av.error_budget(99.5)
    assert eb.allowed.tolist() == [[55, 55]]  # floor(11,025 x 0.005) = floor(55.125)
    assert eb.met.tolist() == [[False, True]]
    obs = av.observations("availability")
    assert [o.value for o in obs] == av.percent[0].tolist() and obs[0].weight == 11_025


def test_planned_outage_of_one_system_does_not_excuse_another():
    outs = [Outage(start="2015-10-05 09:00", end="2015-10-05 10:00", system="住基"),
            Outage(start="2015-10-05 09:00", end="2015-10-05 10:00", system="税", planned=True),
            Outage(start="2015-10-06 09:00", end="2015-10-06 10:00", system="住基"),
            Outage(start="2015-10-06 09:00", end="2015-10-06 09:30", planned=True)]  # every system
    whole = availability_from_outages(outs, OCT, "H27.10", 1)
    assert whole.downtime.tolist() == [[60 + 30]]
    by_system = availability_from_outages(outs, OCT, "H27.10", 1, systems=["住基", "税"])
    assert by_system.downtime.tolist() == [[90, 0]]


def test_service_start_leaves_earlier_months_unmeasured():
    outs = [Outage(start="2015-06-08 13:30", end="2015-06-08 15:10")]
    av = availability_from_outages(outs, ServiceCalendar(), "H27.04", 4, members=["A", "C"],
                                   service_start={"A": "H27.07"})
    assert av.defined[:, 0].tolist() == [False, False, False, True]
    assert av.downtime[2].tolist() == [0, 100]


@settings(deadline=None)
@given(st.lists(jst.outages(), max_size=8), jst.service_calendars())
def test_availability_in_unit_interval(outs, cal):
    av = availability_from_outages(outs, cal, "2015-04", 3, members=["A", "B"], systems=["住基", "税"])
    assert np.all((av.ratio >= 0) & (av.ratio <= 1))
    assert np.all((av.downtime >= 0) & (av.downtime <= av.scheduled))


@settings(deadline=None)
@given(st.lists(jst.outages(), max_size=6), jst.outages(), jst.service_calendars())
def test_planned_outages_never_lower_availability(outs, extra, cal):
    import attrs

    before = availability_from_outages(outs, cal, "2015-04", 3, members=["", "A"])
    after = availability_from_outages([*outs, attrs.evolve(extra, planned=True)], cal, "2015-04", 3,
                                      members=["", "A"])
    assert np.all(after.ratio >= before.ratio)


@settings(deadline=None)
@given(st.lists(jst.outages(), max_size=6), jst.outages(), jst.service_calendars())
def test_outages_not_the_vendors_fault_never_count(outs, extra, cal):
    import attrs

    before = availability_from_outages(outs, cal, "2015-04", 3)
    for cause in ("member", "external"):
        after = availability_from_outages([*outs, attrs.evolve(extra, planned=False, cause=cause)], cal, "2015-04", 3)
        assert np.array_equal(after.downtime, before.downtime)


def test_outage_validation():
    with pytest.raises(ValidationError, match="before start"):
        Outage(start="2015-10-05 10:00", end="2015-10-05 09:00")
    with pytest.raises(ValidationError, match="cause"):
        Outage(start="2015-10-05 09:00", end="2015-10-05 10:00", cause="gremlins")
    assert Outage(start="2015-10-05 09:00", end="2015-10-05 10:00", cause="団体").cause.value == "member"


def test_incident_observations_worst_of_month():
    rec = SLAMetric(id="rec", name="復旧時間", unit="hours", target=4, direction="lower", kind="recovery_time")
    note = SLAMetric(id="note", name="障害通知時間", unit="minutes", target=30, direction="lower",
                     kind="incident_notification")
    outs = [Outage(start="2015-10-05 09:00", end="2015-10-05 10:30", member="A", notified="2015-10-05 09:40"),
            Outage(start="2015-10-20 09:00", end="2015-10-20 15:00", member="A", notified="2015-10-20 09:10"),
            Outage(start="2015-10-21 09:00", end="2015-10-21 23:00", planned=True),
            Outage(start="2015-11-02 09:00", end="2015-11-02 09:30")]
    got = incident_observations(outs, "H27.10", 2, notification=note, recovery=rec, members=["A", "B"])
    by = {(o.metric, o.month.iso(), o.member): o.value for o in got}
    assert by == {("note", "2015-10", "A"): 40.0, ("rec", "2015-10", "A"): 6.0, ("rec", "2015-11", "A"): 0.5,
                  ("rec", "2015-11", "B"): 0.5}


def test_percentile_observations_match_numpy():
    m = SLAMetric(id="resp", name="応答時間", unit="seconds", target=3, direction="lower", kind="response_time",
                  percentile=95)
    rng = np.random.default_rng(1)
    vals = rng.gamma(2.0, 0.8, 300)
    months = ["2015-10"] * 100 + ["2015-11"] * 200
    members = ["A", "B"] * 150
    got = percentile_observations(m, months, vals, members=members)
    want = {("2015-10", "A"): np.percentile(vals[:100][::2], 95), ("2015-11", "B"): np.percentile(vals[100:][1::2], 95)}
    by = {(o.month.iso(), o.member): o.value for o in got}
    for key, value in want.items():
        assert by[key] == value
    assert len(got) == 4


# -- observations and compliance -----------------------------------------------------------------
AV = SLAMetric(id="av", name="稼働率", unit="%", target=99.5, kind="availability")
AVQ = SLAMetric(id="avq", name="稼働率(四半期)", unit="%", target=99.8, kind="availability", window="quarterly",
                weight=2)
REC = SLAMetric(id="rec", name="復旧時間", unit="hours", target=4, direction="lower", kind="recovery_time")


def test_observation_table_rejects_duplicates_and_strays():
    o = Observation(metric="av", month="H27.10", value=99.9)
    with pytest.raises(ValidationError, match="duplicate"):
        ObservationTable.from_observations([o, o])
    with pytest.raises(ValidationError, match="unknown metric"):
        ObservationTable.from_observations([o], metrics=["rec"])
    with pytest.raises(ValidationError, match="month outside"):
        ObservationTable.from_observations([o], start="H27.11", months=2)
    with pytest.raises(ValidationError, match="unknown SLA items"):
        evaluate_sla([REC], ObservationTable.from_observations([o]))


def test_observation_table_round_trip():
    obs = (Observation(metric="av", month="H27.10", value=99.9, member="A", weight=10),
           Observation(metric="rec", month="H27.12", value=2.0))
    table = ObservationTable.from_observations(obs)
    assert table.months == (Month(2015, 10), Month(2015, 11), Month(2015, 12))
    assert set(table.observations()) == set(obs)
    assert ObservationTable.from_observations(table.observations()) == table
    assert not table.values.flags.writeable


def test_compliance_hand_worked():
    months = ["H27.10", "H27.11", "H27.12", "H28.01"]
    av_vals = [99.4, 99.9, 99.2, 100.0]
    obs = [Observation(metric="av", month=m, value=x, weight=w)
           for m, x, w in zip(months, av_vals, [1000, 1000, 2000, 1000], strict=True)]
    obs += [Observation(metric="avq", month=m, value=x, weight=w)
            for m, x, w in zip(months, av_vals, [1000, 1000, 2000, 1000], strict=True)]
    obs += [Observation(metric="rec", month="H27.11", value=5.0), Observation(metric="rec", month="H27.12", value=4.0)]
    c = evaluate_sla([AV, AVQ, REC], ObservationTable.from_observations(obs))
    k = c.metric_index("av")
    assert c.met[k, :, 0].tolist() == [False, True, False, True]
    assert c.streak[k, :, 0].tolist() == [1, 0, 1, 0]
    q = c.metric_index("avq")
    assert c.window_count[q] == 2
    # 3Q (Oct-Dec) weighted: (99.4*1000 + 99.9*1000 + 99.2*2000) / 4000 = 99.425
    assert c.window_values[q, 0, 0] == pytest.approx(99.425)
    assert c.window_label(q, 0) == "FY2015 3Q" and c.window_label(q, 1) == "FY2015 4Q"
    assert c.complete[q].tolist() == [True, False, False, False]  # 4Q has only January; the rest is padding
    assert c.window_exists[q].tolist() == [True, True, False, False]
    r = c.metric_index("rec")
    assert c.evaluated[r, :, 0].tolist() == [False, True, True, False]
    assert c.met[r, :, 0].tolist() == [False, False, True, False]  # 4.0 equals the target: met
    a = c.achievement()
    # av: 2 of 4 windows x 1 point; avq: 3Q missed, 4Q (January, 100 %) met x 2 points; rec: 1 of 2 x 1 point
    assert (int(a.achieved[0]), int(a.possible[0])) == (2 + 2 + 1, 4 + 4 + 2)
    assert a.fraction("") == Fraction(1, 2)
    # windows wholly within October-December: av Oct/Nov/Dec (1 met), avq 3Q (missed), rec Nov/Dec (1 met)
    q3 = c.achievement(months=("H27.10", "H27.12"))
    assert (int(q3.achieved[0]), int(q3.possible[0])) == (1 + 0 + 1, 3 + 2 + 2)
    assert c.achievement(fiscal_year=2016).possible.tolist() == [0]


def test_exact_fraction_and_integer_points():
    assert as_fraction(99.7, "target") == Fraction(997, 10)
    assert as_fraction("99.95", "target") == Fraction(1999, 20)
    assert integer_points([1.5, 1, 0.25]).tolist() == [6, 4, 1]
    assert integer_points([0, 0]).tolist() == [0, 0]
    with pytest.raises(ValidationError):
        as_fraction(float("nan"), "target")


@settings(deadline=None)
@given(jst.observation_tables(), st.data())
def test_adding_a_met_observation_never_lowers_achievement(table, data):
    metrics = [data.draw(jst.operations_metrics(id=m)) for m in table.metrics]
    before = evaluate_sla(metrics, table).achievement()
    k = data.draw(st.integers(0, len(metrics) - 1))
    t = data.draw(st.integers(0, table.values.shape[1] - 1))
    n = data.draw(st.integers(0, len(table.scopes) - 1))
    m = metrics[k]
    good = m.target + (data.draw(st.floats(0, 5)) if m.higher_is_better else -data.draw(st.floats(0, 5)))
    values = table.values.copy()
    observed = table.observed.copy()
    if observed[k, t, n]:
        values[k, t, n] = max(values[k, t, n], good) if m.higher_is_better else min(values[k, t, n], good)
    else:
        values[k, t, n] = good
    observed[k, t, n] = True
    after = evaluate_sla(metrics, ObservationTable.from_arrays(table.metrics, table.start, values, observed,
                                                               table.weights, scopes=table.scopes)).achievement()
    for i in range(len(table.scopes)):
        if before.possible[i] and after.possible[i]:
            assert Fraction(int(after.achieved[i]), int(after.possible[i])) >= \
                Fraction(int(before.achieved[i]), int(before.possible[i]))
        assert after.possible[i] >= before.possible[i]


def test_compliance_renders():
    obs = [Observation(metric="av", month="H27.10", value=99.0, member="A")]
    c = evaluate_sla([AV, REC], ObservationTable.from_observations(obs))
    assert "SLA達成状況" in c.to_text() and "SLA compliance" in c.to_text("en") and "<table" in c._repr_html_()
    assert repr(c).endswith("0 of 1 windows met)")
    pd = pytest.importorskip("pandas")
    df = c.to_dataframe()
    assert isinstance(df, pd.DataFrame) and len(df) == 1 and not df.loc[0, "met"]


# -- issue 19, item 6: a window exactly at its target meets it ---------------------------------------
@pytest.mark.parametrize(("downtime", "met"), [([136, 135, 127], True), ([136, 136, 127], False)])
def test_quarterly_availability_exactly_at_the_target_meets_it(downtime: list[int], met: bool) -> None:
    from jichitai_cloud.operations import Availability
    # 79,600 scheduled minutes in 3Q with 398 minutes down: exactly 99.5 %; float64's weighted mean of
    # the monthly percents was 99.49999999999999 (a miss).  One minute more is 99.49874 %: a miss.
    av = Availability(start=Month(2015, 10), scopes=(("A", ""),), scheduled=np.array([[34316], [34834], [10450]]),
                      downtime=np.array([[d] for d in downtime]))
    metric = SLAMetric(id="avq", name="稼働率(四半期)", unit="%", target=99.5, kind="availability", window="quarterly")
    c = evaluate_sla([metric], ObservationTable.from_observations(av.observations(metric)))
    assert c.met[0, 0, 0] == met and c.missed[0, 0, 0] == (not met)
    exact = Fraction(100 * (79600 - sum(downtime)), 79600)
    assert c.window_values[0, 0, 0] == float(exact)  # the correctly rounded exact mean, no float noise


@given(sched=st.lists(st.integers(1, 44_640), min_size=1, max_size=12), data=st.data())
def test_window_means_are_the_correctly_rounded_exact_means(sched: list[int], data: st.DataObject) -> None:
    down = [data.draw(st.integers(0, s)) for s in sched]
    t = len(sched)
    pct = np.array([100 * (s - d) / s for s, d in zip(sched, down, strict=True)])[None, :, None]
    w = np.array(sched, dtype=np.float64)[None, :, None]
    for how, want in ((1, Fraction(100 * (sum(sched) - sum(down)), sum(sched))),
                      (0, sum((Fraction(100 * (s - d), s) for s, d in zip(sched, down, strict=True)), Fraction(0)) / t)):
        got, _cnt = kernels.window_aggregate(pct, np.ones(pct.shape, bool), np.zeros((1, t), np.int64),
                                            np.array([how]), weights=w)
        if how == 1:
            assert got[0, 0, 0] == float(want)
        else:  # the monthly percents are already rounded: within float error of the exact mean
            assert abs(Fraction(float(got[0, 0, 0])) - want) <= Fraction(1, 10**9)
