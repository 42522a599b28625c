"""Read-only arrays: the one helper results and kernels use to hand out arrays nobody can change."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["readonly"]


def readonly(value: ArrayLike, dtype: Any = None, *, copy: bool = True) -> NDArray[Any]:
    """``value`` as a read-only numpy array.

    Parameters
    ----------
    value
        Anything :func:`numpy.asarray` accepts.
    dtype
        Optional dtype to convert to (a conversion always makes a new array).
    copy
        ``True`` (the default): an array that is still writeable is copied first, so the caller's
        array is never frozen and later changes to it do not show through; an array that is already
        read-only is kept as it is.  ``False``: the array itself is marked read-only (for arrays
        the caller has just computed and owns).

    Returns
    -------
    numpy.ndarray
        A read-only array (``flags.writeable`` is false).
    """
    arr = np.asarray(value, dtype=dtype)
    if arr.flags.writeable:
        if copy and isinstance(value, np.ndarray) and np.may_share_memory(arr, value):
            arr = arr.copy()
        arr.setflags(write=False)
    return arr
