"""Record keys: how many records share their key with another record, and values missing from a set."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["SHORT", "duplicated", "missing_from", "short_keys", "text_keys"]


def duplicated(keys: NDArray[np.str_] | NDArray[np.bytes_]) -> NDArray[np.bool_]:
    """Whether each record's key occurs more than once (every record of such a key is marked).

    Parameters
    ----------
    keys
        One key per record, shape ``(n,)`` (text, or bytes of one encoding; a composite key joined
        by the caller).

    Returns
    -------
    numpy.ndarray
        ``bool``, shape ``(n,)``; ``n`` records sharing one key are all marked (n in the count).
    """
    n = keys.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    if keys.dtype.kind == "S" and keys.ndim == 1:
        # bytes (NUL-padded, as numpy holds them) compared as 64-bit words: sorted by the words,
        # equal keys are neighbours (several times faster than sorting the strings)
        size = keys.dtype.itemsize
        wide = -(-size // 8) * 8
        held = np.ascontiguousarray(keys if wide == size else keys.astype(f"S{wide}"))
        w = held.view(np.uint64).reshape(n, wide // 8)
        order = np.lexsort(tuple(w[:, j] for j in range(w.shape[1] - 1, -1, -1)))
        ws = w[order]
        same = (ws[1:] == ws[:-1]).all(axis=1)
        hit = np.zeros(n, dtype=bool)
        hit[1:] |= same
        hit[:-1] |= same
        out = np.empty(n, dtype=bool)
        out[order] = hit
        return out
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    return np.asarray(counts[inverse.reshape(-1)] > 1, dtype=bool)


def missing_from(values: NDArray[np.str_], known: NDArray[np.str_]) -> NDArray[np.bool_]:
    """Whether each value is absent from ``known`` (a code not in its table, a reference not found)."""
    if values.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    return ~np.isin(values, known)


SHORT = 3
"""The longest value :func:`short_keys` packs into one integer (21 bits a code point). [characters]"""


def short_keys(cp: NDArray[np.uint32]) -> NDArray[np.uint64]:
    """Short values (at most :data:`SHORT` characters, padded with 0) as one exact integer each.

    Parameters
    ----------
    cp
        Code points, shape ``(..., w)`` with ``w <= SHORT``, padded with 0 (a value holds no NUL).

    Returns
    -------
    numpy.ndarray
        ``uint64``, shape ``(...)``: equal keys exactly when the values are equal.
    """
    out = np.zeros(cp.shape[:-1], dtype=np.uint64)
    for k in range(cp.shape[-1]):
        out |= cp[..., k].astype(np.uint64) << np.uint64(21 * k)
    return out


def text_keys(values: NDArray[np.str_]) -> NDArray[np.uint64]:
    """:func:`short_keys` of the values of at most :data:`SHORT` characters (longer ones are left out)."""
    short = [v for v in values.tolist() if len(v) <= SHORT]
    if not short:
        return np.zeros(0, dtype=np.uint64)
    arr = np.array(short, dtype=f"<U{SHORT}")
    return short_keys(arr.view(np.uint32).reshape(len(short), SHORT))
