"""Scopes of service-level monitoring: ``(member, system)`` pairs, ``""`` meaning all (全体).

Observations may be for the whole council (member ``""``) or for one member, and for all business
systems (system ``""``) or one.  Each distinct ``(member, system)`` pair is a *scope*, one column of
the arrays ``metrics x months x scopes``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import _validators as v
from .._frozenmap import FrozenMap
from ..errors import UnknownMemberError, ValidationError
from ..model import ALL

__all__ = ["ALL", "check_names", "default_scopes", "member_label", "scope_label", "scope_match", "to_names",
           "to_scopes", "unnamed"]

Scope = tuple[str, str]


def member_label(member: str, names: Mapping[str, str] | None = None, lang: str = "ja") -> str:
    """A member as a council reads it: its name from ``names`` (``"射水市"``), its code when no names
    are given, ``"全体"`` for the whole council (``""``; ``"All"`` when ``lang="en"``).

    Raises
    ------
    UnknownMemberError
        ``names`` are given but none for ``member`` (never a silent fallback to the code).
    """
    if member == ALL:
        return "All" if lang == "en" else "全体"
    if not names:
        return member
    try:
        return names[member]
    except KeyError:
        raise UnknownMemberError(f"no name for member code {member!r}; names are given for {sorted(names)}") from None


def unnamed(refs: Iterable[tuple[str, str]], names: Mapping[str, str]) -> dict[str, list[str]]:
    """The member codes of ``refs`` (``(code, where it is used)``) that ``names`` does not name, each
    with where it is used, in order (``{"G": ["improvement_requests[3] (Y-004)"]}``); the whole
    council (``""``) needs no name."""
    out: dict[str, list[str]] = {}
    for code, where in refs:
        if code != ALL and code not in names:
            out.setdefault(code, []).append(where)
    return out


def to_names(value: Any) -> Any:
    """Converter: ``{member code: name}`` as a :class:`FrozenMap` (``None``: no names)."""
    if value is None:
        return FrozenMap()
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


def check_names(_inst: Any, attribute: Any, value: Any) -> None:
    """Validator of ``{member code: name}``: each key a member code (not ``""``, the whole council is
    全体), each name one line of non-empty text."""
    if not isinstance(value, FrozenMap):
        raise ValidationError(f"{attribute.name} must be a table of member code = name, got {value!r:.80}")
    for code, name in value.items():
        v.check_member_code(code, f"{attribute.name} key {code!r}")
        v.check_text(name, f"{attribute.name}.{code}", empty=False)


def scope_label(scope: Scope, names: Mapping[str, str] | None = None, lang: str = "ja") -> str:
    """``"A"``, ``"A/住基"``, ``"全体"`` for a ``(member, system)`` scope; with ``names``, the member's
    name (``"射水市/住基"``, see :func:`member_label`)."""
    member, system = scope
    m = member_label(member, names, lang)
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
