"""Kernels for customization costs (カスタマイズ経費): shared quotes and who stays in.

A vendor quotes a customization by the number of members that adopt it ("n自治体で実施した場合",
if n members adopt it).  Both kernels take that quote as an integer array ``quotes`` of shape
``(..., R, N + 1)``: ``quotes[..., r, k]`` is request ``r``'s total when ``k`` of the ``N`` members
adopt it.  A vendor seldom quotes every count; the optional boolean mask ``quoted`` (same shape,
``True`` where the vendor gave a figure) marks the counts that exist, and asking for a count it does
not cover raises :class:`~jichitai_cloud.errors.QuoteError`.

Everything broadcasts over leading batch axes, and no Python loop runs over requests or members:
:func:`stable_adopters` loops only over drop-out rounds (at most ``N`` of them).

Money is integer yen.  Quotes and willingness are limited to ``MAX_YEN = 2**53 - 1`` yen (the range in
which a quote can also be read back from a float-based spreadsheet exactly); the split itself is done
in integers by :func:`jichitai_cloud.allocation.equal_split`.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 富山県における自治体クラウドの取組, カスタマイズ
抑制の手法 and カスタマイズ要望比較一覧表 (2014年8月6日): the cost of a customization is outside the
joint contract and shared equally by the members that adopt it, at the vendor's quote for their
number; each member is asked whether it would still customize if it had to bear the cost.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric import equal_split
from ..._numeric._checks import boolean_array, integer_array, position
from ...errors import QuoteError, ValidationError

__all__ = ["MAX_YEN", "drop_out_rounds", "share_quotes", "stable_adopters", "would_rejoin"]

MAX_YEN = 2**53 - 1
"""Largest quote or willingness the kernels accept. [yen]"""


def _as_yen(value: ArrayLike, name: str) -> NDArray[np.int64]:
    """Integer yen array ``(..., R, N)``, ``0 <= x <= MAX_YEN``; anything else raises naming the first bad entry."""
    return integer_array(value, name, maximum=MAX_YEN, min_ndim=2)


def _prepare(quotes: ArrayLike, per_member: NDArray[np.bool_] | NDArray[np.int64], name: str,
             quoted: ArrayLike | None) -> tuple[NDArray[np.int64], NDArray[np.bool_] | None, tuple[int, ...]]:
    """Check shapes and broadcast ``quotes`` (and ``quoted``) against a per-member array ``(..., R, N)``."""
    q = _as_yen(quotes, "quotes")
    if per_member.ndim < 2:
        raise ValidationError(f"{name} must have shape (..., R, N), got shape {per_member.shape}")
    n = per_member.shape[-1]
    if q.shape[-1] != n + 1:
        raise ValidationError(
            f"quotes must have N + 1 = {n + 1} columns (counts 0..{n}) for {n} members, "
            f"got shape {q.shape}"
        )
    try:
        batch = np.broadcast_shapes(q.shape[:-1], per_member.shape[:-1])
    except ValueError:
        raise ValidationError(
            f"quotes {q.shape} and {name} {per_member.shape} do not broadcast over (..., R)"
        ) from None
    mask: NDArray[np.bool_] | None = None
    if quoted is not None:
        m = np.asarray(quoted)
        if m.dtype != np.bool_:
            raise ValidationError(f"quoted must be boolean (True where the vendor quotes a count), got {m.dtype}")
        try:
            mask = np.broadcast_to(m, (*batch, n + 1))
        except ValueError:
            raise ValidationError(f"quoted {m.shape} does not broadcast to quotes {(*batch, n + 1)}") from None
    return np.broadcast_to(q, (*batch, n + 1)), mask, batch


def _pick(q: NDArray[np.int64], k: NDArray[np.int64], mask: NDArray[np.bool_] | None,
          ask: NDArray[np.bool_], rows: NDArray[np.intp] | None = None) -> NDArray[np.int64]:
    """``q[..., k]`` per row; raise :class:`QuoteError` where a row in ``ask`` needs an unquoted count."""
    total: NDArray[np.int64] = np.take_along_axis(q, k[..., None], axis=-1)[..., 0]
    if mask is not None:
        have = np.take_along_axis(mask, k[..., None], axis=-1)[..., 0]
        missing = ask & ~have
        if missing.any():
            pos = tuple(np.argwhere(missing)[0])
            where = pos if rows is None else tuple(int(x) for x in rows[pos[0]])
            count = int(k[pos])
            have_counts = np.flatnonzero(mask[pos][1:]) + 1
            err = QuoteError(
                f"request {position(where)} needs the quote for {count} adopter(s), which the vendor did "
                f"not give; quoted counts are {have_counts.tolist()}"
            )
            setattr(err, "index", where)  # noqa: B010 - read by the domain layer to name the request
            setattr(err, "count", count)  # noqa: B010
            raise err
    return total


def share_quotes(quotes: ArrayLike, adopters: ArrayLike, *,
                 quoted: ArrayLike | None = None) -> NDArray[np.int64]:
    """Each member's share of each customization: the quote for the adopters' count, split equally.

    For request ``r`` adopted by ``k`` members the total is ``quotes[r, k]``; it is split among the
    adopters in equal parts, rounded to whole yen by the largest remainder method with equal weights
    (:func:`jichitai_cloud.allocation.equal_split`, the same result as
    :func:`jichitai_cloud.allocation.apportion` with ``tie="index"``, in integers): every adopter pays
    ``total // k`` and the first ``total % k`` adopters in member order pay one yen more.  Members
    that do not adopt pay nothing.

    Parameters
    ----------
    quotes
        Integer array ``(..., R, N + 1)``: ``quotes[..., r, k]`` is request ``r``'s total quote when
        ``k`` members adopt it; ``quotes[..., r, 0]`` must be 0 wherever nobody adopts (nobody would
        pay it). [yen]
    adopters
        Boolean array ``(..., R, N)``, ``True`` where the member adopts (and pays for) the request. [1]
    quoted
        Optional boolean mask broadcastable to ``quotes``: ``True`` where the vendor quoted that
        count.  Default: every count is quoted. [1]

    Returns
    -------
    numpy.ndarray of int64, shape ``(..., R, N)``
        Each member's share; each row adds up to ``quotes[..., r, k]`` exactly, adopters' shares
        differ by at most one yen, non-adopters' shares are 0. [yen]

    Raises
    ------
    ValidationError
        If quotes are not integer, negative or above ``MAX_YEN``; if shapes disagree; if a request
        nobody adopts has a non-zero ``quotes[..., r, 0]``.
    QuoteError
        If the adopters' count is one the vendor did not quote (``quoted`` is ``False`` there).

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ要望比較一覧表: each adopting
    member's share is the quote for the number of adopters divided by that number.
    Balinski, M. L. and Young, H. P. (2001), *Fair Representation*, 2nd ed. (Hamilton's method).

    Examples
    --------
    >>> share_quotes([[0, 700_000, 800_000, 900_000]], [[True, False, True]]).tolist()
    [[400000, 0, 400000]]
    >>> share_quotes([[0, 100, 100, 100]], [[True, True, True]]).tolist()
    [[34, 33, 33]]
    """
    a = boolean_array(adopters, "adopters", meaning="True where the member adopts")
    q, mask, batch = _prepare(quotes, a, "adopters", quoted)
    a = np.broadcast_to(a, (*batch, a.shape[-1]))
    k = a.sum(axis=-1, dtype=np.int64)
    total = _pick(q, k, mask, k > 0)
    bad = (k == 0) & (total != 0)
    if bad.any():
        i = tuple(np.argwhere(bad)[0])
        raise ValidationError(
            f"request {position(i)} has no adopters but quotes[..., 0] = {int(total[i])} [yen]; "
            "the quote for 0 adopters must be 0 (nobody would pay it)"
        )
    if a.shape[-1] == 0 or a.size == 0:
        return np.zeros(a.shape, dtype=np.int64)
    return equal_split(total, a, tie="index")


def drop_out_rounds(quotes: ArrayLike, willingness: ArrayLike, *,
                    quoted: ArrayLike | None = None) -> NDArray[np.int64]:
    """The round in which each member drops out of each customization (0: never drops).

    The drop-out procedure of :func:`stable_adopters`; ``drop_out_rounds(...) == j`` for ``j >= 1``
    marks the members that dropped in round ``j``.  Members with zero willingness were never
    interested and get 0, as do the members that stay:
    ``stable_adopters(q, w) == (w > 0) & (drop_out_rounds(q, w) == 0)``.

    Parameters
    ----------
    quotes
        Integer array ``(..., R, N + 1)``, the total quote by number of adopters. [yen]
    willingness
        Integer array ``(..., R, N)``: the most each member would pay for each request; 0 means not
        interested. [yen]
    quoted
        Optional boolean mask broadcastable to ``quotes`` (see :func:`share_quotes`). [1]

    Returns
    -------
    numpy.ndarray of int64, shape ``(..., R, N)``
        Round of dropping out (1, 2, …), 0 for members that stay or were never interested. [rounds]

    Raises
    ------
    ValidationError
        If willingness or quotes are not integer, negative or above ``MAX_YEN``, or shapes disagree.
    QuoteError
        If the procedure reaches a count of adopters the vendor did not quote.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ抑制の手法: "経費負担しなくても
    カスタマイズするか" — would the member still customize if it had to bear the cost.
    """
    w = _as_yen(willingness, "willingness")
    q, mask, batch = _prepare(quotes, w.astype(np.bool_), "willingness", quoted)
    n = w.shape[-1]
    shape = (*batch, n)
    if n == 0 or 0 in batch:
        return np.zeros(shape, dtype=np.int64)
    # Flatten the leading axes: rows are (batch…, request) pairs; only rows where someone dropped in
    # the previous round can change, so each round works on those rows alone.
    w2 = np.broadcast_to(w, shape).reshape(-1, n)
    q2 = q.reshape(-1, n + 1)
    m2 = None if mask is None else mask.reshape(-1, n + 1)
    rows_index = np.argwhere(np.ones(batch, dtype=np.bool_))
    active = w2 > 0
    rounds = np.zeros(w2.shape, dtype=np.int64)
    live = np.flatnonzero(active.any(axis=-1))
    j = 0
    while live.size:
        j += 1
        act = active[live]
        k = act.sum(axis=-1, dtype=np.int64)
        total = _pick(q2[live], k, None if m2 is None else m2[live], k > 0, rows_index[live])
        # Below the equal share total / k  <=>  w * k < total  <=>  w < ceil(total / k)  (integers;
        # the ceiling form cannot overflow int64).
        need = -(-total // np.maximum(k, 1))
        drop = act & (w2[live] < need[:, None])
        dropped_rows = drop.any(axis=-1)
        if not dropped_rows.any():
            break
        sub_rounds = rounds[live]
        sub_rounds[drop] = j
        rounds[live] = sub_rounds
        active[live] = act & ~drop
        live = live[dropped_rows]
        if j > n:  # pragma: no cover - each round with a drop removes a member, so j <= n
            raise AssertionError("drop-out procedure did not converge")
    return rounds.reshape(shape)


def stable_adopters(quotes: ArrayLike, willingness: ArrayLike, *,
                    quoted: ArrayLike | None = None) -> NDArray[np.bool_]:
    """The members that still adopt each customization when every adopter pays its equal share.

    Start from every interested member (willingness > 0).  In each round, with ``k`` members still
    in, every member whose willingness is below the equal share ``quote(k) / k`` drops out (all such
    members at once); the quote is taken again for the smaller count; rounds repeat until nobody
    drops.  Vectorised over all requests (and leading batch axes); at most ``N`` rounds.

    "Below the equal share" is the exact rational comparison ``willingness < quote(k) / k``, done in
    integers as ``willingness * k < quote(k)`` (equivalently ``willingness < ceil(quote(k) / k)``) —
    no floating point.  Since the rounded yen shares of :func:`share_quotes` are ``floor`` or
    ``ceil(quote(k) / k)``, a member stays exactly when it would pay the larger rounded share.

    Parameters
    ----------
    quotes
        Integer array ``(..., R, N + 1)``: ``quotes[..., r, k]`` is the total quote when ``k``
        members adopt request ``r``. [yen]
    willingness
        Integer array ``(..., R, N)``: the most each member would pay for each request (its answer to
        "would you pay for it yourself?"); 0 means not interested. [yen]
    quoted
        Optional boolean mask broadcastable to ``quotes``, ``True`` where the vendor quoted that
        count; reaching an unquoted count raises. [1]

    Returns
    -------
    numpy.ndarray of bool, shape ``(..., R, N)``
        ``True`` for the members that stay.  The set is stable: every remaining member's willingness
        is at least ``quote(k) / k`` for the final count ``k``.  When the equal share
        ``quote(k) / k`` does not rise as ``k`` grows (economies of scale, as in every quote of the
        source document), it is also the largest stable set, and no member that dropped would stay
        if re-added (see :func:`would_rejoin`).

    Raises
    ------
    ValidationError
        If willingness or quotes are not integer, negative or above ``MAX_YEN``, or shapes disagree.
    QuoteError
        If the procedure reaches a count the vendor did not quote.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局 (2016), カスタマイズ抑制の手法 and カスタマイズ要望比較
    一覧表 ("5自治体で実施した場合", "3自治体で実施", "1自治体で実施").

    Examples
    --------
    Election tickets (選挙 入場券生年月日項目追加, quotes for 6, 2 and 1 adopters): four members
    leave at 200,000 yen each, one more at 400,000 yen, and the last pays 700,000 yen alone.

    >>> q = [[0, 700_000, 800_000, 0, 0, 0, 1_200_000]]
    >>> w = [[700_000, 250_000, 150_000, 150_000, 150_000, 150_000]]
    >>> stable_adopters(q, w).tolist()
    [[True, False, False, False, False, False]]
    >>> drop_out_rounds(q, w).tolist()
    [[0, 2, 1, 1, 1, 1]]
    """
    w = np.asarray(willingness)
    rounds = drop_out_rounds(quotes, w, quoted=quoted)
    out: NDArray[np.bool_] = (np.broadcast_to(w, rounds.shape) > 0) & (rounds == 0)
    return out


def would_rejoin(quotes: ArrayLike, willingness: ArrayLike, adopters: ArrayLike, *,
                 quoted: ArrayLike | None = None) -> NDArray[np.bool_]:
    """Interested members outside ``adopters`` that would pay the equal share if added alone.

    For a request with ``k`` adopters, an interested non-adopter ``i`` would rejoin if
    ``willingness[i] * (k + 1) >= quote(k + 1)``.  For the result of :func:`stable_adopters` this is
    all ``False`` whenever the equal share does not rise with the count; a ``True`` flags a quote
    whose equal share rises with more adopters, where the drop-out procedure can leave out a
    member that would now join.  Counts the vendor did not quote give ``False``.

    Parameters
    ----------
    quotes
        Integer array ``(..., R, N + 1)``, the total quote by number of adopters. [yen]
    willingness
        Integer array ``(..., R, N)``; 0 means not interested. [yen]
    adopters
        Boolean array ``(..., R, N)``, the current adopters. [1]
    quoted
        Optional boolean mask broadcastable to ``quotes``. [1]

    Returns
    -------
    numpy.ndarray of bool, shape ``(..., R, N)``
        ``True`` for interested non-adopters that would stay if added. [1]
    """
    w = _as_yen(willingness, "willingness")
    a = boolean_array(adopters, "adopters", meaning="True where the member adopts")
    q, mask, batch = _prepare(quotes, w.astype(np.bool_), "willingness", quoted)
    n = w.shape[-1]
    if a.shape[-1] != n:
        raise ValidationError(f"adopters {a.shape} and willingness {w.shape} must have the same members")
    try:
        batch = np.broadcast_shapes(batch, a.shape[:-1])
    except ValueError:
        raise ValidationError(f"adopters {a.shape} does not broadcast with willingness {w.shape}") from None
    w = np.broadcast_to(w, (*batch, n))
    a = np.broadcast_to(a, (*batch, n))
    q = np.broadcast_to(q, (*batch, n + 1))
    k1 = np.minimum(a.sum(axis=-1, dtype=np.int64) + 1, n)
    total = np.take_along_axis(q, k1[..., None], axis=-1)[..., 0]
    ok = np.ones(batch, dtype=np.bool_)
    if mask is not None:
        ok = np.take_along_axis(np.broadcast_to(mask, (*batch, n + 1)), k1[..., None], axis=-1)[..., 0]
    need = -(-total // k1.clip(min=1))
    out: NDArray[np.bool_] = (w > 0) & ~a & (w >= need[..., None]) & ok[..., None]
    return out
