"""Numbers written as text (数値): whether a value is a number, its digits and its decimals."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["number_parts"]

_ZERO, _NINE, _DOT, _PLUS, _MINUS = 48, 57, 46, 43, 45


def number_parts(cp: NDArray[np.uint32], lengths: NDArray[np.int64]
                 ) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    """Read a column of numbers as written: ``-12``, ``+3.50``, ``0012`` (ASCII digits, one point).

    Parameters
    ----------
    cp
        Code points, shape ``(n, w)`` (:func:`~._text.codepoints`).
    lengths
        Each value's length in characters. [characters]

    Returns
    -------
    tuple
        ``(is_number, digits, decimals)``: whether the value is a number (an optional sign, digits,
        optionally a point followed by digits; an empty value is not), how many digits it has in
        all [digits], and how many after the point [digits].
    """
    n, w = cp.shape
    pos = np.arange(w)[None, :]
    inside = pos < lengths[:, None]
    digit = (cp >= _ZERO) & (cp <= _NINE)
    dot = cp == _DOT
    sign = ((cp == _PLUS) | (cp == _MINUS)) & (pos == 0)
    ok_chars = ~inside | digit | dot | sign
    dots = dot.sum(axis=1)
    where = np.argmax(dot, axis=1)
    rows = np.arange(n)
    before = np.where(where > 0, digit[rows, np.maximum(where - 1, 0)], False)
    after = np.where(where + 1 < w, digit[rows, np.minimum(where + 1, w - 1)], False)
    point_ok = (dots == 0) | ((dots == 1) & before & after)
    digits = (digit & inside).sum(axis=1, dtype=np.int64)
    is_number = ok_chars.all(axis=1) & point_ok & (digits > 0) & (lengths > 0)
    decimals = np.where(dots == 1, lengths - where - 1, 0).astype(np.int64)
    return is_number, digits, decimals
