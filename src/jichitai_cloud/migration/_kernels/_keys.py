"""Record keys: how many records share their key with another record, and values missing from a set."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["duplicated", "missing_from"]


def duplicated(keys: NDArray[np.str_]) -> NDArray[np.bool_]:
    """Whether each record's key occurs more than once (every record of such a key is marked).

    Parameters
    ----------
    keys
        One key per record, shape ``(n,)`` (text; a composite key joined by the caller).

    Returns
    -------
    numpy.ndarray
        ``bool``, shape ``(n,)``; ``n`` records sharing one key are all marked (n in the count).
    """
    if keys.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    return np.asarray(counts[inverse.reshape(-1)] > 1, dtype=bool)


def missing_from(values: NDArray[np.str_], known: NDArray[np.str_]) -> NDArray[np.bool_]:
    """Whether each value is absent from ``known`` (a code not in its table, a reference not found)."""
    if values.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    return ~np.isin(values, known)
