"""Customization requests as the kernels take them: the register behind a source, quotes and membership.

The results (:mod:`._comparison`, :mod:`._stable`, :mod:`._decisions`) turn a council's (or a
register's) requests into arrays here once, call the kernels
(:func:`~jichitai_cloud.customization.share_quotes`,
:func:`~jichitai_cloud.customization.drop_out_rounds`), and wrap the arrays in immutable results
that show themselves through :class:`~jichitai_cloud._display.TableView` (text, HTML, pandas, and the
exports of :mod:`jichitai_cloud.report`).

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 富山県情報システム共同利用推進協議会における自治体
クラウド導入について: カスタマイズ抑制の手法, カスタマイズ要望比較一覧表, カスタマイズ抑制の結果.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from .._display import Lang
from ..errors import QuoteError, ValidationError
from ..model import Consortium, CustomizationRegister, CustomizationRequest

__all__ = ["Basis", "Source", "member_names", "quote_matrix", "register_of"]

Basis = Literal["adopters", "requesters"]
Source = Consortium | CustomizationRegister | Sequence[CustomizationRequest]


def register_of(source: Source, members: Sequence[str] | None = None) -> CustomizationRegister:
    """The :class:`~jichitai_cloud.CustomizationRegister` behind a council, a register or a list of requests.

    Parameters
    ----------
    source
        A :class:`~jichitai_cloud.Consortium`, a register, or a sequence of requests.
    members
        Member codes (the comparison table's columns); required for a plain sequence of requests,
        optional otherwise (then it reorders or extends the members).
    """
    if isinstance(source, CustomizationRegister):
        reg = source
    elif isinstance(source, Consortium):
        reg = CustomizationRegister.from_council(source)
    else:
        requests = tuple(source)
        if not all(isinstance(r, CustomizationRequest) for r in requests):
            raise ValidationError("source must be a Consortium, a CustomizationRegister or a list of "
                                  f"CustomizationRequest, got {type(source).__name__}")
        if members is None:
            raise ValidationError("members are needed to tabulate a plain list of requests (e.g. members=['A', 'B'])")
        return CustomizationRegister(members=tuple(members), requests=requests)
    if members is not None:
        reg = attrs.evolve(reg, members=tuple(members))
    return reg


def quote_matrix(requests: Sequence[CustomizationRequest],
                 members: int) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """The quotes of ``requests`` as the kernels take them.

    Parameters
    ----------
    requests
        The customization requests.
    members
        Number of members ``N``. [members]

    Returns
    -------
    quotes : numpy.ndarray of int64, shape ``(R, N + 1)``
        ``quotes[r, k]``: request ``r``'s total when ``k`` members adopt it; 0 everywhere for a
        request the vendor made standard. [yen]
    quoted : numpy.ndarray of bool, shape ``(R, N + 1)``
        ``True`` where the vendor gave a figure for that count. [1]
    """
    q = np.zeros((len(requests), members + 1), dtype=np.int64)
    m = np.ones((len(requests), members + 1), dtype=np.bool_)
    for i, r in enumerate(requests):
        totals, quoted = r.quote_row(members)
        q[i] = totals
        m[i] = quoted
    return q, m


def _membership(requests: Sequence[CustomizationRequest], members: Sequence[str],
                field: str) -> NDArray[np.bool_]:
    index = {c: j for j, c in enumerate(members)}
    out = np.zeros((len(requests), len(members)), dtype=np.bool_)
    for i, r in enumerate(requests):
        for c in getattr(r, field):
            out[i, index[c]] = True
    return out


def _name_request(exc: QuoteError, requests: Sequence[CustomizationRequest]) -> QuoteError:
    index = getattr(exc, "index", None)
    count = getattr(exc, "count", None)
    if not index or count is None:
        return exc
    r = requests[int(index[-1])]
    table = sorted(int(k) for k in r.quote.by_count)
    return QuoteError(f"request {r.id!r} ({r.title}) needs the quote for {count} adopter(s), which the "
                      f"vendor did not give; it quotes {table}")


def _ints(a: NDArray[Any]) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(int(x) for x in row) for row in a)


def _bools(a: NDArray[Any]) -> tuple[tuple[bool, ...], ...]:
    return tuple(tuple(bool(x) for x in row) for row in a)


def member_names(source: object, codes: Sequence[str]) -> tuple[str, ...]:
    """The members' names in ``codes`` order: from a :class:`~jichitai_cloud.Consortium` source,
    else the codes themselves (a register or a list of requests knows only codes)."""
    if isinstance(source, Consortium):
        known = {m.code: m.name for m in source.members}
        return tuple(known.get(c, c) for c in codes)
    return tuple(codes)


def joined(items: Sequence[str], lang: Lang = "ja") -> str:
    """Items joined for a sentence: ``、`` in Japanese, ``, `` in English."""
    return ("、" if lang == "ja" else ", ").join(items)
