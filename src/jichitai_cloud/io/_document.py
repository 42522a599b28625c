"""Whole objects from TOML or JSON: text or a file structured by the cattrs converter into ``cls``.

The topic loaders and :func:`~jichitai_cloud.io.load` read TOML and JSON documents through
:func:`load_object` (the limits of :mod:`jichitai_cloud.io._read` hold) and text through
:func:`loads`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

from ..errors import InputError, Problem, ValidationError
from ._read import decode, parse_document, read_bytes
from .converter import structure

__all__ = ["DOCUMENT_FORMATS", "load_object", "loads"]

T = TypeVar("T")
PathLike = str | os.PathLike[str]

DOCUMENT_FORMATS = {".toml": "toml", ".json": "json"}
"""File extensions of whole documents, and the format each stands for."""


def loads(text: str, cls: type[T], *, format: str = "toml", source: str | None = None) -> T:
    """Parse TOML or JSON text into a domain object.

    Parameters
    ----------
    text
        The document.
    cls
        Type wanted, e.g. :class:`~jichitai_cloud.Consortium`.
    format
        ``"toml"`` or ``"json"``.
    source
        Name for error messages.

    Raises
    ------
    InputError
        Syntax errors (with line and column) or every invalid field (with its path).
    """
    if format not in ("toml", "json"):
        raise ValidationError(f"format must be 'toml' or 'json', got {format!r}")
    data = parse_document(text, format, source=source)
    return structure(data, cls, source=source)


def load_object(path: PathLike, cls: type[T], *, encoding: str = "auto", max_bytes: int | None = None,
                expected: str = ".toml or .json") -> T:
    """A ``.toml`` or ``.json`` file structured into ``cls``.

    Parameters
    ----------
    path
        The file; its extension says the format.
    cls
        Type wanted.
    encoding
        ``"auto"`` (UTF-8 with or without BOM, else CP932) or a codec name.
    max_bytes
        Largest file read (default 100 MB). [bytes]
    expected
        What the message for another extension says was expected.

    Raises
    ------
    InputError
        Another extension, an unreadable file, bad text, invalid TOML/JSON, every invalid field.
    """
    source = os.fspath(path)
    suffix = Path(path).suffix.lower()
    if suffix not in DOCUMENT_FORMATS:
        raise InputError([Problem("", f"unknown file type {suffix!r}: expected {expected}")], source=source)
    raw = read_bytes(path, max_bytes=max_bytes, source=source)
    return loads(decode(raw, encoding=encoding, source=source), cls, format=DOCUMENT_FORMATS[suffix], source=source)
