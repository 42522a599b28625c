"""Kernels of jichitai_cloud.operations: hand-worked values, scalar vs batch, properties."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from jichitai_cloud.errors import ValidationError
from jichitai_cloud.operations import _kernels as k

WEEK_OPEN = np.array([510] * 5 + [0, 0])  # Mon-Fri 8:30-17:15, weekend closed
WEEK_CLOSE = np.array([1035] * 5 + [0, 0])


# -- references (straightforward loops) ----------------------------------------------------------
def ref_downtime(start, end, group, counted, planned, n_groups, boundaries, mask):
    """Minute by minute: down if in a counted outage, in no planned one, and in service hours."""
    t = mask.size
    out = np.zeros((n_groups, len(boundaries) - 1), dtype=np.int64)
    for g in range(n_groups):
        down = np.zeros(t, bool)
        excused = np.zeros(t, bool)
        for s, e, gg, c, p in zip(start, end, group, counted, planned, strict=True):
            if gg != g:
                continue
            if p:
                excused[s:e] = True
            elif c:
                down[s:e] = True
        minutes = down & ~excused & mask
        for m in range(len(boundaries) - 1):
            out[g, m] = minutes[boundaries[m]:boundaries[m + 1]].sum()
    return out


def ref_streaks(missed, evaluated):
    out = np.zeros(missed.shape, np.int64)
    run = 0
    for i in range(missed.size):
        if missed[i]:
            run += 1
            out[i] = run
        elif evaluated[i]:
            run = 0
    return out


# -- service calendar ----------------------------------------------------------------------------
def test_service_cumulative_office_week():
    f = k.service_cumulative(WEEK_OPEN, WEEK_CLOSE)
    assert f.shape == (7 * 1440 + 1,)
    assert f[-1] == 5 * 525  # 8:30-17:15 is 525 minutes
    assert f[510] == 0 and f[511] == 1 and f[1035] == 525 and f[1440 + 520] == 535
    assert list(k.scheduled_minutes(f, [0, 2 * 1440, 7 * 1440])) == [1050, 1575]


def test_service_cumulative_batch_agrees_with_single():
    op = np.stack([WEEK_OPEN, np.zeros(7, int)])
    cl = np.stack([WEEK_CLOSE, np.full(7, 1440)])
    f = k.service_cumulative(op, cl)
    assert np.array_equal(f[0], k.service_cumulative(WEEK_OPEN, WEEK_CLOSE))
    assert f[1, -1] == 7 * 1440


def test_service_cumulative_rejects_bad_windows():
    with pytest.raises(ValidationError):
        k.service_cumulative([600], [500])
    with pytest.raises(ValidationError):
        k.service_cumulative([0], [1441])


# -- outages -------------------------------------------------------------------------------------
def test_outage_downtime_hand_worked():
    f = k.service_cumulative(WEEK_OPEN, WEEK_CLOSE)
    b = [0, 3 * 1440, 7 * 1440]
    # day 0: unplanned 9:00-10:00 with a planned 9:30-9:45 inside -> 45 minutes
    # day 0: a customer-side outage 11:00-12:00 (neither counted nor planned) -> 0
    # day 2 23:00 .. day 3 09:00 crosses the month boundary: 0 minutes in month 0, 30 in month 1
    # day 5 (Saturday) 10:00-11:00: outside service hours -> 0
    start = [540, 570, 660, 2 * 1440 + 1380, 5 * 1440 + 600]
    end = [600, 585, 720, 3 * 1440 + 540, 5 * 1440 + 660]
    counted = [True, False, False, True, True]
    planned = [False, True, False, False, False]
    out = k.outage_downtime(start, end, [0] * 5, counted, planned, 1, b, f)
    assert out.tolist() == [[45, 30]]


def test_outage_overlaps_counted_once_and_groups_apart():
    f = k.service_cumulative(WEEK_OPEN, WEEK_CLOSE)
    out = k.outage_downtime([540, 560, 540], [600, 620, 600], [0, 0, 1], [True] * 3, [False] * 3,
                            3, [0, 7 * 1440], f)
    assert out.tolist() == [[80], [60], [0]]


def test_outage_calendar_per_group():
    f = np.stack([k.service_cumulative(WEEK_OPEN, WEEK_CLOSE), k.service_cumulative([0] * 7, [1440] * 7)])
    out = k.outage_downtime([0, 0], [1440, 1440], [0, 1], [True, True], [False, False], 2,
                            [0, 7 * 1440], f, calendar=[0, 1])
    assert out.tolist() == [[525], [1440]]


def test_outage_errors():
    f = k.service_cumulative(WEEK_OPEN, WEEK_CLOSE)
    with pytest.raises(ValidationError, match="ends"):
        k.outage_downtime([10], [5], [0], [True], [False], 1, [0, 100], f)
    with pytest.raises(ValidationError, match="n_groups"):
        k.outage_downtime([1], [5], [3], [True], [False], 1, [0, 100], f)
    with pytest.raises(ValidationError):
        k.outage_downtime([-1], [5], [0], [True], [False], 1, [0, 100], f)


@st.composite
def outage_logs(draw):
    days = draw(st.integers(1, 4))
    t = days * 1440
    n = draw(st.integers(0, 8))
    g = draw(st.integers(1, 3))
    start = draw(hnp.arrays(np.int64, n, elements=st.integers(0, t)))
    length = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 1500)))
    end = np.minimum(start + length, t)
    group = draw(hnp.arrays(np.int64, n, elements=st.integers(0, g - 1)))
    counted = draw(hnp.arrays(bool, n))
    planned = draw(hnp.arrays(bool, n))
    cut = sorted(draw(st.lists(st.integers(0, t), min_size=0, max_size=3)))
    boundaries = np.array([0, *cut, t])
    op = draw(hnp.arrays(np.int64, days, elements=st.integers(0, 1440)))
    cl = np.maximum(op, draw(hnp.arrays(np.int64, days, elements=st.integers(0, 1440))))
    return start, end, group, counted, planned, g, boundaries, op, cl


@settings(deadline=None)
@given(outage_logs())
def test_outage_downtime_matches_minute_by_minute_reference(log):
    start, end, group, counted, planned, g, b, op, cl = log
    f = k.service_cumulative(op, cl)
    mask = np.diff(f) > 0
    got = k.outage_downtime(start, end, group, counted, planned, g, b, f)
    want = ref_downtime(start, end, group, counted & ~planned, planned, g, b, mask)
    assert np.array_equal(got, want)
    sched = np.broadcast_to(k.scheduled_minutes(f, b), got.shape)
    ratio, defined = k.availability(sched, got)
    assert np.all((ratio >= 0) & (ratio <= 1))
    assert np.array_equal(defined, sched > 0)


@settings(deadline=None)
@given(outage_logs(), st.data())
def test_planned_outage_never_lowers_availability(log, data):
    start, end, group, counted, planned, g, b, op, cl = log
    f = k.service_cumulative(op, cl)
    t = f.size - 1
    s2 = data.draw(st.integers(0, t))
    e2 = data.draw(st.integers(s2, t))
    g2 = data.draw(st.integers(0, g - 1))
    before = k.outage_downtime(start, end, group, counted, planned, g, b, f)
    after = k.outage_downtime(np.append(start, s2), np.append(end, e2), np.append(group, g2),
                              np.append(counted, data.draw(st.booleans())), np.append(planned, True), g, b, f)
    assert np.all(after <= before)


def test_availability_hand_and_errors():
    ratio, defined = k.availability([10_500, 0], [52, 0])
    assert ratio[0] == (10_500 - 52) / 10_500 and ratio[1] == 1.0
    assert defined.tolist() == [True, False]
    with pytest.raises(ValidationError, match="exceed"):
        k.availability([10], [11])
    with pytest.raises(ValidationError):
        k.availability([10.5], [1])


# -- windows and compliance ----------------------------------------------------------------------
def ref_window(values, observed, window, how, weights):
    kk, t, n = values.shape
    w_max = window[:, -1].max() + 1
    out = np.zeros((kk, w_max, n))
    cnt = np.zeros((kk, w_max, n), np.int64)
    for a in range(kk):
        for w in range(window[a, -1] + 1):
            months = [i for i in range(t) if window[a, i] == w]
            for m in range(n):
                xs = [values[a, i, m] for i in months if observed[a, i, m]]
                ws = [weights[a, i, m] for i in months if observed[a, i, m]]
                cnt[a, w, m] = len(xs)
                if not xs:
                    continue
                out[a, w, m] = {0: np.mean(xs), 1: np.dot(xs, ws) / np.sum(ws) if xs else 0,
                                2: min(xs), 3: max(xs), 4: sum(xs)}[how[a]]
    return out, cnt


def fiscal_windows(t, months_per_window, offset=0):
    return (np.arange(t) + offset) // months_per_window - offset // months_per_window


def test_window_aggregate_hand_worked():
    v = np.array([[[99.0], [100.0], [98.0], [99.9]]])  # one metric, 4 months, 1 member
    obs = np.ones_like(v, bool)
    w = np.array([[0, 0, 0, 1]])
    for code, want in [(0, 99.0), (2, 98.0), (3, 100.0), (4, 297.0)]:
        got, cnt = k.window_aggregate(v, obs, w, [code])
        assert got[0, 0, 0] == pytest.approx(want) and got[0, 1, 0] == pytest.approx(99.9)
        assert cnt[0, :, 0].tolist() == [3, 1]
    wts = np.array([[[1.0], [3.0], [0.5], [1.0]]])
    got, _ = k.window_aggregate(v, obs, w, [1], weights=wts)
    assert got[0, 0, 0] == pytest.approx((99 + 300 + 49) / 4.5)


@settings(deadline=None)
@given(st.data())
def test_window_aggregate_matches_loop_and_batch(data):
    kk = data.draw(st.integers(1, 4))
    t = data.draw(st.integers(1, 14))
    n = data.draw(st.integers(1, 3))
    vals = data.draw(hnp.arrays(np.float64, (kk, t, n), elements=st.floats(0, 100)))
    obs = data.draw(hnp.arrays(bool, (kk, t, n)))
    wts = data.draw(hnp.arrays(np.float64, (kk, t, n), elements=st.floats(0.5, 10)))
    lengths = data.draw(st.lists(st.sampled_from([1, 3, 12]), min_size=kk, max_size=kk))
    offsets = data.draw(st.lists(st.integers(0, 11), min_size=kk, max_size=kk))
    window = np.stack([fiscal_windows(t, m, o % m) for m, o in zip(lengths, offsets, strict=True)])
    how = np.array(data.draw(st.lists(st.integers(0, 4), min_size=kk, max_size=kk)))
    got, cnt = k.window_aggregate(vals, obs, window, how, weights=wts)
    want, wcnt = ref_window(vals, obs, window, how, wts)
    assert np.array_equal(cnt, wcnt)
    assert np.allclose(got, want, rtol=1e-12, atol=1e-9)
    # batch: two scenarios stacked on a leading axis agree with each alone
    got2, cnt2 = k.window_aggregate(np.stack([vals, vals[::-1]]), np.stack([obs, obs[::-1]]), window, how,
                                    weights=np.stack([wts, wts[::-1]]))
    assert np.array_equal(got2[0], got) and np.array_equal(cnt2[0], cnt)
    single, _ = k.window_aggregate(vals[::-1], obs[::-1], window, how, weights=wts[::-1])
    assert np.array_equal(got2[1], single)


def test_window_aggregate_validation():
    v = np.zeros((1, 3, 1))
    with pytest.raises(ValidationError, match="rise"):
        k.window_aggregate(v, True, [[0, 2, 2]], [0])
    with pytest.raises(ValidationError, match="weights"):
        k.window_aggregate(v, True, [[0, 0, 1]], [1])
    with pytest.raises(ValidationError, match="finite"):
        k.window_aggregate(np.full((1, 3, 1), np.nan), True, [[0, 0, 1]], [0])
    # a NaN where nothing is observed is not data
    got, cnt = k.window_aggregate(np.full((1, 3, 1), np.nan), False, [[0, 0, 1]], [0])
    assert cnt.sum() == 0 and np.all(got == 0)


def test_compliance_target_equality_meets():
    v = np.array([[[99.5, 99.4]], [[60.0, 61.0]]])  # (K=2, W=1, N=2)
    met, missed = k.compliance(v, [[[True, True]], [[True, False]]], [99.5, 60.0], [True, False])
    assert met.tolist() == [[[True, False]], [[True, False]]]
    assert missed.tolist() == [[[False, True]], [[False, False]]]
    with pytest.raises(ValidationError):
        k.compliance(v, True, [np.nan, 1.0], [True, False])


@settings(deadline=None)
@given(st.data())
def test_adding_a_met_observation_never_lowers_achievement(data):
    kk, t, n = 3, 6, 2
    vals = data.draw(hnp.arrays(np.float64, (kk, t, n), elements=st.floats(90, 100)))
    obs = data.draw(hnp.arrays(bool, (kk, t, n)))
    target = np.array([99.0, 95.0, 97.0])
    higher = np.array([True, True, False])
    window = np.stack([fiscal_windows(t, 1), fiscal_windows(t, 3), fiscal_windows(t, 3, 1)])
    how = np.array(data.draw(st.lists(st.integers(0, 3), min_size=kk, max_size=kk)))  # no sum
    points = np.array(data.draw(st.lists(st.integers(0, 5), min_size=kk, max_size=kk)))

    def ach(vv, oo):
        wv, cnt = k.window_aggregate(vv, oo, window, how, weights=np.ones_like(vv))
        met, _ = k.compliance(wv, cnt > 0, target, higher)
        return k.achievement(met, cnt > 0, points)

    a0, p0 = ach(vals, obs)
    i = data.draw(st.integers(0, kk - 1))
    j = data.draw(st.integers(0, t - 1))
    m = data.draw(st.integers(0, n - 1))
    good = target[i] + data.draw(st.floats(0, 5)) * (1 if higher[i] else -1)
    v2, o2 = vals.copy(), obs.copy()
    if o2[i, j, m]:  # replace an observation by one that meets the target
        v2[i, j, m] = max(v2[i, j, m], good) if higher[i] else min(v2[i, j, m], good)
    else:
        v2[i, j, m] = good
    o2[i, j, m] = True
    a1, p1 = ach(v2, o2)
    for x0, y0, x1, y1 in zip(a0, p0, a1, p1, strict=True):
        r0 = Fraction(int(x0), int(y0)) if y0 else Fraction(0)
        r1 = Fraction(int(x1), int(y1)) if y1 else Fraction(0)
        assert r1 >= r0 or y0 == 0


def test_achievement_hand_worked():
    met = np.array([[[True], [False]], [[True], [True]]])  # K=2, W=2, N=1
    ev = np.ones_like(met)
    a, p = k.achievement(met, ev, [3, 1])
    assert (a.tolist(), p.tolist()) == ([5], [8])


# -- streaks -------------------------------------------------------------------------------------
def test_miss_streaks_hand_worked():
    missed = np.array([1, 1, 0, 1, 0, 1, 1], bool)
    ev = np.array([1, 1, 1, 1, 0, 1, 0], bool) | missed
    assert k.miss_streaks(missed, ev, axis=0).tolist() == [1, 2, 0, 1, 0, 2, 3]


@settings(deadline=None)
@given(hnp.arrays(bool, (3, 9)), hnp.arrays(bool, (3, 9)))
def test_miss_streaks_match_loop(missed, ev):
    ev = ev | missed
    got = k.miss_streaks(missed, ev, axis=1)
    for r in range(3):
        assert got[r].tolist() == ref_streaks(missed[r], ev[r]).tolist()


# -- error budget, fee reduction, credits, points -------------------------------------------------
def test_error_budget_hand_worked():
    # 21 weekdays x 525 minutes = 11,025 minutes; 0.5 % of that is 55.125 -> 55 minutes allowed
    assert k.error_budget(11_025, 995, 1000).tolist() == 55
    assert k.error_budget([0, 200], 995, 1000).tolist() == [0, 1]


@settings(deadline=None)
@given(st.integers(0, 10**7), st.integers(0, 10**7), st.integers(1, 10**6), st.data())
def test_error_budget_agrees_with_exact_availability(sched, down, den, data):
    num = data.draw(st.integers(0, den))
    down = min(down, sched)
    allowed = int(k.error_budget(sched, num, den))
    assert allowed == (sched * (den - num)) // den
    if sched:
        assert (down <= allowed) == (Fraction(sched - down, sched) >= Fraction(num, den))


def test_fee_reduction_hand_worked():
    # annual fee 12,000,000 yen, 95 % achieved -> 5 % = 600,000 yen
    assert int(k.fee_reduction(12_000_000, 95, 100)) == 600_000
    # 2 of 3 points achieved on 1,000,000 yen -> floor(333,333.33) = 333,333
    assert int(k.fee_reduction(1_000_000, 2, 3)) == 333_333
    assert int(k.fee_reduction(1_000_000, 0, 0)) == 0  # nothing evaluated, nothing reduced
    with pytest.raises(ValidationError):
        k.fee_reduction(-1, 1, 2)
    with pytest.raises(ValidationError):
        k.fee_reduction(100, 3, 2)


@settings(deadline=None)
@given(hnp.arrays(np.int64, 5, elements=st.integers(0, 10**12)), st.integers(1, 10**6), st.data())
def test_fee_reduction_exact_bounded_and_monotone(fees, possible, data):
    achieved = np.array(data.draw(st.lists(st.integers(0, possible), min_size=5, max_size=5)))
    red = k.fee_reduction(fees, achieved, possible)
    for f, a, r in zip(fees, achieved, red, strict=True):
        assert int(r) == int(f) * (possible - int(a)) // possible
        assert 0 <= r <= f
    # one more missed point never lowers the reduction
    worse = np.maximum(achieved - 1, 0)
    assert np.all(k.fee_reduction(fees, worse, possible) >= red)
    # scalar and batch agree
    assert int(k.fee_reduction(int(fees[0]), int(achieved[0]), possible)) == red[0]


def test_service_credit_bands():
    th = [95.0, 99.0, 99.5]
    bp = [2500, 1000, 500, 0]  # <95: 25 %, 95-99: 10 %, 99-99.5: 5 %, >=99.5: 0
    band, credit = k.service_credit([99.7, 99.5, 99.2, 96.0, 90.0], th, bp, 1_000_001)
    assert band.tolist() == [3, 3, 2, 1, 0]
    assert credit.tolist() == [0, 0, 50_000, 100_000, 250_000]
    with pytest.raises(ValidationError, match="never rise"):
        k.service_credit([99.0], th, [0, 100, 0, 0], 100)


@settings(deadline=None)
@given(hnp.arrays(np.float64, 6, elements=st.floats(80, 100)), st.integers(0, 10**10))
def test_service_credit_monotone_in_availability(values, fee):
    th, bp = [95.0, 99.0, 99.5], [2500, 1000, 500, 0]
    order = np.sort(values)
    _, credit = k.service_credit(order, th, bp, fee)
    assert np.all(np.diff(credit) <= 0)


def test_penalty_points_hand_worked():
    missed = np.zeros((1, 6, 1), bool)
    missed[0, [0, 1, 2, 3, 5], 0] = True
    ev = np.ones_like(missed)
    earned, balance = k.penalty_points(missed, ev, [1], multiplier=2, cap=3, expiry=3)
    assert earned[0, :, 0].tolist() == [1, 2, 4, 4, 0, 1]
    assert balance[:, 0].tolist() == [1, 3, 7, 10, 8, 5]


@settings(deadline=None)
@given(hnp.arrays(bool, (2, 8, 2)), hnp.arrays(bool, (2, 8, 2)), st.integers(0, 1), st.integers(0, 7),
       st.integers(0, 1), st.integers(1, 3), st.integers(1, 4), st.integers(1, 9))
def test_penalty_points_monotone_in_misses(missed, ev, i, j, m, mult, cap, expiry):
    ev = ev | missed
    base = np.array([1, 3])
    e0, b0 = k.penalty_points(missed, ev, base, mult, cap, expiry)
    more = missed.copy()
    more[i, j, m] = True
    e1, b1 = k.penalty_points(more, ev | more, base, mult, cap, expiry)
    assert np.all(e1 >= e0) and np.all(b1 >= b0)
    assert e1.sum() > e0.sum() or missed[i, j, m]


def test_penalty_points_validation():
    with pytest.raises(ValidationError, match="multiplier"):
        k.penalty_points(np.zeros((1, 1, 1), bool), True, [1], multiplier=0)


# -- grouped statistics --------------------------------------------------------------------------
@settings(deadline=None)
@given(hnp.arrays(np.float64, st.integers(0, 40), elements=st.floats(0, 1e4)), st.data())
def test_grouped_percentile_matches_numpy(values, data):
    g = np.array(data.draw(st.lists(st.integers(0, 3), min_size=values.size, max_size=values.size)), dtype=int)
    q = data.draw(st.floats(0, 100))
    got, cnt = k.grouped_percentile(values, g, 4, q)
    for i in range(4):
        sel = values[g == i]
        assert cnt[i] == sel.size
        assert got[i] == (np.percentile(sel, q) if sel.size else 0.0)
    many, _ = k.grouped_percentile(values, g, 4, [q, 50.0])
    assert np.array_equal(many[0], got)


def test_grouped_max():
    mx, cnt = k.grouped_max([30.0, 120.0, 45.0], [0, 0, 2], 3)
    assert mx.tolist() == [120.0, 0.0, 45.0] and cnt.tolist() == [2, 0, 1]


# -- weighted scores -----------------------------------------------------------------------------
def test_weighted_scores_hand_and_batch():
    score, _pts, total = k.weighted_scores([99.7, 0.6, 2.0], [99.0, 0.0, 10.0], [100.0, 1.0, 0.0], [40, 30, 30])
    assert score == pytest.approx([0.7, 0.6, 0.8])
    assert total == pytest.approx(28 + 18 + 24)
    s2, _, t2 = k.weighted_scores([[99.7, 0.6, 2.0], [98.0, 1.5, 12.0]], [99.0, 0.0, 10.0], [100.0, 1.0, 0.0],
                                  [40, 30, 30])
    assert np.array_equal(s2[0], score) and t2[1] == 30.0
    with pytest.raises(ValidationError, match="differ"):
        k.weighted_scores([1.0], [1.0], [1.0], [1.0])


def test_down_intervals_merge_and_subtract():
    # counted 0-100 and 50-150 merge; planned 80-120 cuts them; counted 150-160 touches -> merged with 120-150
    a, b, g = k.down_intervals([0, 50, 80, 150, 10], [100, 150, 120, 160, 20], [0, 0, 0, 0, 1],
                               [True, True, False, True, False], [False, False, True, False, False])
    assert list(zip(a.tolist(), b.tolist(), g.tolist(), strict=True)) == [(0, 80, 0), (120, 160, 0)]


def test_service_minutes_by_month_splits_at_boundaries():
    f = k.service_cumulative([0] * 4, [1440] * 4)  # round the clock, 4 days
    out = k.service_minutes_by_month([1000, 100], [3000, 200], [0, 1], 2, [0, 1440, 2880, 5760], f)
    assert out.tolist() == [[440, 1440, 120], [100, 0, 0]]


def test_kernels_import_only_numpy_errors_and_numeric():
    import ast
    from pathlib import Path

    modules = sorted(Path(k.__file__).parent.glob("*.py"))  # every module of the _kernels package
    assert {m.name for m in modules} >= {"__init__.py", "_sla.py", "_money.py"}
    imported = {(n.module or "") if isinstance(n, ast.ImportFrom) else a.name
                for m in modules for n in ast.walk(ast.parse(m.read_text(encoding="utf-8")))
                if isinstance(n, ast.Import | ast.ImportFrom)
                for a in (n.names if isinstance(n, ast.Import) else [n])}
    assert imported <= {"__future__", "typing", "numpy", "numpy.typing", "errors", "_numeric._checks",
                        "_numeric._dask", "_money", "_sla"}, imported
