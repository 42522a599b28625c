"""The one way this package reads a file, and the limits every reader keeps.

Every loader (councils, member lists in CSV or Excel, schedules, operations bundles, procurements,
cost models, registers, plans) reads a file's bytes through :func:`read_bytes` and parses TOML or
JSON through :func:`parse_document`:

* the file must be a regular file (folders, devices such as ``/dev/zero``, FIFOs and sockets are
  refused before a byte is read) no larger than :data:`MAX_FILE_BYTES` (100 MB; every loader takes
  ``max_bytes=`` to change it); a file growing while it is read is cut at the limit and refused;
* a file named inside another one (``files = [...]`` in an operations bundle) is resolved by
  :func:`resolve_listed` relative to the naming file's folder and must stay inside that folder: no
  absolute path, no ``..`` out of it, no symbolic link leading out of it; the message names the
  entry, never what the file holds;
* a TOML or JSON document may nest tables and lists at most :data:`MAX_DEPTH` deep (checked after
  parsing by an iterative walk; a parser's own ``RecursionError`` is caught too); a JSON object
  may not repeat a key;
* a CSV file may hold at most :data:`MAX_ROWS` rows;
* ``RecursionError`` and ``MemoryError`` never escape a loader: they become an
  :class:`~jichitai_cloud.errors.InputError` naming the file.

See ``docs/limits.md`` for every limit and what happens past it.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem

__all__ = [
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "check_depth",
    "decode",
    "parse_document",
    "read_bytes",
    "read_document",
    "resolve_listed",
]

PathLike = str | os.PathLike[str]

MAX_FILE_BYTES = 100 * 1024 * 1024
"""Largest file any loader reads, unless ``max_bytes=`` says otherwise (100 MB). [bytes]"""

MAX_DEPTH = 64
"""Deepest nesting of tables and lists in a TOML or JSON document (a council file needs about 6)."""

MAX_ROWS = 1_000_000
"""Most rows (lines after the header) in one CSV file or one sheet of a workbook."""

MAX_CELLS = 1_000_000
"""Most cells (``<c>`` elements) in one sheet of a workbook, and most shared strings in a workbook.

Counted in the archive before the workbook is parsed; about 20 s of openpyxl parsing on 2 cores
(200,000 member rows of 5 columns)."""

MAX_CELL_CHARS = 32_767
"""Longest text in one cell, CSV or Excel (Excel's own limit). [characters]"""

_CHUNK = 1 << 20


def _too_big(limit: int) -> str:
    return (f"the file is larger than the limit of {limit:,} bytes ({limit / 2**20:.0f} MB); "
            "pass max_bytes= to read larger files")


def read_bytes(path: PathLike, *, max_bytes: int | None = None, source: str | None = None) -> bytes:
    """The bytes of a regular file, at most ``max_bytes`` of them, or an :class:`InputError`.

    Parameters
    ----------
    path
        The file.
    max_bytes
        Largest size read (default :data:`MAX_FILE_BYTES`). [bytes]
    source
        Name for error messages (default: the path).

    Raises
    ------
    InputError
        The file is missing, unreadable, not a regular file (a folder, device, FIFO or socket), or
        larger than the limit; the message names the file and never shows its content.
    """
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise InputError([Problem("", f"max_bytes must be an integer >= 0 [bytes], got {max_bytes!r}")],
                         source=source)
    name = source or os.fspath(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise InputError([Problem("", "cannot read: it is a folder, not a file")], source=name)
        if not stat.S_ISREG(st.st_mode):
            raise InputError([Problem("", "cannot read: not a regular file (a device, FIFO or socket)")],
                             source=name)
        if st.st_size > limit:
            raise InputError([Problem("", _too_big(limit))], source=name)
        # O_NONBLOCK: a FIFO swapped in after the check does not block the open
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError([Problem("", "cannot read: not a regular file (a device, FIFO or socket)")],
                                 source=name)
            data = fh.read(limit + 1)
    except InputError:
        raise
    except MemoryError:
        raise InputError([Problem("", "not enough memory to read the file")], source=name) from None
    except OSError as exc:
        raise InputError([Problem("", f"cannot read file: {exc.strerror or type(exc).__name__}")],
                         source=name) from None
    if len(data) > limit:
        raise InputError([Problem("", _too_big(limit))], source=name)
    return data


def resolve_listed(base: PathLike, entry: object, *, field: str = "files", source: str | None = None) -> Path:
    """A file named inside ``base`` (e.g. in ``files = [...]``), resolved inside ``base``'s folder.

    Parameters
    ----------
    base
        The file that names ``entry``.
    entry
        The name as written: a relative path.
    field
        Where the entry stands (``"files[2]"``), for the message.
    source
        Name of ``base`` for the message (default: its path).

    Returns
    -------
    pathlib.Path
        The path to read (under ``base``'s folder).

    Raises
    ------
    InputError
        The entry is not text, empty, absolute, leads out of the folder (by ``..`` or a symbolic
        link), or names something other than a regular file; the message quotes the entry and
        never the content of any file.
    """
    name = source or os.fspath(base)
    if not isinstance(entry, str) or not entry.strip():
        raise InputError([Problem(field, f"must be a file name relative to this file, got {entry!r:.80}")],
                         source=name)
    if "\x00" in entry or any(ord(ch) < 32 for ch in entry):
        raise InputError([Problem(field, f"the file name {entry!r:.80} holds control characters")], source=name)
    rel = Path(entry)
    if rel.is_absolute() or rel.drive or entry.startswith(("/", "\\")):
        raise InputError([Problem(field, f"{entry!r:.80} is an absolute path; name files relative to this "
                                         "file's folder")], source=name)
    folder = Path(base).parent
    try:
        root = folder.resolve(strict=True)
        target = (folder / rel).resolve(strict=False)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
        raise InputError([Problem(field, f"cannot resolve {entry!r:.80}: {exc}")], source=name) from None
    if target != root and root not in target.parents:
        raise InputError([Problem(field, f"{entry!r:.80} lies outside this file's folder (by '..' or a "
                                         "symbolic link); files must be in the same folder or below it")],
                         source=name)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        raise InputError([Problem(field, f"{entry!r:.80}: no such file in {os.fspath(folder) or '.'}")],
                         source=name) from None
    except OSError as exc:
        raise InputError([Problem(field, f"{entry!r:.80}: cannot read: {exc.strerror}")], source=name) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError([Problem(field, f"{entry!r:.80} is not a regular file (a folder, device, FIFO or "
                                         "socket)")], source=name)
    return folder / rel


# -- decoding: UTF-8 or CP932 ------------------------------------------------------------------
def decode(data: bytes, *, encoding: str = "auto", source: str | None = None) -> str:
    """Decode file bytes: UTF-8 (a BOM is removed) or, failing that, CP932 (Shift_JIS).

    Parameters
    ----------
    data
        The file's bytes.
    encoding
        ``"auto"`` (UTF-8, then CP932), or a codec name such as ``"utf-8"`` or ``"cp932"``.
    source
        File name for error messages.

    Raises
    ------
    InputError
        If the bytes are valid in neither encoding; the message gives the offending byte offset.
    """
    if encoding != "auto":
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError([Problem("", f"cannot decode as {encoding}: {exc}")], source=source) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_err:
        try:
            return data.decode("cp932")
        except UnicodeDecodeError as sj_err:
            raise InputError(
                [Problem("", f"cannot decode: not UTF-8 (bad byte 0x{data[utf8_err.start]:02x} at offset "
                             f"{utf8_err.start}) and not CP932/Shift_JIS (bad byte at offset {sj_err.start}); "
                             "save the file as UTF-8 or pass encoding=")],
                source=source,
            ) from sj_err


def check_depth(data: Any, *, max_depth: int = MAX_DEPTH) -> int:
    """The nesting depth of parsed data (an iterative walk, no recursion); an error past ``max_depth``.

    Raises
    ------
    ValueError
        If tables and lists nest deeper than ``max_depth`` (the caller names the file).
    """
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list | tuple):
            depth += 1
            if depth > max_depth:
                raise ValueError(f"tables and lists nest more than {max_depth} deep")
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((c, depth) for c in children if isinstance(c, dict | list | tuple))
    return deepest


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, x in pairs:
        if k in out:
            raise _DuplicateKey(k)
        out[k] = x
    return out


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def parse_document(text: str, fmt: str, *, source: str | None = None, max_depth: int = MAX_DEPTH) -> Any:
    """Parse TOML or JSON text into plain data, keeping the limits of this module.

    Parameters
    ----------
    text
        The document.
    fmt
        ``"toml"`` or ``"json"``.
    source
        Name for error messages.
    max_depth
        Deepest nesting allowed (default :data:`MAX_DEPTH`).

    Raises
    ------
    InputError
        Syntax errors (with line and column), a JSON key given twice, nesting deeper than the
        limit, or a document too large for memory.
    """
    try:
        if fmt == "toml":
            data: Any = tomllib.loads(text)
        elif fmt == "json":
            data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        else:
            raise InputError([Problem("", f"format must be 'toml' or 'json', got {fmt!r}")], source=source)
        check_depth(data, max_depth=max_depth)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem("", f"not valid TOML: {exc}")], source=source) from None
    except json.JSONDecodeError as exc:
        raise InputError([Problem(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")],
                         source=source) from None
    except _DuplicateKey as exc:
        raise InputError([Problem("", f"the key {exc.key!r:.80} is given twice in one object; each key may "
                                      "appear once")], source=source) from None
    except RecursionError:
        raise InputError([Problem("", f"tables and lists nest too deeply (the limit is {max_depth})")],
                         source=source) from None
    except MemoryError:
        raise InputError([Problem("", "not enough memory to parse the document")], source=source) from None
    except ValueError as exc:  # check_depth; json's own errors for huge numbers
        raise InputError([Problem("", str(exc))], source=source) from None
    return data


def read_document(path: PathLike, *, max_bytes: int | None = None) -> tuple[Any, str]:
    """A ``.toml`` or ``.json`` file read through :func:`read_bytes` and :func:`parse_document`.

    Parameters
    ----------
    path
        The file (its extension says the format).
    max_bytes
        Largest file read (default :data:`MAX_FILE_BYTES`). [bytes]

    Returns
    -------
    tuple
        ``(data, source)``: the parsed content and the file's name for messages.

    Raises
    ------
    InputError
        Another extension, an unreadable or oversized file, bad text, invalid TOML/JSON, nesting
        past :data:`MAX_DEPTH` or duplicate JSON keys.
    """
    source = os.fspath(path)
    suffix = Path(path).suffix.lower()
    if suffix not in (".toml", ".json"):
        raise InputError([Problem("", f"unknown file type {suffix!r}: expected .toml or .json")], source=source)
    text = decode(read_bytes(path, max_bytes=max_bytes, source=source), source=source)
    return parse_document(text, suffix[1:], source=source), source
