"""Limits on the amount of work one call may ask for (sample counts, sweep steps).

A computation whose size the caller chooses (Monte Carlo samples, steps of a ratio sweep) is
refused up front above a documented limit, sized so that it answers within seconds on a laptop,
with the limit, an estimate of memory and time in the message and how to lift it (``limit=False``
in the library, ``--no-limit`` on the command line).  Work that was asked for explicitly then runs.
"""

from __future__ import annotations

from ..errors import ValidationError

__all__ = ["MAX_SAMPLES", "MAX_SWEEP_STEPS", "check_work", "describe_bytes"]

MAX_SAMPLES = 1_000_000
"""The most Monte Carlo samples of the evaluation robustness unless ``limit=False`` / ``--no-limit``
(about 5 s and 50 MB for the bundled example on a laptop). [1]"""

MAX_SWEEP_STEPS = 10_000
"""The most steps of a ratio sweep unless ``limit=False`` / ``--no-limit`` (about 0.5 s and 6 MB for
six members on a laptop). [1]"""


def describe_bytes(n: float) -> str:
    """``n`` bytes in words: ``"512 B"``, ``"3.2 MB"``, ``"6.0 GB"`` (decimal units). [bytes]"""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} B"


def _describe_seconds(s: float) -> str:
    if s >= 3600:
        return f"{s / 3600:.1f} hours"
    if s >= 60:
        return f"{s / 60:.0f} minutes"
    return f"{s:.0f} s"


def check_work(name: str, value: int, *, limit: int, memory: float, seconds: float | None = None,
               lift: str = "limit=False") -> None:
    """Refuse ``value`` above ``limit`` with a :class:`ValidationError` that says what it would cost.

    Parameters
    ----------
    name
        The argument as the caller wrote it (``"samples"``, ``"--sweep"``).
    value
        The amount asked for. [1]
    limit
        The largest amount allowed without lifting the limit. [1]
    memory
        Estimated peak memory of ``value``. [bytes]
    seconds
        Estimated time of ``value`` on a laptop, if known. [s]
    lift
        How to lift the limit (``"limit=False"``, ``"--no-limit"``).
    """
    if value <= limit:
        return
    cost = f"about {describe_bytes(memory)} of memory"
    if seconds is not None:
        cost += f" and {_describe_seconds(seconds)}"
    raise ValidationError(f"{name} {value:,} is above the limit of {limit:,} ({cost} on a laptop); "
                          f"pass {lift} to run it anyway")
