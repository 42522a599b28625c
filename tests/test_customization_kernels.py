"""Kernels share_quotes, drop_out_rounds, stable_adopters, would_rejoin: published values, batches, properties."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jichitai_cloud.allocation import apportion
from jichitai_cloud.customization import (
    MAX_YEN,
    drop_out_rounds,
    share_quotes,
    stable_adopters,
    would_rejoin,
)
from jichitai_cloud.errors import JichitaiCloudError, QuoteError, ValidationError
from jichitai_cloud.testing._customization import share_problems, willingness_problems

# -- straightforward references (pure Python, one request at a time) --------------------------------


def ref_share(quotes: list[int], adopters: list[bool]) -> list[int]:
    k = sum(adopters)
    if k == 0:
        return [0] * len(adopters)
    base, extra = divmod(quotes[k], k)
    out, seen = [], 0
    for a in adopters:
        if a:
            out.append(base + (1 if seen < extra else 0))
            seen += 1
        else:
            out.append(0)
    return out


def ref_rounds(quotes: list[int], willing: list[int]) -> list[int]:
    active = [w > 0 for w in willing]
    rounds = [0] * len(willing)
    j = 0
    while True:
        j += 1
        k = sum(active)
        if k == 0:
            return rounds
        share = Fraction(quotes[k], k)
        drop = [a and w < share for a, w in zip(active, willing, strict=True)]
        if not any(drop):
            return rounds
        for i, d in enumerate(drop):
            if d:
                rounds[i] = j
                active[i] = False


def is_stable(quotes: list[int], willing: list[int], s: tuple[int, ...]) -> bool:
    k = len(s)
    return all(willing[i] > 0 and willing[i] * k >= quotes[k] for i in s)


# -- published and hand-worked values ---------------------------------------------------------------

# 選挙 入場券生年月日項目追加 (request 2 of the comparison table): 1,200,000 for 6 adopters
# (200,000 each), 800,000 for 2 (400,000 each), 700,000 for 1.
ELECTION = [0, 700_000, 800_000, 0, 0, 0, 1_200_000]


def test_published_shares_of_the_comparison_table() -> None:
    q = np.array([ELECTION, ELECTION, ELECTION])
    a = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]], dtype=bool)
    assert share_quotes(q, a).tolist() == [
        [200_000] * 6,
        [400_000, 400_000, 0, 0, 0, 0],
        [700_000, 0, 0, 0, 0, 0],
    ]
    # 窓口支援 (request 16-1): 3,400,000 shared by A and C, 1,700,000 each.
    assert share_quotes([[0, 0, 3_400_000, 0]], [[True, False, True]]).tolist() == [[1_700_000, 0, 1_700_000]]


def test_remainder_yen_go_to_lower_member_index() -> None:
    assert share_quotes([[0, 0, 0, 100]], [[True, True, True]]).tolist() == [[34, 33, 33]]
    assert share_quotes([[0, 0, 0, 101]], [[True, True, True]]).tolist() == [[34, 34, 33]]
    # non-adopters do not take part in the rounding
    assert share_quotes([[0, 0, 101, 0, 0]], [[False, True, False, True]]).tolist() == [[0, 51, 0, 50]]


def test_share_quotes_uses_the_allocation_modules_rounding() -> None:
    rng = np.random.default_rng(6)
    q = rng.integers(0, 10**9, size=(50, 8))
    q[:, 0] = 0
    a = rng.random((50, 7)) < 0.5
    k = a.sum(-1)
    total = q[np.arange(50), k]
    total[k == 0] = 0
    q[k == 0, 0] = 0
    expected = apportion(total, a.astype(float), tie="index")
    np.testing.assert_array_equal(share_quotes(q, a), expected)


def test_election_tickets_drop_out_like_the_document() -> None:
    # Four members leave at 200,000 (6 adopters), B at 400,000 (2 adopters); A pays 700,000 alone.
    w = [[700_000, 250_000, 150_000, 150_000, 150_000, 150_000]]
    assert drop_out_rounds([ELECTION], w).tolist() == [[0, 2, 1, 1, 1, 1]]
    assert stable_adopters([ELECTION], w).tolist() == [[True, False, False, False, False, False]]


def test_exact_rational_comparison_not_rounded_share() -> None:
    # quote 100 for 3: equal share 33.33…; a member willing to pay 33 (the floor share) drops,
    # 34 (the ceiling share) stays.
    q = [[0, 100, 60, 100]]
    assert stable_adopters(q, [[34, 34, 34]]).tolist() == [[True, True, True]]
    assert drop_out_rounds(q, [[34, 33, 34]]).tolist() == [[0, 1, 0]]  # then 60 / 2 = 30 <= 34
    # exactly equal to the share stays
    assert stable_adopters([[0, 0, 0, 99]], [[33, 33, 33]]).tolist() == [[True, True, True]]


def test_uninterested_members_never_join() -> None:
    q = [[0, 0, 0, 0]]  # free: anyone interested stays
    assert stable_adopters(q, [[0, 1, 5]]).tolist() == [[False, True, True]]
    assert drop_out_rounds(q, [[0, 1, 5]]).tolist() == [[0, 0, 0]]


def test_everyone_may_drop() -> None:
    q = [[0, 1_000, 1_000, 1_000]]
    assert stable_adopters(q, [[400, 300, 200]]).tolist() == [[False, False, False]]
    # k=3: 333.3 -> 300 and 200 drop; k=1: 1000 -> 400 drops
    assert drop_out_rounds(q, [[400, 300, 200]]).tolist() == [[2, 1, 1]]


def test_would_rejoin_flags_rising_equal_share() -> None:
    # equal share rises with the count: 6/1 alone, 100/2 each for two -> the procedure drops both at
    # k=2 (willingness 40 < 50) and then nobody is left; each alone would pay 6 though.
    q = [[0, 6, 100]]
    w = [[40, 40]]
    s = stable_adopters(q, w)
    assert s.tolist() == [[False, False]]
    assert would_rejoin(q, w, s).tolist() == [[True, True]]


# -- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quotes", "adopters", "match"),
    [
        ([[0, 1.5, 2]], [[True, False]], "integer yen"),
        ([[0, -1, 2]], [[True, False]], r"quotes\[0, 1\] must be >= 0"),
        ([[0, MAX_YEN + 1, 2]], [[True, False]], "must be <="),
        ([[0, 1, 2, 3]], [[True, False]], "N \\+ 1 = 3 columns"),
        ([[0, 1, 2]], [[2, 0]], "boolean"),
        ([[5, 1, 2]], [[False, False]], "no adopters"),
        ([0, 1, 2], [True, False], "dimensions"),
    ],
)
def test_share_quotes_rejects_bad_input(quotes: object, adopters: object, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        share_quotes(quotes, adopters)  # type: ignore[arg-type]


def test_missing_quote_is_an_error_only_when_asked_for() -> None:
    quoted = np.array([True, True, True, False, False, False, True])
    q = [ELECTION]
    assert share_quotes(q, [[1, 1, 0, 0, 0, 0]], quoted=quoted).sum() == 800_000
    with pytest.raises(QuoteError, match="3 adopter"):
        share_quotes(q, [[1, 1, 1, 0, 0, 0]], quoted=quoted)
    # the document's drop-out sequence asks only for 6, 2 and 1
    w = [[700_000, 250_000, 150_000, 150_000, 150_000, 150_000]]
    assert stable_adopters(q, w, quoted=quoted).sum() == 1
    with pytest.raises(QuoteError, match=r"request \[0\] needs the quote for 3") as info:
        stable_adopters(q, [[300_000] * 3 + [100_000] * 3], quoted=quoted)
    assert isinstance(info.value, JichitaiCloudError)
    assert isinstance(info.value, ValueError)


def test_stable_adopters_rejects_bad_willingness() -> None:
    with pytest.raises(ValidationError, match=r"willingness\[0, 1\] must be >= 0"):
        stable_adopters([[0, 1, 2]], [[1, -1]])
    with pytest.raises(ValidationError, match="integer yen"):
        stable_adopters([[0, 1, 2]], [[1.0, float("nan")]])
    with pytest.raises(ValidationError, match="broadcast"):
        stable_adopters(np.zeros((3, 3), dtype=np.int64), np.zeros((2, 2), dtype=np.int64))


def test_empty_inputs() -> None:
    assert share_quotes(np.zeros((0, 4), np.int64), np.zeros((0, 3), bool)).shape == (0, 3)
    assert share_quotes(np.zeros((2, 1), np.int64), np.zeros((2, 0), bool)).shape == (2, 0)
    assert stable_adopters(np.zeros((0, 4), np.int64), np.zeros((0, 3), np.int64)).shape == (0, 3)
    assert stable_adopters(np.zeros((2, 1), np.int64), np.zeros((2, 0), np.int64)).shape == (2, 0)


def test_large_quotes_stay_exact() -> None:
    big = MAX_YEN - 8
    s = share_quotes([[0, 0, 0, big]], [[True, True, True]])
    assert s.sum() == big
    assert s.max() - s.min() <= 1
    assert s.tolist() == [ref_share([0, 0, 0, big], [True, True, True])]
    w = [[big // 3 + 1, big // 3, big]]  # the ceiling share is big // 3 + 1 (big is not divisible by 3)
    assert big % 3 != 0
    assert drop_out_rounds([[0, big, big, big]], w).tolist() == [ref_rounds([0, big, big, big], w[0])]
    assert drop_out_rounds([[0, big, big, big]], w).tolist() == [[2, 1, 0]]


# -- scalar and batch agree -------------------------------------------------------------------------


def test_batch_axis_agrees_with_single_calls() -> None:
    rng = np.random.default_rng(1)
    s, r, n = 4, 7, 5
    q = rng.integers(0, 5_000_000, size=(s, r, n + 1))
    q[..., 0] = 0
    a = rng.random((s, r, n)) < 0.6
    w = rng.integers(0, 3_000_000, size=(s, r, n)) * (rng.random((s, r, n)) < 0.8)
    shares = share_quotes(q, a)
    rounds = drop_out_rounds(q, w)
    stable = stable_adopters(q, w)
    assert shares.shape == rounds.shape == stable.shape == (s, r, n)
    for i in range(s):
        np.testing.assert_array_equal(shares[i], share_quotes(q[i], a[i]))
        np.testing.assert_array_equal(rounds[i], drop_out_rounds(q[i], w[i]))
        for j in range(r):
            np.testing.assert_array_equal(shares[i, j], share_quotes(q[i, j][None], a[i, j][None])[0])
            np.testing.assert_array_equal(stable[i, j], stable_adopters(q[i, j][None], w[i, j][None])[0])
    # one quote table broadcast over scenarios of adopters
    np.testing.assert_array_equal(share_quotes(q[0], a), np.stack([share_quotes(q[0], a[i]) for i in range(s)]))
    np.testing.assert_array_equal(stable_adopters(q[0], w),
                                  np.stack([stable_adopters(q[0], w[i]) for i in range(s)]))


# -- properties -------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(share_problems())
def test_shares_add_up_and_non_adopters_pay_nothing(problem: tuple[np.ndarray, np.ndarray]) -> None:
    q, a = problem
    s = share_quotes(q, a)
    k = a.sum(-1)
    np.testing.assert_array_equal(s.sum(-1), q[np.arange(len(q)), k])
    assert (s[~a] == 0).all()
    assert (s >= 0).all()
    for row, arow, qrow in zip(s, a, q, strict=True):
        if arow.any():
            kk = int(arow.sum())
            assert row[arow].max() - row[arow].min() <= 1
            assert all(abs(Fraction(int(x)) - Fraction(int(qrow[kk]), kk)) < 1 for x in row[arow])
        assert row.tolist() == ref_share(qrow.tolist(), arow.tolist())


@settings(max_examples=40, deadline=None)
@given(share_problems(), st.randoms(use_true_random=False))
def test_shares_permutation_invariance(problem: tuple[np.ndarray, np.ndarray], rnd: object) -> None:
    q, a = problem
    s = share_quotes(q, a)
    r_perm = np.array(rnd.sample(range(len(q)), len(q)))  # type: ignore[attr-defined]
    np.testing.assert_array_equal(share_quotes(q[r_perm], a[r_perm]), s[r_perm])
    n = a.shape[1]
    m_perm = np.array(rnd.sample(range(n), n))  # type: ignore[attr-defined]
    s2 = share_quotes(q, a[:, m_perm])
    # the same amounts, only who gets the odd yen follows member order
    np.testing.assert_array_equal(np.sort(s2, axis=1), np.sort(s[:, m_perm], axis=1))
    assert (s2[~a[:, m_perm]] == 0).all()


@settings(max_examples=80, deadline=None)
@given(willingness_problems())
def test_drop_out_matches_the_straightforward_procedure(problem: tuple[np.ndarray, np.ndarray]) -> None:
    q, w = problem
    rounds = drop_out_rounds(q, w)
    for r in range(len(q)):
        assert rounds[r].tolist() == ref_rounds(q[r].tolist(), w[r].tolist())
    np.testing.assert_array_equal(stable_adopters(q, w), (w > 0) & (rounds == 0))
    assert rounds.max(initial=0) <= w.shape[1]


@settings(max_examples=80, deadline=None)
@given(willingness_problems())
def test_stable_set_is_stable(problem: tuple[np.ndarray, np.ndarray]) -> None:
    q, w = problem
    s = stable_adopters(q, w)
    k = s.sum(-1)
    total = q[np.arange(len(q)), k]
    # nobody remaining is over its limit: willingness * k >= quote(k)
    assert ((w * k[:, None] >= total[:, None]) | ~s).all()
    assert (w[s] > 0).all()
    # the shares the stable adopters then pay are within their willingness
    shares = share_quotes(q, s)
    assert (shares <= np.where(s, w, 0)).all()


@settings(max_examples=60, deadline=None)
@given(willingness_problems(max_members=7, economies_of_scale=True))
def test_stable_set_is_maximal_with_economies_of_scale(problem: tuple[np.ndarray, np.ndarray]) -> None:
    q, w = problem
    s = stable_adopters(q, w)
    # no member that dropped would stay if re-added
    assert not would_rejoin(q, w, s).any()
    # and the set contains every stable set (brute force over subsets of interested members)
    for r in range(len(q)):
        interested = np.flatnonzero(w[r] > 0).tolist()
        ql, wl = q[r].tolist(), w[r].tolist()
        for size in range(1, len(interested) + 1):
            for sub in itertools.combinations(interested, size):
                if is_stable(ql, wl, sub):
                    assert s[r, list(sub)].all(), (sub, s[r])


@settings(max_examples=40, deadline=None)
@given(willingness_problems(), st.randoms(use_true_random=False))
def test_stable_adopters_permutation_invariance(problem: tuple[np.ndarray, np.ndarray], rnd: object) -> None:
    q, w = problem
    rounds = drop_out_rounds(q, w)
    r_perm = np.array(rnd.sample(range(len(q)), len(q)))  # type: ignore[attr-defined]
    np.testing.assert_array_equal(drop_out_rounds(q[r_perm], w[r_perm]), rounds[r_perm])
    n = w.shape[1]
    m_perm = np.array(rnd.sample(range(n), n))  # type: ignore[attr-defined]
    np.testing.assert_array_equal(drop_out_rounds(q, w[:, m_perm]), rounds[:, m_perm])


@settings(max_examples=40, deadline=None)
@given(willingness_problems(economies_of_scale=True), st.integers(1, 1_000_000))
def test_more_willingness_never_shrinks_the_stable_set(problem: tuple[np.ndarray, np.ndarray],
                                                       bump: int) -> None:
    q, w = problem
    s = stable_adopters(q, w)
    s2 = stable_adopters(q, np.where(w > 0, w + bump, 0))
    assert (s2 | ~s).all()


def test_shared_array_checks_the_kernels_use() -> None:
    from jichitai_cloud._numeric._checks import boolean_array, integer_array, position

    assert position((0, 12)) == "[0, 12]"
    assert integer_array(np.array([[1, 2]], dtype=np.int32), "q", maximum=2).dtype == np.int64
    with pytest.raises(ValidationError, match=r"q\[1\] must be <= 2 \[yen\], got 3"):
        integer_array([1, 3], "q", maximum=2)
    with pytest.raises(ValidationError, match=r"q must be integer points"):
        integer_array([1.0], "q", unit="points")  # whole floats too: amounts never pass through floats
    with pytest.raises(ValidationError, match="at least 2 dimensions"):
        integer_array([1], "q", min_ndim=2)
    assert boolean_array([[0, 1]], "a").tolist() == [[False, True]]
    with pytest.raises(ValidationError, match=r"a must be boolean \(True where it adopts\)"):
        boolean_array([2], "a", meaning="True where it adopts")
