"""Characters of text columns: code points, lengths in characters or bytes, characters outside a set.

A column is a numpy array of text (``dtype='<U…'``): :func:`codepoints` views it as a matrix of code
points (one row per value, padded with 0), from which lengths and character checks are whole-array
operations.  No Python loop over values.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ...errors import ValidationError

__all__ = ["byte_lengths", "char_lengths", "codepoints", "outside_charset"]


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
