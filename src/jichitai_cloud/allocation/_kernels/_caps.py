"""The guaranteed maximum (最低保障) of every member in every scenario, in exact integer arithmetic.

A guaranteed minimum reduction ``r`` caps a member's payment at ``floor((1 - r) * base)``, where
``base`` is its current cost (現行経費) over the period or, pro rata, ``current_cost * months /
period_months``.  With ``1 - r = num / den`` read as the decimal it is written as (0.3 -> 7/10),
the cap is ``floor(current_cost * months * num / (den * period_months))``: one integer division,
in int64 when the product cannot overflow and in Python integers otherwise.

References
----------
富山県情報システム共同利用推進協議会事務局 (2016), 7. 導入効果: 最低3割削減を保障; 8. まとめ: 最低保障額を採用.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..._numeric._checks import check_nonneg_finite, int64_array
from ...errors import ValidationError

__all__ = ["guarantee_caps"]

_INT64_SAFE = 2**62


def guarantee_caps(
    current_costs: ArrayLike,
    num: int,
    den: int,
    *,
    months: ArrayLike | None = None,
    period_months: int | None = None,
) -> NDArray[np.int64]:
    """Each member's guaranteed maximum ``floor(current_cost * num / den)`` (pro rata to months if given).

    Parameters
    ----------
    current_costs
        Current cost per member, integer ``>= 0``, shape ``(N,)`` or ``(..., N)``. [yen]
    num, den
        The fraction ``1 - min_reduction`` as integers, ``0 <= num <= den``, ``den > 0``. [1]
    months
        Months on the cloud per member, shape ``(N,)`` (broadcasts), with ``period_months``: the
        base is then ``current_cost * months / period_months``. [months]
    period_months
        Length of the evaluation period. [months]

    Returns
    -------
    numpy.ndarray of int64, the shape of ``current_costs``
        The caps, exact to the yen. [yen]

    Examples
    --------
    >>> guarantee_caps([920_000_000, 250_000_000], 7, 10).tolist()
    [644000000, 175000000]
    >>> guarantee_caps([400], 1, 2, months=[2], period_months=4).tolist()
    [100]
    """
    cur = int64_array(current_costs, "current_costs")
    check_nonneg_finite(cur, "current_costs")
    top = int(cur.max(initial=0)) * int(num)
    scale_num = np.asarray(int(num), dtype=np.int64)
    scale_den = int(den)
    mo: NDArray[np.int64] | None = None
    if months is not None:
        if period_months is None:
            raise ValidationError("months needs period_months [months]")
        mo = int64_array(months, "months")
        top *= int(mo.max(initial=0))
        scale_den *= int(period_months)
    if top < _INT64_SAFE and scale_den < _INT64_SAFE:
        numer = cur * scale_num if mo is None else cur * mo * scale_num
        return np.asarray(numer // np.int64(scale_den), dtype=np.int64)
    big = cur.astype(object) * int(num)  # Python integers: exact at any size
    if mo is not None:
        big = big * mo.astype(object)
    return np.asarray(big // scale_den, dtype=np.int64)
