"""Scopes of service-level monitoring: ``(member, system)`` pairs, ``""`` meaning all (全体).

Observations may be for the whole council (member ``""``) or for one member, and for all business
systems (system ``""``) or one.  Each distinct ``(member, system)`` pair is a *scope*, one column of
the arrays ``metrics x months x scopes``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import ValidationError
from ..model import ALL

__all__ = ["ALL", "default_scopes", "scope_label", "scope_match", "to_scopes"]

Scope = tuple[str, str]


def scope_label(scope: Scope) -> str:
    """``"A"``, ``"A/住基"``, ``"全体"`` for a ``(member, system)`` scope."""
    member, system = scope
    m = member or "全体"
    return f"{m}/{system}" if system else m


def to_scopes(value: Iterable[Iterable[str]]) -> tuple[Scope, ...]:
    """Converter: ``(member, system)`` pairs as a tuple of 2-tuples of text."""
    out = []
    for x in value:
        pair = tuple(x)
        if len(pair) != 2 or not all(isinstance(c, str) for c in pair):
            raise ValidationError(f"a scope must be a (member, system) pair of codes, got {x!r}")
        out.append((pair[0], pair[1]))
    return tuple(out)


def scope_match(codes: Sequence[str], wanted: Sequence[str]) -> NDArray[np.bool_]:
    """(E, N): record code applies to scope code ("" on either side matches everything)."""
    c = np.array(list(codes), dtype=object)[:, None]
    w = np.array(list(wanted), dtype=object)[None, :]
    return (c == ALL) | (w == ALL) | (c == w)  # type: ignore[no-any-return]


def default_scopes(members: Sequence[str] | None, systems: Sequence[str] | None) -> tuple[Scope, ...]:
    """Every ``(member, system)`` pair (each list defaulting to ``[""]``)."""
    mem = tuple(members) if members is not None else (ALL,)
    sys_ = tuple(systems) if systems is not None else (ALL,)
    return tuple((m, s) for m in mem for s in sys_)
