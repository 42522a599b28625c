"""Hypothesis strategies for customization quotes, adopters and willingness to pay.

Re-exported by :mod:`jichitai_cloud.testing.strategies`.  Imports hypothesis at the top: this
module is never imported by ``import jichitai_cloud``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from numpy.typing import NDArray

__all__ = [
    "adopter_arrays",
    "quote_arrays",
    "share_problems",
    "willingness_problems",
]


def _scale_down(q: NDArray[np.int64]) -> NDArray[np.int64]:
    """Cap ``q[:, k+1]`` so the equal share ``q[:, k] / k`` never rises with ``k`` (economies of scale)."""
    q = q.copy()
    for k in range(1, q.shape[-1] - 1):
        q[..., k + 1] = np.minimum(q[..., k + 1], q[..., k] * (k + 1) // k)
    return q


@st.composite
def quote_arrays(draw: st.DrawFn, n_requests: int, n_members: int, *, max_yen: int = 10_000_000,
                 economies_of_scale: bool = False) -> NDArray[np.int64]:
    """Quotes ``(R, N + 1)`` by number of adopters, ``quotes[:, 0] == 0``. [yen]

    With ``economies_of_scale`` the equal share ``quotes[r, k] / k`` does not rise with ``k`` (every
    quote in the source document has this shape).
    """
    flat = draw(st.lists(st.integers(0, max_yen), min_size=n_requests * n_members,
                         max_size=n_requests * n_members))
    q = np.zeros((n_requests, n_members + 1), dtype=np.int64)
    q[:, 1:] = np.asarray(flat, dtype=np.int64).reshape(n_requests, n_members)
    if draw(st.booleans()):  # many ties and round numbers, as vendors quote
        q[:, 1:] = (q[:, 1:] // 100_000) * 100_000
    return _scale_down(q) if economies_of_scale else q


@st.composite
def adopter_arrays(draw: st.DrawFn, n_requests: int, n_members: int) -> NDArray[np.bool_]:
    """Boolean adopters ``(R, N)``. [1]"""
    flat = draw(st.lists(st.booleans(), min_size=n_requests * n_members, max_size=n_requests * n_members))
    return np.asarray(flat, dtype=np.bool_).reshape(n_requests, n_members)


@st.composite
def share_problems(draw: st.DrawFn, max_requests: int = 6,
                   max_members: int = 8) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """``(quotes, adopters)`` for :func:`jichitai_cloud.customization.share_quotes`."""
    r = draw(st.integers(1, max_requests))
    n = draw(st.integers(1, max_members))
    return draw(quote_arrays(r, n)), draw(adopter_arrays(r, n))


@st.composite
def willingness_problems(draw: st.DrawFn, max_requests: int = 6, max_members: int = 8, *,
                         economies_of_scale: bool | None = None) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """``(quotes, willingness)`` for :func:`jichitai_cloud.customization.stable_adopters`.

    Willingness is drawn near the equal shares so that members do drop out; about a quarter of the
    entries are 0 (not interested).  ``economies_of_scale=None`` draws either shape of quote.
    """
    r = draw(st.integers(1, max_requests))
    n = draw(st.integers(1, max_members))
    eos = draw(st.booleans()) if economies_of_scale is None else economies_of_scale
    q = draw(quote_arrays(r, n, economies_of_scale=eos))
    scale: Any = q[:, 1:].max(initial=1)
    flat = draw(st.lists(
        st.one_of(st.just(0), st.integers(0, int(scale)), st.integers(0, int(scale) // max(n, 1) + 1)),
        min_size=r * n, max_size=r * n,
    ))
    return q, np.asarray(flat, dtype=np.int64).reshape(r, n)
