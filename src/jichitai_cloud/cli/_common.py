"""Helpers shared by the subcommands of the ``jichitai-cloud`` program.

Each subcommand is a module of :mod:`jichitai_cloud.cli` with ``register(subparsers)``; its
handler takes the parsed arguments and returns an exit code.  Handlers raise
:class:`~jichitai_cloud.errors.JichitaiCloudError` for bad input; :func:`jichitai_cloud.cli.main`
prints the message on one line (never a traceback) and exits with status 1.

One way to write a result, for every subcommand:

* :func:`add_format_argument` adds ``--format`` and, through :func:`add_output_arguments`,
  ``--output FILE`` (``-o``; the format follows the extension — ``.txt .csv .json .html .xlsx .md``
  — unless ``--format`` says otherwise) and ``--force`` (replace an existing file; refused
  otherwise).  Old flags such as ``--excel PATH`` stay as aliases that *also* write the result
  in one format.
* :func:`write_result` (and its short forms :func:`emit` for a table, :func:`emit_text` for text
  or JSON data) renders the result in ``args.format`` and prints it, or writes it to
  ``args.output`` through :func:`jichitai_cloud.io.write_atomic` (atomic, never over an
  existing file without ``--force``; a failed write leaves the old file as it was).

Limits on work (:data:`MAX_SEED`, :data:`MAX_YEN`) and argument types (:func:`seed_argument`,
:func:`count_argument`, :func:`yen_argument`, :func:`positive_real_argument`) check numbers when
the arguments are read, so a bad number is a usage error (exit 2) before any work starts;
:func:`add_limit_arguments` and :func:`check_limit` refuse sample counts and sweep steps above
the documented limits unless ``--no-limit``; :func:`progress` shows long work on standard error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import json
import math
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .._display import DataTable, Lang, check_lang
from .._numeric._limits import check_work
from ..errors import JichitaiCloudError

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Consortium

__all__ = [
    "EXTENSIONS",
    "MAX_SEED",
    "MAX_YEN",
    "UsageError",
    "add_format_argument",
    "add_limit_arguments",
    "add_output_arguments",
    "add_sheet_argument",
    "add_source_arguments",
    "check_limit",
    "count_argument",
    "emit_text",
    "lang_of",
    "load_source",
    "positive_real_argument",
    "progress",
    "records",
    "resolve_output",
    "seed_argument",
    "write_result",
    "yen_argument",
]

MAX_SEED = 2**63 - 1
"""The largest random seed accepted (``--seed``; seeds are whole numbers from 0). [1]"""

MAX_YEN = 10**15 - 1
"""The largest amount of yen an argument takes (``--total``, ``--unit``): below 10**15 (1,000 兆円). [yen]"""

EXTENSIONS: Mapping[str, str] = {
    ".txt": "table", ".text": "table", ".csv": "csv", ".json": "json", ".html": "html", ".htm": "html",
    ".xlsx": "xlsx", ".md": "markdown", ".markdown": "markdown",
}
"""The format ``--output FILE`` writes, by the file's extension (``--format`` overrides it)."""

_PROGRESS_AFTER = 1.0
"""Seconds of work before a progress line appears. [s]"""


class UsageError(JichitaiCloudError):
    """The arguments do not fit together (exit status 2, like an unknown option)."""


# -- the source of a council ---------------------------------------------------------------------


def add_sheet_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--sheet NAME``: the sheet of an .xlsx member list (read by :func:`load_source`)."""
    parser.add_argument("--sheet", metavar="NAME", default=None,
                        help="the sheet of an .xlsx member list to read (default: the one visible sheet with the "
                             "member headings; hidden sheets are read only when named)")


def add_source_arguments(
    parser: argparse.ArgumentParser,
    file_help: str = "council file (.toml, .json) or member list (.csv in UTF-8 or CP932, .xlsx)",
) -> None:
    """Add ``FILE`` (by default a council, or a member list in CSV or Excel; what ``file_help`` says)
    and ``--example NAME`` (a bundled example instead of FILE)."""
    parser.add_argument("file", nargs="?", metavar="FILE", help=file_help)
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
    sheet = getattr(args, "sheet", None)
    if sheet is not None and not str(args.file).lower().endswith((".xlsx", ".xlsm")):
        raise JichitaiCloudError(f"--sheet applies to an .xlsx member list, not to {args.file!r}")
    return jio.load_council(args.file, sheet=sheet)


# -- numbers in arguments --------------------------------------------------------------------------


def _whole(text: str, what: str, low: int, high: int, unit: str = "") -> int:
    cleaned = text.replace(",", "").replace("_", "").strip()
    digits = cleaned[1:] if cleaned[:1] in "+-" else cleaned
    u = f" [{unit}]" if unit else ""
    if not digits.isascii() or not digits.isdigit() or len(digits) > 30:
        raise argparse.ArgumentTypeError(f"{what} must be a whole number from {low:,} to {high:,}{u}, got {text!r}")
    value = int(cleaned)
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{what} must be a whole number from {low:,} to {high:,}{u}, got {text!r}")
    return value


def seed_argument(text: str) -> int:
    """``--seed``: a whole number from 0 to :data:`MAX_SEED`."""
    return _whole(text, "a seed", 0, MAX_SEED)


def yen_argument(text: str) -> int:
    """An amount of yen from 0 to :data:`MAX_YEN` (``1390000000``, ``1,390,000,000``). [yen]"""
    return _whole(text, "an amount", 0, MAX_YEN, "yen")


def count_argument(low: int = 0, high: int = 10**18, what: str = "a count", unit: str = "") -> Callable[[str], int]:
    """An argument type for a whole number from ``low`` to ``high`` (the hard bound of the type;
    work limits that ``--no-limit`` lifts are checked later by :func:`check_limit`)."""

    def parse(text: str) -> int:
        return _whole(text, what, low, high, unit)

    parse.__name__ = what  # argparse names the type in its messages
    return parse


def positive_real_argument(text: str) -> float:
    """A finite number > 0 (``--concentration``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text!r}")
    return value


# -- limits on work and progress -----------------------------------------------------------------------


def add_limit_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--no-limit`` (run work above the documented limits) and ``--progress``."""
    parser.add_argument("--no-limit", action="store_true",
                        help="run sample counts or sweep steps above the limits (see docs/limits.md)")
    parser.add_argument("--progress", action="store_true",
                        help="show progress on standard error (shown anyway when it is a terminal)")


def check_limit(args: argparse.Namespace, option: str, value: int, *, limit: int, memory: float,
                seconds: float | None = None) -> bool:
    """Refuse ``value`` of ``option`` above ``limit`` unless ``--no-limit``; True if the limit was lifted.

    The message gives the limit and the estimated memory [bytes] and time [s].
    """
    if getattr(args, "no_limit", False):
        return value > limit
    check_work(option, value, limit=limit, memory=memory, seconds=seconds, lift="--no-limit")
    return False


@contextlib.contextmanager
def progress(args: argparse.Namespace, what: str, *, expected: float | None = None) -> Iterator[None]:
    """Show ``what`` with the elapsed (and expected [s]) time on standard error while the block runs.

    Shown when standard error is a terminal or ``--progress`` was given, and only after
    :data:`_PROGRESS_AFTER` seconds; a terminal gets one line rewritten in place, anything
    else a line every few seconds.
    """
    err = sys.stderr
    shown = getattr(args, "progress", False) or (hasattr(err, "isatty") and err.isatty())
    if not shown:
        yield
        return
    tty = hasattr(err, "isatty") and err.isatty()
    stop = threading.Event()
    start = time.monotonic()
    wrote = [False]

    def line() -> str:
        elapsed = time.monotonic() - start
        tail = f" of about {expected:.0f} s expected" if expected else ""
        return f"{what}: {elapsed:.0f} s{tail}"

    def run() -> None:
        if stop.wait(_PROGRESS_AFTER):
            return
        while True:
            err.write(("\r" + line() + "\033[K") if tty else line() + "\n")
            err.flush()
            wrote[0] = True
            if stop.wait(0.5 if tty else 5.0):
                return

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        if wrote[0]:
            err.write(("\r" + line() + ", done\033[K\n") if tty else line() + ", done\n")
            err.flush()


# -- output ----------------------------------------------------------------------------------------------


def add_output_arguments(parser: argparse.ArgumentParser, formats: Sequence[str] = ("table", "json", "csv"), *,
                         aliases: Mapping[str, str] | None = None) -> None:
    """Add ``--output FILE`` (``-o``), ``--force`` and the alias flags to ``parser``.

    Parameters
    ----------
    formats
        The formats this subcommand writes (``table``, ``json``, ``csv``, ``markdown``, ``html``,
        ``xlsx``); ``--output``'s extension must name one of them unless ``--format`` is given.
    aliases
        Old flags that *also* write the result in one format, e.g. ``{"--excel": "xlsx"}``.
    """
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write the result to FILE instead of standard output; the format follows "
                             "the extension (" + ", ".join(e for e, f in EXTENSIONS.items() if f in formats)
                             + ") unless --format is given; an existing FILE is replaced only with --force")
    parser.add_argument("--force", action="store_true", help="replace an existing output file")
    pairs = tuple((aliases or {}).items())
    for flag, fmt in pairs:
        parser.add_argument(flag, metavar="FILE", dest=f"also_{flag.lstrip('-').replace('-', '_')}",
                            help=f"also write the result as {fmt} to FILE (like --output FILE --format {fmt})")
    parser.set_defaults(output_formats=tuple(formats), output_aliases=pairs)


def add_format_argument(parser: argparse.ArgumentParser,
                        formats: Sequence[str] = ("table", "json", "csv"), *,
                        aliases: Mapping[str, str] | None = None) -> None:
    """Add ``--format`` with the given choices (the first is the default) and the output arguments."""
    parser.add_argument("--format", choices=list(formats), default=None,
                        help=f"output format (default: from --output's extension, else {formats[0]})")
    add_output_arguments(parser, formats, aliases=aliases)


def _also(args: argparse.Namespace) -> list[tuple[str, str]]:
    """The alias flags given: (format, path)."""
    out = []
    for flag, fmt in getattr(args, "output_aliases", ()):
        path = getattr(args, f"also_{flag.lstrip('-').replace('-', '_')}", None)
        if path is not None:
            out.append((fmt, path))
    return out


def resolve_output(args: argparse.Namespace) -> None:
    """Settle ``args.format`` from ``--output``'s extension and check every target before any work.

    Raises :class:`UsageError` (exit 2) when the extension names no format this subcommand writes;
    :class:`~jichitai_cloud.errors.OutputError` (exit 1) when a target exists without ``--force``,
    is a folder, a device or a FIFO, or lies in a missing folder.
    """
    formats: tuple[str, ...] = getattr(args, "output_formats", ())
    if not formats:
        return
    positional = getattr(args, "output_from", None)  # a subcommand whose FILE argument is its output
    if positional is not None and getattr(args, positional, None) is not None:
        given = getattr(args, positional)
        if getattr(args, "output", None) not in (None, given):
            raise UsageError(f"give the output once: FILE {given} or --output {args.output}")
        args.output = given
    output = getattr(args, "output", None)
    if getattr(args, "format", None) is None:
        fmt = formats[0]
        if output is not None:
            ext = os.path.splitext(output)[1].lower()
            if ext:
                fmt = EXTENSIONS.get(ext, "")
                if fmt not in formats:
                    raise UsageError(f"--output {output}: cannot tell the format from {ext!r}; this command writes "
                                     f"{', '.join(formats)}: give --format or a file ending in "
                                     f"{', '.join(e for e, f in EXTENSIONS.items() if f in formats)}")
        args.format = fmt
    if args.format == "xlsx" and output is None:
        raise UsageError("--format xlsx needs --output FILE (e.g. --output result.xlsx)")
    from ..io import check_target

    targets = ([output] if output is not None else []) + [p for _, p in _also(args)]
    seen: set[str] = set()
    for path in targets:
        key = os.path.realpath(path)
        if key in seen:
            raise UsageError(f"{path} is given twice as an output file")
        seen.add(key)
    for path in targets:
        check_target(path, overwrite=bool(getattr(args, "force", False)))


def lang_of(args: argparse.Namespace) -> Lang:
    """The language of the output: ``--lang ja|en`` (Japanese by default)."""
    return check_lang(getattr(args, "lang", None) or "ja")


def _source(result: Any, table: DataTable | None) -> Any:
    """What :mod:`jichitai_cloud.report` renders: the result (its declared tables and summary), else
    the one table given (``None`` when there is neither)."""
    if result is not None and hasattr(result, "views"):
        return result
    return table


def _json_default(value: Any) -> Any:
    """JSON for the values results hold: exact rates as the nearest float, months ISO, dates ISO."""
    if isinstance(value, Decimal | Fraction):
        return float(value)
    if hasattr(value, "iso") and hasattr(value, "era_short"):
        return value.iso()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)


def records(table: DataTable) -> list[dict[str, Any]]:
    """The rows of ``table`` as JSON records keyed by column key, as :func:`jichitai_cloud.report.to_json`
    writes them: exact integers, rates rounded at their declared places (never float noise), months
    ISO, flags ``true``/``false``."""
    from ..report import json_data

    return list(json_data(table)["tables"][0]["rows"])


class _Workbook:
    """An xlsx output: a result, or its tables."""

    __slots__ = ("source",)

    def __init__(self, source: Any) -> None:
        self.source = source


_Rendered = str | DataTable | _Workbook


def _render(fmt: str, result: Any, *, text: str | None, data: Any, table: DataTable | None,
            title: str | None, markdown: str | None, html: str | None, lang: Lang) -> _Rendered:
    """The result in ``fmt``: text to print or write; one declared table for CSV; tables for xlsx.

    Every format comes from :mod:`jichitai_cloud.report` (the one renderer per format) except what
    the subcommand gives itself (``text``, ``data``, ``markdown``, ``html``).
    """
    from .. import report

    if fmt == "xlsx":
        source = _source(result, table)
        if source is None:
            raise UsageError("this result cannot be written as xlsx")
        return _Workbook(source)
    if fmt == "csv":
        if table is not None:
            return table
        if result is not None and hasattr(result, "views"):
            first: DataTable = result.views()[0]
            return first
        if text is not None:  # already CSV
            return text
        raise UsageError("this result cannot be written as CSV")
    if fmt == "json":
        if data is None and table is not None:
            data = records(table)
        if data is None and result is not None and hasattr(result, "views"):
            return report.to_json(result, lang=lang, title=title)
        if data is not None:
            return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    if fmt == "markdown":
        if markdown is not None:
            return markdown
        source = _source(result, table)
        if source is not None:
            return report.to_markdown(source, lang=lang)
    if fmt == "html":
        if html is not None:
            return html
        source = _source(result, table)
        if source is not None:
            return report.to_html(source, lang=lang, title=title)
    if text is not None:
        return text.rstrip("\n") + "\n"
    source = _source(result, table)
    if source is not None:
        return report.to_text(source, lang=lang)
    raise UsageError(f"this result cannot be shown as {fmt}")


def _write_file(path: str, fmt: str, rendered: _Rendered, *, force: bool, lang: Lang = "ja") -> None:
    from .. import report
    from ..io import write_atomic

    if isinstance(rendered, _Workbook):
        report.to_excel(rendered.source, path, lang=lang, overwrite=force)
    elif isinstance(rendered, DataTable):  # the keys as header: a CSV of the command line is read by programs
        report.to_csv(rendered, path, lang=lang, header="key", overwrite=force)
    else:
        if fmt == "html" and not rendered.lstrip().lower().startswith("<!doctype"):
            rendered = report.page(rendered, title="jichitai_cloud", lang=lang, heading=False)  # a fragment: a page of its own
        data = rendered.encode("utf-8")
        if fmt == "csv" and not data.startswith(b"\xef\xbb\xbf"):
            data = b"\xef\xbb\xbf" + data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # for spreadsheets
        write_atomic(path, data, overwrite=force)


def write_result(args: argparse.Namespace, result: Any = None, *, text: str | None = None, data: Any = None,
                 table: DataTable | None = None, title: str | None = None, markdown: str | None = None,
                 html: str | None = None) -> None:
    """Show a result in ``args.format``: print it, or write it to ``args.output`` (and the alias files).

    Give what the subcommand has; the rest is derived through :mod:`jichitai_cloud.report` (one
    renderer per format, in ``--lang``).  ``result`` is a result of the package (``views()``,
    ``summary(lang)``); ``text`` is the text shown by default (``table`` format); ``data`` the JSON;
    ``table`` one table (a declared :class:`~jichitai_cloud._display.DataTable`) for CSV and, when
    there is no ``result``, JSON records, Markdown, HTML, text and an xlsx sheet; ``markdown``/``html``
    override those renderings.  CSV headings are the column keys (read by programs); xlsx, HTML and
    Markdown show the headings in ``--lang``.  Files are written atomically and replace an existing
    file only with ``--force``; after a file is written, ``wrote FILE`` is printed (on standard error
    for an alias file while the result itself is printed).
    """
    fmt = getattr(args, "format", None) or "table"
    force = bool(getattr(args, "force", False))
    lang = lang_of(args)
    kw: dict[str, Any] = {"text": text, "data": data, "table": table, "title": title, "markdown": markdown,
                          "html": html, "lang": lang}
    output = getattr(args, "output", None)
    args.output_written = True  # main() checks that a subcommand given --output wrote through here
    for also_fmt, path in _also(args):  # the notice goes where it does not mix with a printed result
        _write_file(path, also_fmt, _render(also_fmt, result, **kw), force=force, lang=lang)
        (sys.stdout if output is not None else sys.stderr).write(f"wrote {path}\n")
    rendered = _render(fmt, result, **kw)
    if output is not None:
        _write_file(output, fmt, rendered, force=force, lang=lang)
        sys.stdout.write(f"wrote {output}\n")
    elif isinstance(rendered, _Workbook):
        raise UsageError("--format xlsx needs --output FILE (e.g. --output result.xlsx)")
    elif isinstance(rendered, DataTable):
        from .. import report

        sys.stdout.write(report.to_csv(rendered, lang=lang, header="key").replace("\r\n", "\n"))
    else:
        sys.stdout.write(rendered)


def emit_text(args: argparse.Namespace, text: str, data: Mapping[str, Any] | None = None) -> None:
    """Show free text, or ``data`` as JSON when ``--format json`` was asked for; see :func:`write_result`."""
    write_result(args, text=text, data=data)
