"""Price points, qualification, thresholds, lottery, division method and exact rounding."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jichitai_cloud.errors import JichitaiCloudError, ValidationError
from jichitai_cloud.evaluation import (
    BidStatus,
    division_qualify,
    division_values,
    floating_threshold,
    investigation_threshold,
    lottery,
    price_points,
    qualify,
    round_points,
)
from jichitai_cloud.evaluation._kernels.division import division_reference
from jichitai_cloud.evaluation._kernels.price import PRICE_METHODS

# --------------------------------------------------------------------------- published / hand-worked


def test_ceiling_ratio_published_exam_example():
    # 情報処理技術者試験 (平成27年秋 基本情報 問66): ceiling 1,000万円, price points [1 - bid/ceiling] x 100
    bids = [7_000_000, 8_000_000, 9_000_000, 11_000_000]
    pts = price_points(bids, max_points=100, ceiling=10_000_000)
    np.testing.assert_allclose(pts, [30.0, 20.0, 10.0, 0.0])
    status = qualify(bids, ceiling=10_000_000)
    assert status.tolist() == [0, 0, 0, BidStatus.OVER_CEILING]
    totals = pts + np.array([50, 65, 80, 100])
    assert int(np.argmax(np.where(status == 0, totals, -1))) == 2  # C wins with 90 points


def test_piecewise_published_formula_hand_worked():
    # (100 - X) x {(1 - T/L) + 0.5 (T - b)/L} below the threshold, X = 20
    pts = price_points([8_000_000, 9_000_000, 8_500_000], max_points=80, ceiling=10_000_000,
                       method="piecewise", threshold=8_500_000)
    np.testing.assert_allclose(pts, [80 * (0.15 + 0.5 * 0.05), 80 * 0.1, 80 * 0.15])


def test_v_shape_matches_published_80_percent_form():
    L = 10_000_000
    bids = np.array([10_000_000, 9_000_000, 8_000_000, 7_000_000, 6_000_000])
    pts = price_points(bids, max_points=100, ceiling=L, method="v_shape", peak_share=0.8)
    above = (L - bids) / L * 100 + 80
    below = 120 - (L - bids) / L * 100
    np.testing.assert_allclose(pts, np.where(bids >= 0.8 * L, above, below))
    assert pts.tolist()[:3] == pytest.approx([80, 90, 100])


def test_floor_published_75_percent():
    pts = price_points([7_000_000, 7_500_000, 8_000_000], max_points=20, ceiling=10_000_000,
                       method="floor", floor_share=0.75)
    np.testing.assert_allclose(pts, [5.0, 5.0, 4.0])


def test_lowest_ratio_excludes_invalid_bids():
    pts = price_points([9_000_000, 12_000_000, 10_000_000], max_points=100, ceiling=11_000_000,
                       method="lowest_ratio")
    np.testing.assert_allclose(pts, [100.0, 0.0, 90.0])
    pts2 = price_points([9_000_000, 12_000_000], max_points=100, method="lowest_ratio")
    np.testing.assert_allclose(pts2, [100.0, 75.0])


def test_qualify_precedence_and_boundaries():
    st_ = qualify([100, 101, 69, 70, 79, 80], ceiling=100, minimum=70, investigation=80)
    assert st_.tolist() == [0, 1, 2, 3, 3, 0]


def test_threshold_ratio_two_thirds_published():
    # 予定価格 35,000,000 x 2/3 = 23,333,333 (変動型最低制限価格の算出例, ケース4)
    assert int(investigation_threshold(35_000_000, ratio="2/3")) == 23_333_333
    assert int(investigation_threshold(35_000_000, ratio=0.9)) == 31_500_000
    assert int(investigation_threshold(35_000_001, ratio=0.6, unit=10_000)) == 21_000_000


def test_threshold_components_central_model():
    costs = [70_000_000, 5_000_000, 15_000_000, 10_000_000]
    coef = [0.97, 0.90, 0.90, 0.68]
    raw = 67_900_000 + 4_500_000 + 13_500_000 + 6_800_000
    assert int(investigation_threshold(120_000_000, costs=costs, coefficients=coef)) == raw
    # clamped to 92 % of a 100,000,000 ceiling
    assert int(investigation_threshold(100_000_000, costs=costs, coefficients=coef, bounds=(0.75, 0.92))) == 92_000_000
    # clamped up to 75 %
    assert int(investigation_threshold(200_000_000, costs=costs, coefficients=coef, bounds=(0.75, 0.92))) == 150_000_000
    # each product truncated to the yen before adding
    assert int(investigation_threshold(10**9, costs=[3, 3], coefficients=[0.5, 0.5])) == 2


@pytest.mark.parametrize(
    ("bids", "expected"),
    [
        ([28_000_000, 30_000_000, 30_500_000, 30_700_000, 30_750_000, 30_800_000, 30_850_000, 30_900_000,
          30_950_000], 27_112_500),
        ([25_000_000, 30_000_000, 30_500_000, 30_700_000, 30_750_000, 30_800_000, 30_800_000, 30_900_000,
          30_950_000, 30_950_000], 26_813_571),
        ([28_000_000, 30_000_000, 30_500_000, 30_700_000, 30_750_000], 26_991_000),
    ],
)
def test_floating_threshold_published_cases(bids, expected):
    t = floating_threshold(bids, factor=0.9, ceiling=35_000_000, count_share=0.6, full_average_below=6)
    assert int(t) == expected


def test_floating_threshold_plain_average():
    assert int(floating_threshold([100, 200, 400], factor=0.9, ceiling=300)) == 135  # (100+200)/2 x 0.9
    assert int(floating_threshold([500], factor=0.9, ceiling=300)) == 0  # nothing valid


@pytest.mark.parametrize(
    ("numbers", "offsets", "winner"),
    [
        ([755, 242, 482, 176], None, 3),  # 芦屋市
        ([343, 887, 909, 776], [123, 550, 332, 5], 1),  # 徳島県: 466 + 437 + 241 + 781 = 1925, mod 4 = 1
        ([123, 456, 789], [254, 593, 618], 2),  # 大阪府 / 香川県: 377 + 049 + 407 = 833, mod 3 = 2
        ([369, 258, 198, 999, 373, 111], [275, 302, 321, 417, 453, 480], 4),  # 3,556 mod 6 = 4
    ],
)
def test_lottery_published_examples(numbers, offsets, winner):
    assert int(lottery(numbers, offsets=offsets)) == winner


def test_division_values_published_scale_and_truncation():
    v = division_values([130.0, 135.1], [249_245_000, 1_351_000_000], scale=100_000_000, truncate_decimals=4)
    assert v.tolist() == [52.1575, 10.0]  # 130/249,245,000 x 1e8 = 52.15751…; 135.1/1.351e9 x 1e8 = 10 exactly
    ref = division_reference(100, 250_000_000, scale=100_000_000, truncate_decimals=4)
    assert float(ref) == 40.0


def test_division_qualify():
    ok = division_qualify([130.0, 100.0, 100.0, 99.0], [240_000_000, 250_000_000, 260_000_000, 240_000_000],
                          base=100, ceiling=250_000_000)
    # at the ceiling with base points: value == reference -> valid; over the ceiling -> invalid;
    # fewer than base points at a lower bid: 99/240e6 = 4.125e-7 >= 100/250e6 = 4e-7 -> valid
    assert ok.tolist() == [True, True, False, True]
    assert division_qualify([95.0], [249_000_000], base=100, ceiling=250_000_000).tolist() == [False]


def test_round_points_exact_decimals():
    assert round_points([0.3, 0.29, 2.675, 1.005], 1, mode="truncate").tolist() == [0.3, 0.2, 2.6, 1.0]
    assert round_points([0.29, 2.675, 1.005, 0.125], 2, mode="half_up").tolist() == [0.29, 2.68, 1.01, 0.13]
    assert round_points([0.3, 0.31], 1, mode="ceil").tolist() == [0.3, 0.4]
    assert round_points(np.array([[0.3]]), 1, mode="truncate").shape == (1, 1)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"bids": [0, 5]}, "bids must be integer yen >= 1"),
        ({"bids": [1.5, 5]}, "whole yen"),
        ({"bids": [np.nan, 5]}, "finite"),
        ({"bids": [-3, 5]}, ">= 1"),
        ({"bids": [3, 5], "method": "nope"}, "method must be one of"),
        ({"bids": [3, 5], "method": "piecewise"}, "threshold is required"),
        ({"bids": [3, 5], "max_points": np.inf}, "finite"),
        ({"bids": [3, 5], "ceiling": None}, "ceiling is required"),
    ],
)
def test_price_points_rejects_bad_input(kwargs, match):
    args = {"max_points": 100, "ceiling": 10}
    args.update(kwargs)
    bids = args.pop("bids")
    with pytest.raises(ValidationError, match=match):
        price_points(bids, **args)


def test_errors_are_library_errors():
    with pytest.raises(JichitaiCloudError):
        qualify(5, ceiling=3)
    with pytest.raises(ValueError, match="ratio"):
        investigation_threshold(100, ratio=1.5)
    with pytest.raises(ValidationError, match="scale"):
        division_values([1.0], [1], scale=0)


# --------------------------------------------------------------------------- scalar vs batch

bid_lists = st.lists(st.integers(1, 10**10), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None)
@given(st.lists(bid_lists.filter(lambda b: len(b) == 4), min_size=1, max_size=5), st.sampled_from(PRICE_METHODS))
def test_price_points_batch_equals_rows(rows, method):
    bids = np.array(rows, dtype=np.int64)
    ceilings = bids.max(axis=1) + 1000
    thresholds = (ceilings * 8) // 10
    batch = price_points(bids, max_points=1000, ceiling=ceilings, method=method, threshold=thresholds)
    for i in range(len(rows)):
        row = price_points(bids[i], max_points=1000, ceiling=int(ceilings[i]), method=method,
                           threshold=int(thresholds[i]))
        np.testing.assert_array_equal(batch[i], row)
    st_b = qualify(bids, ceiling=ceilings, minimum=thresholds // 2, investigation=thresholds)
    for i in range(len(rows)):
        np.testing.assert_array_equal(
            st_b[i], qualify(bids[i], ceiling=int(ceilings[i]), minimum=int(thresholds[i] // 2),
                             investigation=int(thresholds[i])))


# --------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(bid_lists, st.integers(1, 10**10), st.sampled_from(["ceiling_ratio", "lowest_ratio", "piecewise", "floor"]),
       st.data())
def test_lower_bid_never_fewer_price_points(bids, ceiling, method, data):
    bids = np.array(bids)
    i = data.draw(st.integers(0, len(bids) - 1))
    lower = bids.copy()
    lower[i] = data.draw(st.integers(1, int(bids[i])))
    kw = {"max_points": 1000, "ceiling": ceiling, "method": method, "threshold": max(1, ceiling * 3 // 4)}
    before = price_points(bids, **kw)
    after = price_points(lower, **kw)
    assert after[i] >= before[i] - 1e-9 * 1000


@settings(max_examples=60, deadline=None)
@given(bid_lists, st.integers(1, 10**10), st.sampled_from(PRICE_METHODS), st.randoms(use_true_random=False))
def test_price_points_bounded_and_permutation_invariant(bids, ceiling, method, rnd):
    bids = np.array(bids)
    kw = {"max_points": 1000, "ceiling": ceiling, "method": method, "threshold": max(1, ceiling * 3 // 4),
          "below_slope": 0.5}
    pts = price_points(bids, **kw)
    valid = bids <= ceiling
    assert np.all(pts[~valid] == 0)
    assert np.all(pts[valid] >= -1e-9)
    assert np.all(pts[valid] <= 1000 + 1e-9)
    perm = list(range(len(bids)))
    rnd.shuffle(perm)
    np.testing.assert_allclose(price_points(bids[perm], **kw), pts[perm])


decimals_2 = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=80, deadline=None)
@given(st.lists(decimals_2, min_size=1, max_size=6), st.integers(1, 10**11), st.integers(0, 6))
def test_division_truncation_matches_exact_decimal(points, bid, d):
    vals = division_values([float(p) for p in points], [bid] * len(points), scale=100_000_000, truncate_decimals=d)
    for p, v in zip(points, vals.tolist(), strict=True):
        exact = Fraction(p) * 100_000_000 / bid
        q = Decimal(exact.numerator) / Decimal(exact.denominator)
        expected = (Fraction(exact.numerator * 10**d // exact.denominator, 10**d))
        assert v == float(expected), (p, bid, d, q)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
                min_size=1, max_size=6), st.integers(0, 4))
def test_round_points_matches_decimal_module(values, d):
    q = Decimal(1).scaleb(-d)
    got_t = round_points([float(x) for x in values], d, mode="truncate").tolist()
    got_h = round_points([float(x) for x in values], d, mode="half_up").tolist()
    assert got_t == [float(x.quantize(q, rounding=ROUND_DOWN)) for x in values]
    assert got_h == [float(x.quantize(q, rounding=ROUND_HALF_UP)) for x in values]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 10**9), min_size=1, max_size=10), st.integers(1, 10**9), st.randoms(use_true_random=False))
def test_floating_threshold_order_invariant_and_below_average(bids, ceiling, rnd):
    t = int(floating_threshold(bids, factor=0.9, ceiling=ceiling))
    shuffled = list(bids)
    rnd.shuffle(shuffled)
    assert int(floating_threshold(shuffled, factor=0.9, ceiling=ceiling)) == t
    valid = [b for b in bids if b <= ceiling]
    if valid:
        assert t == (sum(valid) // len(valid)) * 9 // 10
    else:
        assert t == 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 999), min_size=1, max_size=8))
def test_lottery_in_range_and_batch(numbers):
    w = int(lottery(numbers))
    assert 0 <= w < len(numbers)
    assert w == sum(numbers) % len(numbers)
    batch = lottery(np.array([numbers, numbers[::-1]]))
    assert batch.tolist() == [w, w]
