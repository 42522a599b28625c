"""Helpers shared by the subcommands of the ``jichitai-cloud`` program.

Each subcommand is a module of :mod:`jichitai_cloud.cli` with ``register(subparsers)``; its
handler takes the parsed arguments and returns an exit code.  Handlers raise
:class:`~jichitai_cloud.errors.JichitaiCloudError` for bad input; :func:`jichitai_cloud.cli.main`
prints the message (never a traceback) and exits with status 1.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._display import text_table
from ..errors import JichitaiCloudError
from ..io._safe import escape_cell

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Consortium

__all__ = ["add_format_argument", "add_source_arguments", "emit", "emit_text", "load_source"]


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``FILE`` (a council, or a member list in CSV or Excel) and ``--example NAME`` (a bundled example)."""
    parser.add_argument("file", nargs="?", metavar="FILE",
                        help="council file (.toml, .json) or member list (.csv in UTF-8 or CP932, .xlsx)")
    parser.add_argument("--example", metavar="NAME", help="use a bundled example instead of FILE (e.g. toyama)")


def load_source(args: argparse.Namespace) -> Consortium:
    """The council named by ``FILE`` or ``--example`` (exactly one of them must be given).

    ``FILE`` is a whole council (``.toml``, ``.json``) or a member list (``.csv``, ``.xlsx``) read
    by :func:`jichitai_cloud.io.load_council`, so every subcommand that takes a council takes a
    member list as well.
    """
    from .. import examples
    from .. import io as jio

    if (args.file is None) == (args.example is None):
        raise JichitaiCloudError("give either FILE or --example NAME (e.g. --example toyama)")
    if args.example is not None:
        return examples.load(args.example)
    return jio.load_council(args.file)


def add_format_argument(parser: argparse.ArgumentParser,
                        formats: Sequence[str] = ("table", "json", "csv")) -> None:
    """Add ``--format`` with the given choices (the first is the default)."""
    parser.add_argument("--format", choices=list(formats), default=formats[0], help="output format")


def emit(args: argparse.Namespace, header: Sequence[str], rows: Sequence[Sequence[Any]], *,
         title: str | None = None) -> None:
    """Print a table in ``args.format``: aligned text, JSON (a list of objects) or CSV (injection-safe)."""
    fmt = getattr(args, "format", "table")
    if fmt == "json":
        records = [dict(zip(header, r, strict=True)) for r in rows]
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow([escape_cell(h) for h in header])
        w.writerows([[escape_cell(x) for x in r] for r in rows])
        sys.stdout.write(buf.getvalue())
    else:
        sys.stdout.write(text_table(header, rows, title=title) + "\n")


def emit_text(args: argparse.Namespace, text: str, data: Mapping[str, Any] | None = None) -> None:
    """Print free text, or ``data`` as JSON when ``--format json`` was asked for."""
    if getattr(args, "format", "table") == "json" and data is not None:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text.rstrip("\n") + "\n")
