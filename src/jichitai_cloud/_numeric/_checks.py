"""Input checks and exact decimal arithmetic shared by the evaluation kernels.

Kernels take numpy arrays and reject bad input here, naming the argument, the first offending
position and value, and what was expected.  NaN and infinity are rejected everywhere except in
judges' score arrays, where NaN is the documented marker of an absent score (see
:func:`jichitai_cloud.evaluation.aggregate_judges`).

Ratios such as 0.9 or 0.975 are read as the decimals they are written as (``Fraction("0.9")``),
so that yen amounts computed from them are exact: ``floor(35_000_000 * 0.9)`` is 31,500,000,
never 31,499,999.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ValidationError

__all__ = [
    "as_fraction",
    "boolean_array",
    "check_nonneg_finite",
    "decimal_numerators",
    "finite_reals",
    "floor_mul_fraction",
    "int64_array",
    "integer_array",
    "nonnegative_integers",
    "nonnegative_reals",
    "position",
    "ratio",
    "real_array",
    "scenario_text",
    "scores_array",
    "whole_number",
    "yen_array",
]


def _where(arr: NDArray[Any], mask: NDArray[np.bool_]) -> str:
    idx = tuple(int(i) for i in np.argwhere(mask)[0])
    pos = idx[0] if len(idx) == 1 else idx
    return f"at index {pos} got {arr[idx]!r}"


def yen_array(value: ArrayLike, name: str, *, minimum: int = 0) -> NDArray[np.int64]:
    """An int64 array of yen amounts; integral, finite and >= ``minimum``, else ValidationError."""
    arr = np.asarray(value)
    if arr.dtype == np.bool_ or not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValidationError(f"{name} must be integer yen amounts, got an array of {arr.dtype}")
    if np.issubdtype(arr.dtype, np.floating):
        bad = ~np.isfinite(arr)
        if bad.any():
            raise ValidationError(f"{name} must be finite integer yen amounts [yen]; {_where(arr, bad)}")
        frac = arr != np.floor(arr)
        if frac.any():
            raise ValidationError(f"{name} must be whole yen [yen]; {_where(arr, frac)}")
        if np.abs(arr).max(initial=0) > 2**53:
            raise ValidationError(f"{name} is too large to be held exactly as a float; pass integers [yen]")
    out = arr.astype(np.int64)
    low = out < minimum
    if low.any():
        raise ValidationError(f"{name} must be integer yen >= {minimum} [yen]; {_where(out, low)}")
    return out


def nonnegative_reals(value: ArrayLike, name: str, *, positive: bool = False, unit: str = "1") -> NDArray[np.float64]:
    """A float64 array, finite and >= 0 (> 0 if ``positive``), else ValidationError."""
    arr = np.asarray(value)
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
        raise ValidationError(f"{name} must be real numbers [{unit}], got an array of {arr.dtype}")
    out = arr.astype(np.float64)
    bad = ~np.isfinite(out)
    if bad.any():
        raise ValidationError(f"{name} must be finite [{unit}] (NaN and infinity are not numbers here); {_where(out, bad)}")
    low = out <= 0 if positive else out < 0
    if low.any():
        raise ValidationError(f"{name} must be {'> 0' if positive else '>= 0'} [{unit}]; {_where(out, low)}")
    return out


def scores_array(value: ArrayLike, name: str) -> NDArray[np.float64]:
    """Judges' scores: float64, >= 0, NaN allowed (absent); infinity and negatives raise."""
    arr = np.asarray(value)
    if arr.dtype == np.bool_:
        arr = arr.astype(np.float64)
    if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
        raise ValidationError(f"{name} must be real scores [points], got an array of {arr.dtype}")
    out = arr.astype(np.float64)
    bad = np.isinf(out)
    if bad.any():
        raise ValidationError(f"{name} must be finite scores or NaN (absent) [points]; {_where(out, bad)}")
    low = out < 0
    if low.any():
        raise ValidationError(f"{name} must be scores >= 0 [points]; {_where(out, low)}")
    return out


def as_fraction(value: Any, name: str) -> Fraction:
    """A number read as the decimal it is written as: ``0.9`` -> 9/10, ``99.7`` -> 997/10.

    The one decimal -> :class:`~fractions.Fraction` conversion of the package.  Integers (Python or
    numpy) are exact; floats are read through their shortest decimal representation (``repr``), so a
    value typed as ``99.7`` is exactly 99.7, never its binary approximation; :class:`decimal.Decimal`
    and :class:`~fractions.Fraction` are exact; text such as ``" 0.975 "`` or ``"9/10"`` is parsed
    after stripping spaces.  Booleans, NaN, infinity and anything else raise a
    :class:`~jichitai_cloud.errors.ValidationError` naming ``name`` and the value.
    """
    if isinstance(value, bool | np.bool_):
        raise ValidationError(f"{name} must be a number, got {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer):
        return Fraction(int(value))
    if isinstance(value, float | np.floating):
        f = float(value)
        if not math.isfinite(f):
            raise ValidationError(f"{name} must be a finite number, got {value!r}")
        return Fraction(repr(f))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(f"{name} must be a finite number, got {value!r}")
        return Fraction(value)
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise ValidationError(f"{name} must be a number such as '0.9' or '9/10', got {value!r}") from None
    raise ValidationError(f"{name} must be a number, got {value!r}")


def ratio(value: Any, name: str, *, low: float = 0.0, high: float | None = 1.0,
          low_exclusive: bool = False) -> Fraction:
    """A ratio within bounds, as an exact fraction."""
    f = as_fraction(value, name)
    if (f <= low if low_exclusive else f < low) or (high is not None and f > high):
        rng = f"{'>' if low_exclusive else '>='} {low}" + (f" and <= {high}" if high is not None else "")
        raise ValidationError(f"{name} must be a ratio {rng} [1], got {value!r}")
    return f


_INT64_SAFE = 2**62


def floor_mul_fraction(amounts: NDArray[np.int64], f: Fraction) -> NDArray[np.int64]:
    """``floor(amount * f)`` exactly for non-negative integer amounts (int64 or Python ints)."""
    num, den = f.numerator, f.denominator
    top = int(np.abs(amounts).max(initial=0))
    if top * abs(num) < _INT64_SAFE:
        return (amounts * np.int64(num)) // np.int64(den)
    obj = amounts.astype(object) * num // den
    return np.asarray(obj, dtype=np.int64)


def decimal_numerators(values: NDArray[np.float64], *, max_decimals: int = 9) -> tuple[NDArray[Any], int]:
    """Read floats as decimals: integers ``n`` (Python ints, object array) and ``k`` with ``values = n / 10**k``.

    ``k`` is the smallest number of decimals (at most ``max_decimals``) at which every value is,
    within floating-point error, a whole number of ``10**-k``; values with more decimals are rounded
    to ``max_decimals`` decimals.
    """
    k = 0
    for k in range(max_decimals + 1):  # bounded: at most max_decimals + 1 refinements
        scaled = values * (10.0**k)
        near = np.abs(scaled - np.rint(scaled)) <= 16 * np.spacing(np.maximum(np.abs(scaled), 1.0))
        if near.all():
            break
    scaled = np.rint(values * (10.0**k))
    if np.abs(scaled).max(initial=0) < 2**53:
        ints = scaled.astype(np.int64).astype(object)
    else:  # pragma: no cover - astronomically large points
        ints = np.vectorize(lambda x: int(x), otypes=[object])(scaled)
    return ints, k


def position(index: tuple[Any, ...]) -> str:
    """An array position as text, ``(0, 1)`` -> ``"[0, 1]"`` (for messages)."""
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def integer_array(value: ArrayLike, name: str, *, unit: str = "yen", minimum: int = 0,
                  maximum: int | None = None, min_ndim: int = 0) -> NDArray[np.int64]:
    """An int64 array of an integer dtype (floats and booleans are refused) within ``[minimum, maximum]``.

    Unlike :func:`yen_array`, whole-number floats are not accepted: a float array is a sign that
    amounts went through floating point.  A failure names the first offending position, e.g.
    ``quotes[0, 1] must be >= 0 [yen], got -1``.
    """
    arr = int64_array(value, name, unit=unit)
    if arr.ndim < min_ndim:
        raise ValidationError(f"{name} must have at least {min_ndim} dimensions, got shape {arr.shape}")
    bounds = [(arr < minimum, f">= {minimum}")] + ([(arr > maximum, f"<= {maximum}")] if maximum is not None else [])
    for bad, rule in bounds:
        if bad.any():
            i = tuple(np.argwhere(bad)[0])
            raise ValidationError(f"{name}{position(i)} must be {rule} [{unit}], got {int(arr[i])}")
    return arr


def boolean_array(value: ArrayLike, name: str, *, meaning: str = "") -> NDArray[np.bool_]:
    """A boolean array; integer arrays holding only 0 and 1 are accepted as well.

    ``meaning`` says what ``True`` stands for in the message, e.g. ``"True where the member adopts"``.
    """
    arr = np.asarray(value)
    if arr.dtype == np.bool_:
        return arr
    if np.issubdtype(arr.dtype, np.integer) and bool(np.all((arr == 0) | (arr == 1))):
        return arr.astype(np.bool_)
    what = f" ({meaning})" if meaning else ""
    raise ValidationError(f"{name} must be boolean{what}, got dtype {arr.dtype}")
# --------------------------------------------------------------------------------------------------
# strict array checks of the allocation kernel (money is never a float; nothing is clipped)
# --------------------------------------------------------------------------------------------------
def int64_array(value: ArrayLike, name: str, *, limit: int = _INT64_SAFE, unit: str = "yen") -> NDArray[np.int64]:
    """An int64 array of integers (yen by default); floats, booleans and values beyond int64 raise ValidationError.

    Unlike :func:`yen_array`, a float array is refused even when its values are whole (money is
    never a float: round it first).  ``limit`` is quoted in the message for out-of-range input. [yen]
    """
    try:
        arr = np.asarray(value)
    except OverflowError:
        raise ValidationError(f"{name} is out of range for 64-bit integers [{unit}]") from None
    if arr.dtype == object:
        try:
            arr = np.asarray(value, dtype=np.int64)
        except (OverflowError, TypeError, ValueError):
            raise ValidationError(f"{name} must be integer {unit} (at most {limit:,}), got {value!r}") from None
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        raise ValidationError(
            f"{name} must be integer {unit}, got dtype {arr.dtype}"
            + (" (money is never a float; round it first)" if unit == "yen" else "")
        )
    if arr.dtype == np.uint64 and arr.size and int(arr.max()) > np.iinfo(np.int64).max:
        raise ValidationError(f"{name} is out of range for 64-bit integers [{unit}]")
    return arr.astype(np.int64, copy=False)


def real_array(value: ArrayLike, name: str) -> NDArray[np.generic]:
    """An integer or floating array (booleans read as 0/1), not copied; other dtypes raise ValidationError."""
    arr = np.asarray(value)
    if arr.dtype == np.bool_:
        arr = arr.astype(np.int64)
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValidationError(f"{name} must be real numbers, got dtype {arr.dtype}")
    return arr


def check_nonneg_finite(arr: NDArray[Any], name: str, offset: tuple[int, ...] = ()) -> None:
    """Raise ValidationError if any entry is NaN, infinite or negative, naming the first one.

    ``offset`` is added to the leading axes of the position named (for a block of a larger array).
    Fast when the array is fine: one ``min`` (and one ``max`` for floats).
    """
    if arr.size == 0:
        return
    if np.issubdtype(arr.dtype, np.integer):
        if arr.min() >= 0:
            return
        bad = ~(arr >= 0)
    else:
        lo = arr.min()
        if lo >= 0 and np.isfinite(arr.max()):
            return
        bad = ~(np.isfinite(arr) & (arr >= 0))
    pos = tuple(int(v) for v in np.unravel_index(int(np.argmax(bad)), arr.shape))
    full = tuple(o + p for o, p in zip(offset + (0,) * (len(pos) - len(offset)), pos, strict=True))
    raise ValidationError(
        f"{name}{position(full)} is {arr[pos]!r}: {name} must be finite and >= 0 "
        "(nothing is clipped or skipped; fix the input)"
    )


def scenario_text(leading: tuple[int, ...], s: int) -> str:
    """``"scenario [i, j]: "`` for flat scenario ``s`` of the leading shape (``""`` without one)."""
    if not leading:
        return ""
    return f"scenario {position(tuple(int(v) for v in np.unravel_index(s, leading)))}: "
def whole_number(value: Any, name: str, *, low: int = 1, high: int | None = None, unit: str = "") -> int:
    """An integer scalar argument (a count, a unit, a number of decimals) in ``low..high``, else ValidationError.

    ``unit`` (e.g. ``"yen"``) is shown in brackets in the message.  Booleans are not integers here.
    """
    if (isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low
            or (high is not None and value > high)):
        what = f"from {low} to {high}" if high is not None else f">= {low}"
        raise ValidationError(f"{name} must be an integer {what}{f' [{unit}]' if unit else ''}, got {value!r}")
    return int(value)
def finite_reals(value: ArrayLike, name: str) -> NDArray[np.float64]:
    """A float64 array of finite numbers (no NaN, no infinity), else ValidationError naming the first one."""
    arr = np.asarray(value, dtype=np.float64)
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValidationError(f"{name} must be finite numbers; {_where(arr, bad)}")
    return arr


def nonnegative_integers(value: ArrayLike, name: str, *, unit: str = "1") -> NDArray[np.int64]:
    """An int64 array of integers >= 0 (minutes, points, indices); whole finite floats are accepted.

    Booleans, fractions, NaN, infinity and negative values raise a ValidationError naming ``name``,
    the first offending position and value, and the unit.
    """
    arr = np.asarray(value)
    if arr.dtype == np.bool_ or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        if np.issubdtype(arr.dtype, np.floating) and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise ValidationError(f"{name} must be integers [{unit}], got an array of {arr.dtype}")
    out = arr.astype(np.int64)
    low = out < 0
    if low.any():
        raise ValidationError(f"{name} must be >= 0 [{unit}]; {_where(out, low)}")
    return out
