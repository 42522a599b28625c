"""Numbers written as text (数値): whether a value is a number, its digits and its decimals."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._text import span_text

__all__ = ["number_parts", "span_numbers"]

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


_PACK = 21
_MASK = np.uint64((1 << _PACK) - 1)


def _classes() -> NDArray[np.uint64]:
    lut = np.full(128, 1 << (2 * _PACK), dtype=np.uint64)  # other
    lut[_ZERO:_NINE + 1] = 1  # digit
    lut[_DOT] = 1 << _PACK  # point
    lut[_PLUS] = lut[_MINUS] = 0  # sign: counted as what is left
    return lut


_CLASSES = _classes()


def span_numbers(text: NDArray[np.uint32], starts: NDArray[np.int64], stops: NDArray[np.int64]
                 ) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    """:func:`number_parts` for spans of flat text, without building a matrix of the values.

    Each character gets a class (digit, point, sign, other); the counts of each class in each span
    come from one running sum over ``text`` (the three counts packed in one 64-bit integer, 21
    bits each, when no span is 2**21 characters long; separate sums otherwise) over the spans'
    own characters (:func:`~._text.span_text`), read at the span's ends.  The point's place comes from the (few) positions of points.

    Parameters
    ----------
    text
        Code points, shape ``(m,)``.
    starts, stops
        Each value's span in ``text``, any shape (the spans of several fields at once). [positions]

    Returns
    -------
    tuple
        ``(is_number, digits, decimals)`` as :func:`number_parts`, each of the spans' shape.
    """
    text, starts, stops = span_text(text, starts, stops)  # the fields' own characters only
    lengths = stops - starts
    shape = lengths.shape
    if text.size == 0 or lengths.size == 0:
        zero = np.zeros(shape, dtype=np.int64)
        return np.zeros(shape, dtype=bool), zero, zero.copy()
    cls = _CLASSES[np.minimum(text, 127)]
    if int(lengths.max(initial=0)) < (1 << _PACK):
        cs = np.zeros(text.size + 1, dtype=np.uint64)
        np.cumsum(cls, out=cs[1:])
        packed = cs[stops] - cs[starts]
        digits = (packed & _MASK).astype(np.int64)
        dots = ((packed >> np.uint64(_PACK)) & _MASK).astype(np.int64)
        others = (packed >> np.uint64(2 * _PACK)).astype(np.int64)
    else:
        counts = []
        for k in range(3):
            part = (cls >> np.uint64(k * _PACK)) & _MASK
            cs = np.zeros(text.size + 1, dtype=np.uint64)
            np.cumsum(part, out=cs[1:])
            counts.append((cs[stops] - cs[starts]).astype(np.int64))
        digits, dots, others = counts
    signs = lengths - digits - dots - others
    head = np.take(text, starts, mode="clip")
    first_sign = (lengths > 0) & ((head == _PLUS) | (head == _MINUS))
    point = np.flatnonzero(text == _DOT)
    one = dots == 1
    at = np.zeros(shape, dtype=np.int64)
    if point.size:
        at = point[np.minimum(np.searchsorted(point, starts), point.size - 1)]
    before = np.take(text, at - 1, mode="clip")
    after = np.take(text, at + 1, mode="clip")
    point_ok = (dots == 0) | (one & (at > starts) & (before >= _ZERO) & (before <= _NINE)
                              & (at + 1 < stops) & (after >= _ZERO) & (after <= _NINE))
    is_number = (others == 0) & (signs == first_sign) & point_ok & (digits > 0) & (lengths > 0)
    decimals = np.where(one, stops - at - 1, 0).astype(np.int64)
    return np.asarray(is_number, dtype=bool), digits, decimals
