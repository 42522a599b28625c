"""Uncertain inputs of a renewal comparison: uniform draws, the cheapest option per sample.

Each option's ``monthly_fee`` and ``one_off`` are multiplied by a factor drawn uniformly in the
given range, and its ``yearly_change`` is drawn uniformly as the rate itself.  Every option and
input draws its own stream of uniforms from the seed, always (whether uncertain or not), so the
same seed gives the same draws whatever the amounts: changing one option's amount never moves
another option's samples (common random numbers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._numeric import _dask as dk
from ..errors import ValidationError
from ._kernels import block_fees, option_values
from ._options import RenewalOption

__all__ = ["KEYS", "check_uncertain", "sample_values"]

KEYS = ("monthly_fee", "one_off", "yearly_change")


def check_uncertain(uncertain: Mapping[str, Mapping[str, Any]] | None, names: Sequence[str]
                    ) -> dict[str, dict[str, tuple[float, float]]]:
    """``uncertain`` checked: known option names and keys, ranges ``(low, high)`` with ``low <= high``."""
    if uncertain is None:
        return {}
    if not isinstance(uncertain, Mapping):
        raise ValidationError(f"uncertain must be a mapping option name -> {{input: (low, high)}}, got {uncertain!r}")
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for name, spec in uncertain.items():
        if name not in names:
            raise ValidationError(f"uncertain[{name!r}]: no option of that name; options are {list(names)}")
        if not isinstance(spec, Mapping):
            raise ValidationError(f"uncertain[{name!r}] must map {list(KEYS)} to (low, high), got {spec!r}")
        out[name] = {}
        for key, rng in spec.items():
            where = f"uncertain[{name!r}][{key!r}]"
            if key not in KEYS:
                raise ValidationError(f"{where}: unknown input; the uncertain inputs are {list(KEYS)}")
            if isinstance(rng, str | bytes) or not isinstance(rng, Sequence) or len(rng) != 2:
                raise ValidationError(f"{where} must be a pair (low, high), got {rng!r}")
            lo, hi = rng
            ok = all(not isinstance(x, bool) and isinstance(x, int | float) and np.isfinite(x) for x in (lo, hi))
            if not ok or lo > hi:
                raise ValidationError(f"{where} must be finite numbers with low <= high, got {rng!r}")
            if key == "yearly_change" and lo <= -1:
                raise ValidationError(f"{where}: a yearly change must be > -1, got low {lo!r}")
            if key != "yearly_change" and lo < 0:
                raise ValidationError(f"{where}: a factor must be >= 0, got low {lo!r}")
            out[name][key] = (float(lo), float(hi))
    return out


def sample_values(options: Sequence[RenewalOption], codes: Sequence[str], exact: Sequence[NDArray[np.int64]],
                  counts: NDArray[np.int64], discounts: NDArray[np.float64],
                  uncertain: Mapping[str, Mapping[str, tuple[float, float]]], samples: int, seed: Any,
                  chunks: int | None = None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Totals and present values ``(S, O)`` of every option in every sample. [yen]

    ``exact[k]`` is option ``k``'s exact block fee table (from its own formula); an option whose fee
    and yearly change are certain uses it as it is, so a comparison without ``uncertain`` gives the
    same values in every sample as the exact comparison.  With ``chunks``, the draws are dask arrays
    of that many samples a chunk and the fees are computed chunk by chunk (the ``scale`` extra).
    """
    rng = np.random.default_rng(seed)
    o = len(options)
    u = rng.random((o, len(KEYS), samples))  # every stream drawn, uncertain or not
    blocks = counts.size
    fees = np.empty((samples, o, blocks), dtype=np.float64)
    upfront = np.empty((samples, o), dtype=np.float64)
    for k, opt in enumerate(options):  # a loop over the (few) options; samples are arrays
        spec = uncertain.get(opt.name, {})

        def draw(key: str, base: float, k: int = k, spec: Mapping[str, tuple[float, float]] = spec
                 ) -> NDArray[np.float64]:
            if key not in spec:
                return np.full(samples, base)
            lo, hi = spec[key]
            out: NDArray[np.float64] = lo + (hi - lo) * u[k, KEYS.index(key)]
            return out

        table = exact[k]
        if "monthly_fee" in spec or "yearly_change" in spec:
            fee = opt.monthly_fee
            base = (np.array(list(map(dict(fee.items()).__getitem__, codes)), dtype=np.float64) if isinstance(fee, Mapping)
                    else np.array([fee], dtype=np.float64))
            factor = draw("monthly_fee", 1.0)
            rate = draw("yearly_change", float(opt.yearly_change))
            if chunks is not None:
                got: Any = dk.compute(block_fees(base, dk.chunked(factor, chunks), dk.chunked(rate, chunks), blocks))[0]
                fees[:, k] = np.asarray(got)
            else:
                fees[:, k] = block_fees(base, factor, rate, blocks)
        else:
            fees[:, k] = table if table.ndim == 1 else table.sum(axis=1)
        upfront[:, k] = np.rint(draw("one_off", 1.0) * opt.one_off_total)
    first = fees[:, 0, 0]  # the incumbent's first monthly fee in each sample
    parallel = np.array([opt.parallel_months for opt in options], dtype=np.float64)
    upfront += parallel[None, :] * first[:, None]
    return option_values(fees, upfront, counts, discounts)
