"""Tests of the cost-allocation kernels: ``split_costs``, ``largest_remainder``, ``apportion``.

Three ways each: hand-worked values, scalar and batch inputs agreeing, and properties (with an
exact rational oracle in ``allocation_oracle``).
"""

from __future__ import annotations

import math
from fractions import Fraction as Fr

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from allocation_oracle import exact_weights, near_tie, reference_split
from jichitai_cloud.allocation import TIE_RULES, apportion, equal_split, largest_remainder, split_costs
from jichitai_cloud.errors import InfeasibleAllocation, JichitaiCloudError, ValidationError

THREE = np.array([[1, 95_000], [1, 40_000], [1, 25_000]])  # equal, population


# ---------------------------------------------------------------------------------------------
# hand-worked values
# ---------------------------------------------------------------------------------------------
def test_three_seven_by_hand() -> None:
    # 30 % equally: 100,000 each; 70 % by population 95:40:25 of 160
    assert split_costs(1_000_000, THREE, [3, 7]).tolist() == [515_625, 275_000, 209_375]


def test_cap_redistributes_in_proportion() -> None:
    # A held at 450,000; the other 550,000 split 275,000 : 209,375 -> 312,258.06 / 237,741.94
    res = split_costs(1_000_000, THREE, [3, 7], caps=[450_000, 10**9, 10**9], return_binding=True)
    assert res.shares.tolist() == [450_000, 312_258, 237_742]
    assert res.binding.tolist() == [1, 0, 0]


def test_floor_redistributes_in_proportion() -> None:
    res = split_costs(1_000_000, THREE, [3, 7], floors=[0, 0, 300_000], return_binding=True)
    # 700,000 split 515,625 : 275,000 -> 456,521.7 / 243,478.3
    assert res.shares.tolist() == [456_522, 243_478, 300_000]
    assert res.binding.tolist() == [0, 0, -1]


def test_cap_and_floor_together() -> None:
    res = split_costs(1_000_000, THREE, [3, 7], caps=[450_000, 10**9, 10**9], floors=[0, 0, 300_000],
                      return_binding=True)
    assert res.shares.tolist() == [450_000, 250_000, 300_000]
    assert res.binding.tolist() == [1, 0, -1]


def test_repeated_rounds_until_nothing_binds() -> None:
    # capping A pushes B over its cap in the second round
    drivers = [[1, 100], [1, 60], [1, 40]]
    caps = [400, 330, 10**6]
    res = split_costs(1000, drivers, [0, 1], caps=caps, return_binding=True)
    assert res.shares.tolist() == [400, 330, 270]
    assert res.binding.tolist() == [1, 1, 0]
    # in one round B would have stayed below its cap: 600 * 60/100 = 360 > 330 only after A's cap
    assert 1000 * 60 // 200 < 330


def test_equal_split_tie_rules() -> None:
    ones = np.ones((3, 1))
    assert split_costs(10, ones, [1]).tolist() == [4, 3, 3]
    assert split_costs(10, ones, [1], tie="reverse_index").tolist() == [3, 3, 4]
    assert split_costs(1_000_000, ones, [1]).tolist() == [333_334, 333_333, 333_333]


def test_quota_tie_rules() -> None:
    # quotas 2.5 and 7.5: an exact tie in the remainder
    drivers = [[1], [3]]
    assert split_costs(10, drivers, [1], tie="index").tolist() == [3, 7]
    assert split_costs(10, drivers, [1], tie="larger_quota").tolist() == [2, 8]
    assert split_costs(10, drivers, [1], tie="smaller_quota").tolist() == [3, 7]
    assert split_costs(10, drivers, [1], tie="reverse_index").tolist() == [2, 8]


def test_thousand_yen_units_and_the_odd_yen() -> None:
    # 1,000,500 yen in 千円単位: 1,000 units and 500 yen.  Quotas in units: 515.883, 275.138, 209.480:
    # A takes the missing unit (largest remainder), C the 500 yen (next largest remainder)
    res = split_costs(1_000_500, THREE, [3, 7], unit=1000)
    assert res.tolist() == [516_000, 275_000, 209_500]
    assert res.sum() == 1_000_500
    assert split_costs(1_000_000, THREE, [3, 7], unit=1000).tolist() == [516_000, 275_000, 209_000]


def test_floor_then_lead() -> None:
    # every share truncated to 1,000 yen, the whole remainder to the largest member (A)
    res = split_costs(1_000_500, THREE, [3, 7], unit=1000, rounding="floor_then_lead")
    assert res.tolist() == [516_500, 275_000, 209_000]
    res = split_costs(1_000_500, THREE, [3, 7], unit=1000, rounding="floor_then_lead", lead=2)
    assert res.tolist() == [515_000, 275_000, 210_500]


def test_floor_then_lead_spills_when_the_lead_is_capped() -> None:
    res = split_costs(1_000_000, np.ones((4, 1)), [1], unit=300, rounding="floor_then_lead", lead=0,
                      caps=[250_200, 10**9, 10**9, 10**9])
    # quotas 250,000 each = 833.33 units; floors 833 -> 999,600 yen; 400 yen left = 1 unit + 100 yen
    # the lead's cap 250,200 = 834 units allows one more unit but not the 100 yen on top
    assert res.sum() == 1_000_000
    assert res[0] == 250_200
    assert (res <= [250_200, 10**9, 10**9, 10**9]).all()


def test_default_lead_is_the_largest_member_with_room() -> None:
    caps = [515_000, 10**9, 10**9]
    res = split_costs(1_000_000, THREE, [3, 7], unit=1000, rounding="floor_then_lead", caps=caps)
    assert res.sum() == 1_000_000
    assert res[0] == 515_000  # A is at its cap: B, the largest member with room, takes the remainder
    assert res[1] % 1000 == 0 and res[1] > 275_000


def test_zero_driver_member_gets_zero_unless_floored() -> None:
    drivers = [[1, 10], [0, 0], [1, 30]]
    assert split_costs(1001, drivers, [1, 1]).tolist()[1] == 0
    res = split_costs(1001, drivers, [1, 1], floors=[0, 100, 0])
    assert res[1] == 100 and res.sum() == 1001


def test_zero_total() -> None:
    assert split_costs(0, THREE, [3, 7]).tolist() == [0, 0, 0]
    assert split_costs(0, [[0], [0]], [1]).tolist() == [0, 0]


def test_caps_that_do_not_bind_change_nothing() -> None:
    rng = np.random.default_rng(7)
    x = rng.integers(1, 10_000, (50, 2)).astype(float)
    free = split_costs(123_456_789, x, [3, 7])
    capped = split_costs(123_456_789, x, [3, 7], caps=free + 1)
    assert np.array_equal(free, capped)
    assert np.array_equal(split_costs(123_456_789, x, [3, 7], caps=free), free)


def test_large_totals_exact() -> None:
    total = 2**52 - 12_345  # about 4.5e15 yen
    res = split_costs(total, THREE, [3, 7])
    assert int(res.sum()) == total
    exact = [Fr(total) * w for w in exact_weights(THREE.tolist(), [3, 7])]
    assert all(abs(Fr(int(s)) - e) < 1 for s, e in zip(res, exact, strict=True))


def test_caps_given_as_no_cap_sentinel_do_not_overflow() -> None:
    big = np.iinfo(np.int64).max
    res = split_costs(10**15, np.ones((3000, 1)), [1], caps=np.full(3000, big))
    assert int(res.sum()) == 10**15


def test_sub_unit_remainder_goes_below_the_cap() -> None:
    res = split_costs(2999, np.ones((3, 1)), [1], unit=1000, caps=[1000, 1000, 999_999])
    assert res.tolist()[2] == 999 and res.sum() == 2999


# ---------------------------------------------------------------------------------------------
# scalar and batch agree
# ---------------------------------------------------------------------------------------------
def test_batch_rows_equal_single_calls() -> None:
    rng = np.random.default_rng(11)
    s, n = 37, 23
    x = np.stack([np.ones((s, n)), rng.integers(100, 50_000, (s, n))], axis=-1)
    totals = rng.integers(10**6, 10**9, s)
    ratios = rng.integers(0, 10, (s, 2)) + np.array([1, 0])
    caps = (rng.random((s, n)) * 2 * totals[:, None] / n).astype(np.int64) + totals[:, None] // n
    floors = np.minimum(caps, rng.integers(0, 10_000, (s, n)))
    for kwargs in ({}, {"caps": caps}, {"floors": floors}, {"caps": caps, "floors": floors},
                   {"unit": 1000}, {"rounding": "floor_then_lead", "unit": 1000}):
        batch = split_costs(totals, x, ratios, **kwargs)  # type: ignore[call-overload]
        small = split_costs(totals, x, ratios, block_size=3, **kwargs)  # type: ignore[call-overload]
        assert np.array_equal(batch, small)
        for i in range(s):
            one_kwargs = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in kwargs.items()}
            one = split_costs(int(totals[i]), x[i], ratios[i], **one_kwargs)
            assert np.array_equal(batch[i], one), (kwargs, i)


def test_shared_drivers_broadcast() -> None:
    totals = np.array([1_000_000, 2_000_001, 7])
    res = split_costs(totals, THREE, [3, 7])
    assert res.shape == (3, 3)
    for i, t in enumerate(totals):
        assert np.array_equal(res[i], split_costs(int(t), THREE, [3, 7]))
    assert np.array_equal(split_costs(totals, np.broadcast_to(THREE, (3, 3, 2)), [3, 7]), res)


def test_leading_shape_kept() -> None:
    totals = np.arange(6).reshape(2, 3) * 1000 + 1
    res = split_costs(totals, THREE, [3, 7])
    assert res.shape == (2, 3, 3)
    assert np.array_equal(res.sum(axis=-1), totals)


def test_out_parameter() -> None:
    out = np.empty((2, 3), dtype=np.int64)
    res = split_costs(np.array([10, 20]), THREE, [3, 7], out=out)
    assert res is out and out.sum() == 30
    with pytest.raises(ValidationError):
        split_costs(np.array([10, 20]), THREE, [3, 7], out=np.empty((3, 2), dtype=np.int64))


# ---------------------------------------------------------------------------------------------
# the exact reference
# ---------------------------------------------------------------------------------------------
@st.composite
def problems(draw: st.DrawFn, *, bounds: bool = True) -> dict[str, object]:
    n = draw(st.integers(1, 9))
    d = draw(st.integers(1, 3))
    drivers = [[draw(st.integers(0, 60)) for _ in range(d)] for _ in range(n)]
    ratios = [draw(st.integers(0, 9)) for _ in range(d)]
    assume(sum(ratios) > 0)
    cols = [sum(r[j] for r in drivers) for j in range(d)]
    assume(all(c > 0 for c, r in zip(cols, ratios, strict=True) if r > 0))
    unit = draw(st.sampled_from([1, 1, 1, 7, 1000]))
    total = draw(st.integers(0, 200_000))
    w = exact_weights(drivers, ratios)
    caps = floors = None
    if bounds and draw(st.booleans()):
        caps = [draw(st.integers(0, 2 * total // n + 5 * unit)) for _ in range(n)]
    if bounds and draw(st.booleans()):
        floors = [draw(st.integers(0, total // (2 * n) + 1)) for _ in range(n)]
        if caps is not None:
            floors = [min(f, c) for f, c in zip(floors, caps, strict=True)]
    # keep it feasible in whole units
    k, rho = divmod(total, unit)
    cu = [c // unit for c in caps] if caps is not None else None
    fu = [-(-f // unit) for f in floors] if floors is not None else [0] * n
    if cu is not None:
        assume(all(f <= c for f, c in zip(fu, cu, strict=True)))
        cap_room = sum(c if wi > 0 else f for c, f, wi in zip(cu, fu, w, strict=True))
        assume(cap_room >= k + (rho > 0))
    else:
        assume(any(wi > 0 for wi in w) or total == 0)
    assume(sum(fu) <= k)
    return {"total": total, "drivers": drivers, "ratios": ratios, "caps": caps, "floors": floors, "unit": unit}


@settings(max_examples=150)
@given(problems(), st.sampled_from(TIE_RULES))
def test_matches_exact_reference(p: dict[str, object], tie: str) -> None:
    kw = {k: p[k] for k in ("caps", "floors", "unit")}
    res = split_costs(p["total"], np.array(p["drivers"], dtype=float), p["ratios"], tie=tie, **kw)  # type: ignore[call-overload]
    ref, exact = reference_split(p["total"], p["drivers"], p["ratios"], tie=tie, **kw)  # type: ignore[arg-type]
    total = p["total"]
    unit = p["unit"]
    assert int(res.sum()) == total
    for s, e in zip(res.tolist(), exact, strict=True):
        assert abs(Fr(s) - e) < unit  # within one unit of the exact share
    if p["caps"] is not None:
        assert (res <= np.array(p["caps"])).all()
    if p["floors"] is not None:
        assert (res >= np.array(p["floors"])).all()
    if not near_tie(total, p["drivers"], p["ratios"], **kw):  # type: ignore[arg-type]
        assert res.tolist() == ref


@settings(max_examples=60)
@given(problems(), st.integers(0, 8))
def test_floor_then_lead_matches_reference(p: dict[str, object], lead: int) -> None:
    lead = lead % len(p["drivers"])  # type: ignore[arg-type]
    kw = {k: p[k] for k in ("caps", "floors", "unit")}
    drivers = np.array(p["drivers"], dtype=float)
    res = split_costs(p["total"], drivers, p["ratios"], rounding="floor_then_lead", **kw)  # type: ignore[call-overload]
    ref, _ = reference_split(p["total"], p["drivers"], p["ratios"], rounding="floor_then_lead", **kw)  # type: ignore[arg-type]
    assert int(res.sum()) == p["total"]
    if not near_tie(p["total"], p["drivers"], p["ratios"], **kw):  # type: ignore[arg-type]
        assert res.tolist() == ref
    res2 = split_costs(p["total"], drivers, p["ratios"], rounding="floor_then_lead", lead=lead, **kw)  # type: ignore[call-overload]
    ref2, _ = reference_split(p["total"], p["drivers"], p["ratios"], rounding="floor_then_lead", lead=lead,
                              **kw)  # type: ignore[arg-type]
    if not near_tie(p["total"], p["drivers"], p["ratios"], **kw):  # type: ignore[arg-type]
        assert res2.tolist() == ref2
    if p["caps"] is not None:
        assert (res2 <= np.array(p["caps"])).all()


# ---------------------------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------------------------
@st.composite
def integer_problems(draw: st.DrawFn) -> tuple[int, np.ndarray, list[int]]:
    n = draw(st.integers(1, 40))
    pops = draw(st.lists(st.integers(1, 200_000), min_size=n, max_size=n))
    drivers = np.stack([np.ones(n), np.array(pops, dtype=float)], axis=1)
    ratios = [draw(st.integers(0, 10)), draw(st.integers(0, 10))]
    assume(sum(ratios) > 0)
    total = draw(st.integers(0, 10**12))
    return total, drivers, ratios


@given(integer_problems(), st.randoms(use_true_random=False))
def test_permutation_equivariance(p: tuple[int, np.ndarray, list[int]], rnd: object) -> None:
    total, drivers, ratios = p
    n = len(drivers)
    perm = list(range(n))
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    used = [j for j in range(2) if ratios[j] > 0]
    # caps that depend only on what the rule looks at, so that equal weights mean equal caps
    caps = (drivers[:, used].sum(axis=1).astype(np.int64) % 3 + 1) * (total // n + 1)
    a = split_costs(total, drivers, ratios, caps=caps)
    b = split_costs(total, drivers[perm], ratios, caps=caps[perm])
    # Interchangeable members (same weight, same cap) may swap a rounding unit, as exact ties are
    # broken by position: compare each class's shares as a multiset, and single members exactly
    # unless two different weights tie in their remainders.
    key = [tuple(drivers[i, used]) for i in range(n)]
    where = {i: j for j, i in enumerate(perm)}
    exact = not near_tie(total, drivers.tolist(), ratios, caps=caps.tolist())
    for k in set(key):
        idx = [i for i in range(n) if key[i] == k]
        assert sorted(a[idx].tolist()) == sorted(b[[where[i] for i in idx]].tolist())
        if exact and len(idx) == 1:
            assert a[idx[0]] == b[where[idx[0]]]


@given(integer_problems())
def test_equal_members_within_one_unit(p: tuple[int, np.ndarray, list[int]]) -> None:
    total, drivers, ratios = p
    drivers = np.vstack([drivers, drivers[:1], drivers[:1]])
    res = split_costs(total, drivers, ratios)
    same = [i for i in range(len(drivers)) if (drivers[i] == drivers[0]).all()]
    assert res[same].max() - res[same].min() <= 1


@given(integer_problems(), st.integers(0, 39), st.integers(1, 10_000), st.sampled_from(TIE_RULES))
def test_own_driver_rising_never_lowers_own_share(p: tuple[int, np.ndarray, list[int]], i: int, extra: int,
                                                 tie: str) -> None:
    total, drivers, ratios = p
    i %= len(drivers)
    more = drivers.copy()
    more[i, 1] += extra
    assert split_costs(total, more, ratios, tie=tie)[i] >= split_costs(total, drivers, ratios, tie=tie)[i]  # type: ignore[arg-type]


@given(integer_problems(), st.integers(2, 1000), st.integers(0, 1))
def test_scaling_a_driver_column_changes_nothing(p: tuple[int, np.ndarray, list[int]], k: int, col: int) -> None:
    total, drivers, ratios = p
    scaled = drivers.copy()
    scaled[:, col] *= k
    caps = np.full(len(drivers), total // max(1, len(drivers) - 1) + 1)
    assert np.array_equal(split_costs(total, scaled, ratios), split_costs(total, drivers, ratios))
    assert np.array_equal(split_costs(total, scaled, ratios, caps=caps), split_costs(total, drivers, ratios, caps=caps))


@given(st.integers(1, 300), st.integers(0, 10**13), st.sampled_from(TIE_RULES), st.sampled_from([1, 1000]))
def test_equal_driver_only_splits_equally(n: int, total: int, tie: str, unit: int) -> None:
    drivers = np.stack([np.ones(n), np.arange(n) + 1.0], axis=1)
    res = split_costs(total, drivers, [1, 0], tie=tie, unit=unit)  # type: ignore[arg-type]
    assert int(res.sum()) == total
    assert res.max() - res.min() <= unit


@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=12), integer_problems())
def test_batch_agrees_with_rows(totals: list[int], p: tuple[int, np.ndarray, list[int]]) -> None:
    _, drivers, ratios = p
    res = split_costs(np.array(totals), drivers, ratios)
    assert res.shape == (len(totals), len(drivers))
    for row, t in zip(res, totals, strict=True):
        assert np.array_equal(row, split_costs(t, drivers, ratios))


@given(integer_problems(), st.data())
def test_bounds_are_respected_and_sums_exact(p: tuple[int, np.ndarray, list[int]], data: st.DataObject) -> None:
    total, drivers, ratios = p
    n = len(drivers)
    unit = data.draw(st.sampled_from([1, 10]))
    base = split_costs(total, drivers, ratios)
    caps = np.array([data.draw(st.integers(int(b * 0.5), int(b * 1.5) + 1)) for b in base])
    short = -(-total // unit) - int((caps // unit).sum())
    if short > 0:  # make it feasible in whole units: the last member takes the rest
        caps[-1] += short * unit
    res = split_costs(total, drivers, ratios, caps=caps, unit=unit)
    assert int(res.sum()) == total and (res <= caps).all()
    floors = np.minimum(caps, np.array([data.draw(st.integers(0, int(b) + 1)) for b in base]))
    if floors.sum() > total:
        floors = floors * total // floors.sum()
    res = split_costs(total, drivers, ratios, caps=caps, floors=floors)
    assert int(res.sum()) == total and (res <= caps).all() and (res >= floors).all()
    assert n == len(res)


def test_unconstrained_members_keep_their_ratio() -> None:
    rng = np.random.default_rng(5)
    x = np.stack([np.ones(200), rng.integers(1000, 100_000, 200)], axis=1)
    free = split_costs(10**10, x, [3, 7])
    caps = np.where(np.arange(200) % 9 == 0, free * 3 // 4, 10**12)
    res = split_costs(10**10, x, [3, 7], caps=caps, return_binding=True)
    loose = res.binding == 0
    ratio = res.shares[loose] / free[loose]
    assert ratio.max() - ratio.min() < 1e-6  # one common factor (up to rounding to the yen)
    assert (res.shares[res.binding == 1] == caps[res.binding == 1]).all()


# ---------------------------------------------------------------------------------------------
# largest_remainder and apportion
# ---------------------------------------------------------------------------------------------
def _lexsort_reference(total: np.ndarray, q: np.ndarray, tie: str) -> np.ndarray:
    fl = np.floor(q)
    base = fl.astype(np.int64)
    deficit = total - base.sum(axis=-1)
    frac = q - fl
    idx = np.broadcast_to(np.arange(q.shape[-1]), q.shape)
    keys = {"index": (idx, -frac), "reverse_index": (-idx, -frac), "larger_quota": (idx, -q, -frac),
            "smaller_quota": (idx, q, -frac)}[tie]
    order = np.lexsort(keys, axis=-1)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(q.shape[-1]), order.shape), axis=-1)
    return base + (rank < deficit[..., None])


@given(st.integers(1, 50), st.integers(1, 6), st.integers(0, 10**6), st.sampled_from(TIE_RULES), st.integers(1, 12))
def test_largest_remainder_matches_sorting(n: int, rows: int, total: int, tie: str, levels: int) -> None:
    rng = np.random.default_rng(n * 1000 + rows + total % 97)
    w = rng.integers(0, levels, (rows, n)).astype(float) + 1
    t = np.full(rows, total)
    q = w * (t / w.sum(axis=1))[:, None]
    expect = _lexsort_reference(t, q, tie)
    assert np.array_equal(largest_remainder(t, q, tie=tie), expect)  # type: ignore[arg-type]


def test_apportion_examples() -> None:
    assert apportion(1_000_000, [1, 1, 1]).tolist() == [333_334, 333_333, 333_333]
    assert apportion(0, [0, 0]).tolist() == [0, 0]
    assert largest_remainder(10, [3.5, 3.5, 3.0]).tolist() == [4, 3, 3]
    with pytest.raises(ValidationError):
        apportion(5, [0, 0])
    with pytest.raises(ValidationError):
        largest_remainder(10, [1.0, 1.0])


# ---------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"drivers": [[1, np.nan], [1, 2]]}, "drivers"),
        ({"drivers": [[1, -1], [1, 2]]}, "drivers"),
        ({"drivers": [[1, np.inf], [1, 2]]}, "drivers"),
        ({"total": -1}, "total"),
        ({"total": 1.5}, "integer"),
        ({"total": 2**63 - 1}, "total"),
        ({"ratios": [0, 0]}, "ratios"),
        ({"ratios": [1, np.nan]}, "ratios"),
        ({"ratios": [1, -1]}, "ratios"),
        ({"ratios": [1, 2, 3]}, "ratios"),
        ({"caps": [1, -5]}, "caps"),
        ({"caps": [1.5, 2.5]}, "integer"),
        ({"floors": [0, -1]}, "floors"),
        ({"caps": [1, 2, 3]}, "caps"),
        ({"unit": 0}, "unit"),
        ({"rounding": "banker"}, "rounding"),
        ({"tie": "random"}, "tie"),
        ({"lead": 0}, "lead"),
        ({"drivers": [[0, 1], [0, 1]]}, "driver column 0"),
    ],
)
def test_bad_input_raises(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"total": 100, "drivers": [[1, 1], [1, 2]], "ratios": [1, 1]}
    args.update(kwargs)
    with pytest.raises(ValidationError, match=match):
        split_costs(**args)  # type: ignore[arg-type]


def test_lead_out_of_range() -> None:
    with pytest.raises(ValidationError, match="lead"):
        split_costs(100, THREE, [3, 7], rounding="floor_then_lead", lead=3)


def test_infeasible_caps_say_by_how_much() -> None:
    with pytest.raises(InfeasibleAllocation, match=r"less than the total 1,000,000 yen by 100,000 yen"):
        split_costs(1_000_000, THREE, [3, 7], caps=[300_000, 300_000, 300_000])
    with pytest.raises(InfeasibleAllocation) as err:
        split_costs(1_000_000, THREE, [3, 7], caps=[300_000] * 3)
    assert isinstance(err.value, JichitaiCloudError) and isinstance(err.value, ValueError)


def test_infeasible_floors_say_by_how_much() -> None:
    with pytest.raises(InfeasibleAllocation, match=r"more than the total 1,000 yen by 200 yen"):
        split_costs(1000, THREE, [3, 7], floors=[400, 400, 400])


def test_floor_above_cap() -> None:
    with pytest.raises(InfeasibleAllocation, match="member 1 has floor 500 yen above its cap 400 yen"):
        split_costs(1000, THREE, [3, 7], floors=[0, 500, 0], caps=[1000, 400, 1000])


def test_zero_driver_members_cannot_take_the_rest() -> None:
    with pytest.raises(InfeasibleAllocation, match="zero drivers"):
        split_costs(1000, [[1], [0]], [1], caps=[600, 1000])


def test_unit_caps_can_be_infeasible() -> None:
    # 3,000 yen in 1,000-yen units with caps of 1,500 yen: only one unit each fits
    with pytest.raises(InfeasibleAllocation, match="whole units of 1,000 yen"):
        split_costs(3000, [[1], [1]], [1], caps=[1500, 1500], unit=1000)


def test_scenario_named_in_errors() -> None:
    with pytest.raises(InfeasibleAllocation, match=r"scenario \[1\]"):
        split_costs(np.array([100, 1000]), THREE, [3, 7], caps=[200, 200, 200])


def test_huge_total_in_small_units_rejected() -> None:
    with pytest.raises(ValidationError, match="2\\*\\*52"):
        split_costs(2**60, THREE, [3, 7])
    assert int(split_costs(2**60, THREE, [3, 7], unit=2**10).sum()) == 2**60


def test_within_one_unit_of_float_quota_for_realistic_sizes() -> None:
    rng = np.random.default_rng(1)
    pop = rng.integers(3000, 400_000, 1741)
    x = np.stack([np.ones(1741), pop], axis=1)
    total = 1_390_000_000_000
    res = split_costs(total, x, [3, 7])
    q = total * (0.3 / 1741 + 0.7 * pop / pop.sum())
    assert np.abs(res - q).max() < 1.0 + 1e-3
    assert math.isclose(float(res.sum()), total)


def test_floor_then_lead_keeps_whole_quotas_whole() -> None:
    # 57 x 737 / 209 = 201 exactly, which floating point computes as 200.99999999999997:
    # truncation must still give 201, not hand the unit to the lead
    d = np.array([[48], [35], [9], [5], [7], [46], [2], [57]], dtype=float)
    res = split_costs(737, d, [1], rounding="floor_then_lead", lead=0)
    assert res.tolist() == [172, 123, 31, 17, 24, 162, 7, 201]


@given(st.integers(1, 30), st.integers(1, 5), st.integers(0, 10**9), st.sampled_from(TIE_RULES), st.data())
def test_equal_split_is_apportion_with_equal_weights(n: int, rows: int, top: int, tie: str,
                                                     data: st.DataObject) -> None:
    m = np.array(data.draw(st.lists(st.lists(st.booleans(), min_size=n, max_size=n), min_size=rows,
                                    max_size=rows)))
    total = np.array(data.draw(st.lists(st.integers(0, top), min_size=rows, max_size=rows)), dtype=np.int64)
    total[m.sum(axis=1) == 0] = 0
    got = equal_split(total, m, tie=tie)  # type: ignore[arg-type]
    assert np.array_equal(got, apportion(total, m.astype(float), tie=tie))  # type: ignore[arg-type]
    assert np.array_equal(got.sum(axis=1), total)
    assert (got[~m] == 0).all()


def test_equal_split_is_exact_beyond_float_precision() -> None:
    total = 2**62 + 1  # float division cannot represent total / 3 to the unit
    got = equal_split(total, [True, True, True])
    base, rest = divmod(total, 3)
    assert rest == 2
    assert got.tolist() == [base + 1, base + 1, base]
    assert sum(got.tolist()) == total
    with pytest.raises(ValidationError, match="marks no member"):
        equal_split(5, [False, False])
    with pytest.raises(ValidationError, match="boolean"):
        equal_split(5, [1, 0])
