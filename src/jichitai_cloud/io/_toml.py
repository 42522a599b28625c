"""A small TOML writer for the plain data the converter produces (the standard library only reads TOML).

Handles text, integers, floats, booleans, dates, lists (of scalars, of lists, or of tables) and
nested tables; ``None`` inside a list is written as ``"absent"`` (TOML has no null).  The output
is read back by :mod:`tomllib` to the same data.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from ..errors import ValidationError

__all__ = ["dumps"]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else _string(k)


def _string(s: str) -> str:
    out = json.dumps(s, ensure_ascii=False)
    return out.replace("\x7f", "\\u007F")


def _scalar(x: Any) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            raise ValidationError(f"cannot write the non-finite number {x!r}")
        return repr(x)
    if isinstance(x, str):
        return _string(x)
    if isinstance(x, _dt.datetime):
        return x.isoformat()
    if isinstance(x, _dt.date):
        return x.isoformat()
    if x is None:
        return '"absent"'
    if isinstance(x, Mapping):
        return "{ " + ", ".join(f"{_key(str(k))} = {_scalar(v)}" for k, v in x.items()) + " }" if x else "{}"
    if isinstance(x, list | tuple):
        return "[" + ", ".join(_scalar(v) for v in x) + "]"
    raise ValidationError(f"cannot write {type(x).__name__} value {x!r} to TOML")


def _is_table_array(x: Any) -> bool:
    return isinstance(x, list | tuple) and len(x) > 0 and all(isinstance(v, Mapping) for v in x)


def _is_table(x: Any) -> bool:
    return isinstance(x, Mapping) and len(x) > 0


def _emit(table: Mapping[str, Any], path: list[str], out: list[str]) -> None:
    simple = [(k, v) for k, v in table.items() if not _is_table(v) and not _is_table_array(v)]
    for k, v in simple:
        out.append(f"{_key(str(k))} = {_scalar(v)}")
    for k, v in table.items():
        sub = [*path, _key(str(k))]
        if _is_table(v):
            out.append("")
            out.append(f"[{'.'.join(sub)}]")
            _emit(v, sub, out)
        elif _is_table_array(v):
            for item in v:
                out.append("")
                out.append(f"[[{'.'.join(sub)}]]")
                _emit(item, sub, out)


def dumps(data: Mapping[str, Any]) -> str:
    """Serialise a mapping as a TOML document."""
    out: list[str] = []
    _emit(data, [], out)
    return "\n".join(out).lstrip("\n") + "\n"
