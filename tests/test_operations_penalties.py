"""Penalties and credits in integer yen: fee reduction, penalty points, service credits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jichitai_cloud import SLAMetric, ValidationError
from jichitai_cloud.model import Observation, Outage, ServiceCalendar
from jichitai_cloud.operations import (
    CreditBand,
    FeeReductionRule,
    ObservationTable,
    PenaltyPointRule,
    ServiceCreditScheme,
    availability_from_outages,
    evaluate_sla,
    fee_reduction,
    penalty_points,
    reduce_fee,
    service_credits,
)
from jichitai_cloud.testing import strategies as jst

AV = SLAMetric(id="av", name="稼働率", unit="%", target=99.5, kind="availability", weight=3, penalty_points=3)
BK = SLAMetric(id="bk", name="バックアップ", unit="%", target=100, kind="backup_completion", weight=1)
INQ = SLAMetric(id="inq", name="問合せ回答率", unit="%", target=90, window="quarterly", weight=2, penalty_points=2)
SCHEME = ServiceCreditScheme(bands=[CreditBand(min_availability=99.5, credit_percent=0),
                                    CreditBand(min_availability=99.0, credit_percent=5),
                                    CreditBand(min_availability=95.0, credit_percent=10),
                                    CreditBand(min_availability=0, credit_percent=25)])


def test_reduce_fee_is_exact_for_decimal_percentages():
    # 100 - 99.7 = 0.3 %: a float computation gives 35,999 yen; the exact answer is 36,000
    assert reduce_fee(12_000_000, 99.7) == 36_000
    assert reduce_fee(12_000_000, 98.7) == 156_000
    assert reduce_fee(12_000_000, "95") == 600_000
    assert reduce_fee(1_000, 66.666) == 333  # floor(333.34)
    assert reduce_fee(10**12, 100) == 0 and reduce_fee(10**12, 0) == 10**12
    with pytest.raises(ValidationError):
        reduce_fee(1000, 101)
    with pytest.raises(ValidationError):
        reduce_fee(1000.0, 50)  # type: ignore[arg-type]


def _compliance(av_values, members=("A", "B")):
    obs = [Observation(metric="av", month=f"2015-{4 + i:02d}", value=x, member=m)
           for i, row in enumerate(av_values) for x, m in zip(row, members, strict=True)]
    obs += [Observation(metric="bk", month="2015-04", value=100.0, member=m) for m in members]
    return evaluate_sla([AV, BK], ObservationTable.from_observations(obs))


def test_fee_reduction_hand_worked():
    # A: av misses 1 of 3 months (3 points each), bk met (1 point): 7 of 10 points -> 70 %
    c = _compliance([[99.0, 100.0], [100.0, 100.0], [100.0, 99.8]])
    fr = fee_reduction(c, {"A": 114_000_000, "B": 50_000_000}, fiscal_year=2015)
    assert fr.achieved.tolist() == [7, 10] and fr.possible.tolist() == [10, 10]
    assert fr.reduction.tolist() == [34_200_000, 0]  # 114,000,000 x (100 - 70) / 100
    capped = fee_reduction(c, {"A": 114_000_000}, rule=FeeReductionRule(cap_percent=10))
    assert capped.reduction.tolist() == [11_400_000]
    assert fee_reduction(c, {"A": 114_000_000}, rule=FeeReductionRule(threshold_percent=70)).reduction.tolist() == [0]
    assert fee_reduction(c, {"A": 114_000_000}, rule=FeeReductionRule(threshold_percent=70.5)).total == 34_200_000
    assert fee_reduction(c, {"A": 1_000}, fiscal_year=2016).reduction.tolist() == [0]  # nothing evaluated
    with pytest.raises(ValidationError, match="scopes"):
        fee_reduction(c, {"Z": 1_000})
    assert "34,200,000" in fr.to_text() and fr.total == 34_200_000


@settings(deadline=None)
@given(st.lists(st.lists(st.floats(98.0, 100.0), min_size=2, max_size=2), min_size=1, max_size=6),
       st.integers(0, 5), st.integers(0, 1), st.integers(0, 10**11), st.data())
def test_fee_reduction_and_points_monotone_in_misses(rows, i, j, fee, data):
    i = i % len(rows)
    base = _compliance(rows)
    worse_rows = [list(r) for r in rows]
    worse_rows[i][j] = min(worse_rows[i][j], 99.0)  # one more (or the same) miss
    worse = _compliance(worse_rows)
    fees = {"A": fee, "B": fee}
    rule = FeeReductionRule(cap_percent=data.draw(st.one_of(st.none(), st.sampled_from([5.0, 10.0, 50.0]))))
    assert np.all(fee_reduction(worse, fees, rule=rule).reduction >= fee_reduction(base, fees, rule=rule).reduction)
    prule = data.draw(jst.penalty_point_rules())
    p0, p1 = penalty_points(base, prule), penalty_points(worse, prule)
    assert np.all(p1.earned >= p0.earned) and np.all(p1.balance >= p0.balance) and np.all(p1.yen >= p0.yen)


def test_penalty_points_hand_worked():
    # av missed in April, May, June, August for A: 3, 6, 12 points (x2 per repeat, capped at 4x), then 3 again
    c = _compliance([[99.0, 100.0], [99.0, 100.0], [99.0, 100.0], [100.0, 100.0], [99.0, 100.0]])
    pp = penalty_points(c, PenaltyPointRule(multiplier=2, cap=3, expiry_months=3, yen_per_point=10_000, threshold=20))
    a = c.scopes.index(("A", ""))
    assert pp.earned[0, :, a].tolist() == [3, 6, 12, 0, 3]
    assert pp.balance[:, a].tolist() == [3, 9, 21, 18, 15]
    assert pp.yen[:, a].tolist() == [30_000, 60_000, 120_000, 0, 30_000]
    assert pp.flagged[:, a].tolist() == [False, False, True, False, False]


def test_penalty_points_book_a_window_miss_in_its_last_month():
    obs = [Observation(metric="inq", month=m, value=x) for m, x in
           [("2015-04", 80.0), ("2015-05", 85.0), ("2015-06", 92.0), ("2015-07", 80.0)]]
    c = evaluate_sla([INQ], ObservationTable.from_observations(obs))
    pp = penalty_points(c, PenaltyPointRule(multiplier=3))
    # 1Q mean 85.67 misses -> 2 points in June; 2Q so far (July, 80) misses -> 2 x 3 = 6 points, booked in July
    # (the last month of the table, the window being incomplete)
    assert pp.earned[0, :, 0].tolist() == [0, 0, 2, 6]


def test_service_credits_by_band():
    outs = [Outage(start="2015-10-05 09:00", end="2015-10-05 10:00", member="A"),     # 60 / 11,025: 99.46 %
            Outage(start="2015-10-06 09:00", end="2015-10-06 17:15", member="B")]     # 495 / 11,025: 95.5 %
    cal = ServiceCalendar(holidays=["2015-10-12"])
    av = availability_from_outages(outs, cal, "H27.10", 1, members=["A", "B", "C"])
    sc = service_credits(av, SCHEME, {"A": 9_500_000, "B": 4_166_666, "C": 3_000_000})
    assert sc.band.tolist() == [[2, 1, 3]]
    assert sc.credit.tolist() == [[475_000, 416_666, 0]]
    assert sc.total == 891_666
    with pytest.raises(ValidationError, match="no fee"):
        service_credits(av, SCHEME, {"A": 1})


@settings(deadline=None)
@given(st.lists(jst.outages(members=("", "A")), max_size=5), jst.outages(members=("", "A")),
       jst.credit_schemes(), st.integers(0, 10**9))
def test_service_credits_monotone_in_outages(outs, extra, scheme, fee):
    import attrs

    cal = ServiceCalendar()
    unplanned = attrs.evolve(extra, planned=False, cause="vendor")
    a0 = availability_from_outages(outs, cal, "2015-04", 3, members=["A"])
    a1 = availability_from_outages([*outs, unplanned], cal, "2015-04", 3, members=["A"])
    c0 = service_credits(a0, scheme, {"A": fee}).credit
    c1 = service_credits(a1, scheme, {"A": fee}).credit
    assert np.all(c1 >= c0) and np.all(c1 <= fee)


def test_credit_scheme_validation():
    with pytest.raises(ValidationError, match="start at 0"):
        ServiceCreditScheme(bands=[CreditBand(min_availability=99.5, credit_percent=0)])
    with pytest.raises(ValidationError, match="never earn a larger"):
        ServiceCreditScheme(bands=[CreditBand(min_availability=0, credit_percent=0),
                                   CreditBand(min_availability=99, credit_percent=5)])
    with pytest.raises(ValidationError, match=r"0\.01"):
        CreditBand(min_availability=0, credit_percent=0.005).credit_bp  # noqa: B018
    assert SCHEME.credit(99.2, 1_000_001) == 50_000
