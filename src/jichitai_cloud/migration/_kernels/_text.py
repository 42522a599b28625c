"""Characters of text columns: code points, lengths in characters or bytes, characters outside a set.

A column is a numpy array of text (``dtype='<U…'``): :func:`codepoints` views it as a matrix of code
points (one row per value, padded with 0), from which lengths and character checks are whole-array
operations.  No Python loop over values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ...errors import ValidationError

__all__ = ["byte_lengths", "char_lengths", "codepoints", "cut", "cut_many", "outside_charset", "span_bytes", "span_counts",
           "span_gather", "span_text", "spans_holding"]


def codepoints(values: NDArray[np.str_]) -> NDArray[np.uint32]:
    """The code points of a text column as a matrix, one row per value, padded with 0.

    Parameters
    ----------
    values
        Text values, shape ``(n,)``, numpy unicode dtype (``'<U…'``).  A value may not end in NUL
        (numpy cannot keep trailing NULs; readers refuse NUL).

    Returns
    -------
    numpy.ndarray
        ``uint32``, shape ``(n, w)`` with ``w`` the longest value (at least 1).
    """
    arr = np.asarray(values)
    if arr.dtype.kind != "U" or arr.ndim != 1:
        raise ValidationError(f"values must be a 1-d array of text (dtype '<U…'), got {arr.dtype} of shape {arr.shape}")
    width = max(arr.dtype.itemsize // 4, 1)
    arr = np.ascontiguousarray(arr.astype(f"<U{width}", copy=False))
    return arr.view(np.uint32).reshape(arr.shape[0], width)


def char_lengths(cp: NDArray[np.uint32]) -> NDArray[np.int64]:
    """Length of each value in characters (code points). [characters]"""
    nonzero = cp != 0
    # the length is one past the last non-padding position (a value holds no NUL)
    last = cp.shape[1] - np.argmax(nonzero[:, ::-1], axis=1)
    return np.where(nonzero.any(axis=1), last, 0).astype(np.int64)


def byte_lengths(cp: NDArray[np.uint32], widths: NDArray[np.uint8]) -> NDArray[np.int64]:
    """Length of each value in bytes of an encoding. [bytes]

    Parameters
    ----------
    cp
        Code points from :func:`codepoints`.
    widths
        Bytes each code point takes in the encoding, indexed by code point (``widths[0]`` is 0).
    """
    out: NDArray[np.int64] = widths[cp].sum(axis=1, dtype=np.int64)
    return out


def outside_charset(cp: NDArray[np.uint32], allowed: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Whether each value holds a character outside the allowed set (外字).

    Parameters
    ----------
    cp
        Code points from :func:`codepoints`.
    allowed
        Whether each code point is allowed, indexed by code point (``allowed[0]``, the padding, is true).
    """
    return np.asarray(~allowed[cp].all(axis=1), dtype=bool)


# -- flat text: a batch's code points in one array, each value a span [start, stop) of it ---------------


def cut(text: NDArray[np.uint32], starts: NDArray[np.int64], stops: NDArray[np.int64]) -> NDArray[np.uint32]:
    """The values ``text[start:stop]`` as a code-point matrix, one row per value, padded with 0.

    Parameters
    ----------
    text
        Code points of many values one after another, shape ``(m,)``.
    starts, stops
        Each value's span in ``text``, shape ``(n,)`` (``stop - start`` is its length). [positions]

    Returns
    -------
    numpy.ndarray
        ``uint32``, shape ``(n, w)`` with ``w`` the longest value (at least 1), as :func:`codepoints`.
    """
    lengths = stops - starts
    n = int(lengths.shape[0])
    width = max(int(lengths.max(initial=0)), 1)
    if text.size == 0 or n == 0:
        return np.zeros((n, width), dtype=np.uint32)
    pos = np.arange(width, dtype=np.int64)
    at = starts[:, None] + pos[None, :]
    mat: NDArray[np.uint32] = np.take(text, at, mode="clip")
    mat *= (pos[None, :] < lengths[:, None])
    return mat


def cut_many(text: NDArray[np.uint32], starts: NDArray[np.int64], stops: NDArray[np.int64],
             fields: tuple[int, ...]) -> list[NDArray[np.uint32]]:
    """:func:`cut` for several fields of a batch at once, reading ``text`` in record order.

    Parameters
    ----------
    text
        The batch's code points, shape ``(m,)``.
    starts, stops
        Spans, shape ``(records, fields)``. [positions]
    fields
        The fields (column numbers) wanted.

    Returns
    -------
    list of numpy.ndarray
        One ``uint32`` matrix per field wanted, shape ``(records, w)``, ``w`` its longest value (at
        least 1), padded with 0.
    """
    if not fields:
        return []
    sel = np.asarray(fields, dtype=np.intp)
    first = starts[:, sel]
    lengths = stops[:, sel] - first
    n = lengths.shape[0]
    widths = np.maximum(lengths.max(axis=0, initial=0), 1)
    if text.size == 0 or n == 0:
        return [np.zeros((n, int(w)), dtype=np.uint32) for w in widths]
    which = np.repeat(np.arange(sel.size), widths)
    ends = np.cumsum(widths)
    offsets = np.arange(int(ends[-1]), dtype=np.int64) - np.repeat(ends - widths, widths)
    at = first[:, which]
    at += offsets[None, :]
    mat: NDArray[np.uint32] = np.take(text, at, mode="clip")
    mat *= offsets[None, :] < lengths[:, which]
    return [np.ascontiguousarray(mat[:, int(e - w):int(e)]) for e, w in zip(ends, widths, strict=True)]


def span_bytes(text: NDArray[np.uint32], table: NDArray[np.uint8], starts: NDArray[np.int64],
               stops: NDArray[np.int64], *, widths: NDArray[np.uint8] | None = None) -> NDArray[np.int64]:
    """Each span's length in bytes of an encoding (``table``: :func:`width_table`). [bytes]

    One pass over ``text``: the running sum of the characters' widths, read at each span's ends
    (``sum[stop] - sum[start]``), so the work is in the text once and in the spans once.
    ``widths`` (``table[text]``, when the caller has it) saves the look-up.
    """
    size = stops - starts
    if text.size == 0 or size.size == 0:
        return size
    w = table[text] if widths is None else widths
    # int32 while the sum cannot overflow (at most 4 bytes a character)
    cs: NDArray[np.signedinteger[Any]] = np.zeros(text.size + 1, dtype=np.int32 if text.size < (1 << 28) else np.int64)
    np.cumsum(w, dtype=cs.dtype, out=cs[1:])
    out: NDArray[np.int64] = np.subtract(cs[stops], cs[starts], dtype=np.int64)
    return out


def span_text(text: NDArray[np.uint32], starts: NDArray[np.int64], stops: NDArray[np.int64]
              ) -> tuple[NDArray[np.uint32], NDArray[np.int64], NDArray[np.int64]]:
    """Only the spans' code points, one after another, and their spans in that (shorter) text.

    Kernels that pass over the text (running sums) then pass over the few fields they need, not
    over the whole batch.  ``starts``/``stops`` keep their shape.
    """
    lengths = (stops - starts).reshape(-1)
    ends = np.cumsum(lengths)
    begins = ends - lengths
    total = int(ends[-1]) if ends.size else 0
    at = np.repeat(starts.reshape(-1) - begins, lengths) + np.arange(total, dtype=np.int64)
    return text[at], begins.reshape(starts.shape), ends.reshape(starts.shape)


def span_gather(text: NDArray[np.uint32], starts: NDArray[np.int64], width: int,
                lengths: NDArray[np.int64] | None = None) -> NDArray[np.uint32]:
    """The first ``width`` code points of each span, shape ``starts.shape + (width,)``.

    Positions past the end of ``text`` read its last code point; with ``lengths``, positions past a
    span's own end read 0 (as the padding of :func:`cut`).  Used for short fixed-shape values
    (dates, codes): the work is in the spans times ``width``, never in the longest value.
    """
    at = starts[..., None] + np.arange(width, dtype=np.int64)
    if text.size == 0:
        return np.zeros(at.shape, dtype=np.uint32)
    out: NDArray[np.uint32] = np.take(text, at, mode="clip")
    if lengths is not None:
        out *= np.arange(width) < lengths[..., None]
    return out


def spans_holding(marked: NDArray[np.intp], starts: NDArray[np.int64], stops: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Whether each span ``[start, stop)`` holds one of the (sorted) positions ``marked``.

    ``starts``/``stops`` have any shape; the spans must not overlap.  The work is in the number of
    marked positions (few: the characters outside a set), not in the number of spans.
    """
    out = np.zeros(starts.shape, dtype=bool)
    if marked.size == 0 or starts.size == 0:
        return out
    s, e = starts.reshape(-1), stops.reshape(-1)
    order = np.argsort(s, kind="stable") if (s[1:] < s[:-1]).any() else None
    sorted_s = s if order is None else s[order]
    k = np.searchsorted(sorted_s, marked, side="right") - 1
    inside = k >= 0
    k, at = k[inside], marked[inside]
    if order is not None:
        k = order[k]
    hit = k[at < e[k]]
    flat = out.reshape(-1)
    flat[hit] = True
    return out


def span_counts(marked: NDArray[np.int64], starts: NDArray[np.int64], stops: NDArray[np.int64]) -> NDArray[np.int64]:
    """How many of the (sorted) positions ``marked`` each span ``[start, stop)`` holds."""
    out: NDArray[np.int64] = (np.searchsorted(marked, stops) - np.searchsorted(marked, starts)).astype(np.int64)
    return out
