"""The ``jichitai-cloud`` command-line program.

Subcommands: ``example`` (print a bundled council), ``validate`` (check a council or member file
and list every problem), and one per capability (``allocate``, ``fairness``, ``evaluate``,
``customization``, ``monthly``), each registered by its topic package's ``_cli`` module.

Bad input and a failing file system are reported on standard error in one line naming the file,
row and field where there is one (a file with several problems lists each), never as a traceback;
``--debug`` shows the traceback for a report.  The exit status is 0 for success, 1 for invalid
input or a file that cannot be read or written, 2 for a usage error and 130 when interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import attrs

from .._display import Column, DataTable
from .._version import __version__
from ..errors import InputError, JichitaiCloudError
from ._common import UsageError, add_format_argument, add_sheet_argument, resolve_output, write_result
from ._council import LANGS, add_council_arguments, add_fee_period_argument, lang_of, load_council

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Consortium

__all__ = ["main"]

_SUBCOMMANDS: tuple[str, ...] = (
    "allocate",
    "fairness",
    "evaluate",
    "customization",
    "monthly",
    "schedule",
    "migration",
    "report",
    "template",
    "select",
    "bill",
    "renewal",
)
"""Modules of this package whose ``register(subparsers)`` adds a subcommand."""


_SUBCOMMITTEE_COLUMNS = (
    Column("name_ja", "部会", "Subcommittee", "text", bilingual=False),
    Column("name_en", "部会 (英語名)", "Subcommittee (English)", "text", bilingual=False, lang="en"),
    Column("meetings", "開催回数", "Meetings", "count", total=True),
)
_SCHEME_COLUMNS = (
    Column("component", "評価項目", "Component", "text"),
    Column("name_ja", "名称", "Name", "text"),
    Column("kind", "種別", "Kind", "text"),
    Column("points", "配点", "Points", "points", decimals=0, total=True),
    Column("round", "審査回", "Round", "count"),
    Column("judges", "審査員数", "Judges", "count"),
)
_PUBLISHED_COLUMNS = (
    Column("code", "団体コード", "Code", "code"),
    Column("name", "市町村名", "Municipality", "name"),
    Column("current_cost", "現行経費", "Current cost", "yen", total=True),
    Column("published_cloud_fee", "公表値 クラウド利用料", "Published cloud fee", "yen", total=True),
    Column("published_reduction_rate", "公表値 削減率", "Published reduction rate", "percent"),
)


def _summary(council: Consortium, lang: str) -> str:
    from .._display import check_lang, render_text

    ln = check_lang(lang)
    ja = ln == "ja"
    start = f"{council.period_start.era_short()} ({council.period_start.iso()})"
    population = sum(m.population for m in council.members)
    cost = sum(m.current_cost for m in council.members)
    period = {"council": ("協議会の評価期間", "the council's evaluation period"),
              "member": ("各団体のクラウド開始から", "each member's own months from its cloud start")}
    fee = period.get(council.fee_period, (council.fee_period, council.fee_period))[0 if ja else 1]
    lines = [
        council.name,
        (f"評価期間: {start} から {council.period_months} か月 (料金期間: {fee}); 参加団体 {len(council.members)}, "
         f"人口 {population:,} 人, 現行経費 {cost:,} 円") if ja else
        (f"evaluation period: {start} for {council.period_months} months (fee period: {fee}); "
         f"{len(council.members)} members, population {population:,}, current cost {cost:,} yen"),
        "",
        render_text(council.view(), ln),
    ]
    if council.subcommittees:
        subs = DataTable(key="subcommittees", title=f"部会: {len(council.subcommittees)}",
                         title_en=f"Subcommittees: {len(council.subcommittees)}", columns=_SUBCOMMITTEE_COLUMNS,
                         rows=[(s.name_ja, s.name_en, s.meetings_held) for s in council.subcommittees], totals=True)
        lines += ["", render_text(subs, ln)]
    if council.evaluation is not None:
        ev = council.evaluation
        scheme = DataTable(key="scheme", title=f"評価方式: {ev.name}", title_en=f"Evaluation scheme: {ev.name}",
                           columns=_SCHEME_COLUMNS,
                           rows=[(c.name, c.name_ja, c.kind.value, c.points, c.round, c.judges)
                                 for c in ev.components], totals=True)
        lines += ["", render_text(scheme, ln)]
    if council.published is not None and council.published.cloud_fees:
        pub = council.published
        published = DataTable(
            key="published", title="公表値 (5年試算)", title_en="Published figures (five-year estimate)",
            columns=_PUBLISHED_COLUMNS, totals=True,
            rows=[(m.code, m.name, m.current_cost, pub.cloud_fees.get(m.code), pub.reduction_rates.get(m.code))
                  for m in council.members])
        lines += ["", render_text(published, ln)]
    findings = council.findings()
    if findings:
        lines += ["", "注意:" if ja else "warnings:"] + [f"  - {f.line(ln)}" for f in findings]
    return "\n".join(lines)


def _cmd_example(args: argparse.Namespace) -> int:
    from .. import examples, io

    council = examples.load(args.name)
    if args.fee_period is not None:
        council = attrs.evolve(council, fee_period=args.fee_period)
    if args.format == "csv":  # the member list, in the columns `validate` and `io.load_members` read
        write_result(args, text=io.save_members(council.members, None))
    else:
        write_result(args, text=_summary(council, lang_of(args)), data=io.unstructure(council))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .. import io

    if args.file is not None and Path(args.file).suffix.lower() in (".csv", ".xlsx", ".xlsm"):
        if args.sheet is not None and Path(args.file).suffix.lower() == ".csv":
            raise JichitaiCloudError(f"--sheet applies to an .xlsx member list, not to {args.file!r}")
        members, settings = io.read_member_list(args.file, sheet=args.sheet)
        if settings.get("period_start") is None and all(m.cloud_start is None for m in members):
            sys.stdout.write(f"{args.file}: OK, {len(members)} members\n")
            sys.stdout.write("warning: no evaluation period start (評価期間開始) and no cloud start "
                             "(クラウド開始): give one before allocating\n")
            return 1 if args.strict else 0
    council = load_council(args)
    where = args.file or f"example {args.example}"
    sys.stdout.write(f"{where}: OK, council {council.name!r} with {len(council.members)} members\n")
    en = lang_of(args) == "en"
    for f in council.findings():
        sys.stdout.write(f"warning: {f.line('en')}\n" if en else f"注意: {f.line('ja')}\n")
    if args.strict and council.findings():
        return 1
    return 0


def _cmd_members(args: argparse.Namespace) -> int:
    from .._display import render_text

    lang = lang_of(args)
    council = load_council(args)
    write_result(args, council, text=render_text(council.view(), lang), table=council.view(),
                 title=council.view().caption(lang))
    return 0


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on standard error (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    from .. import examples

    parser = _Parser(
        prog="jichitai-cloud",
        description="Plan, allocate, evaluate and monitor a shared municipal cloud (自治体クラウド).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error (for a bug report)")
    parser.add_argument("--lang", choices=list(LANGS), default="ja",
                        help="language of captions, headings and explanations: ja (日本語, default) or en")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("example", help="print a bundled example council")
    p.add_argument("name", choices=list(examples.names()), help="example name")
    add_fee_period_argument(p)
    add_format_argument(p)
    p.set_defaults(func=_cmd_example)

    p = sub.add_parser("validate", help="check a council (.toml/.json) or member list (.csv/.xlsx); list every problem")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--example", metavar="NAME", help="validate a bundled example instead")
    add_sheet_argument(p)
    add_fee_period_argument(p)
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("members", help="list a council's members")
    add_council_arguments(p)
    add_format_argument(p, ("table", "json", "csv", "markdown", "html", "xlsx"))
    p.set_defaults(func=_cmd_members)

    for name in _SUBCOMMANDS:
        module = importlib.import_module(f"jichitai_cloud.cli.{name}")
        module.register(sub)
    for p in sub.choices.values():  # --debug and --lang after the subcommand too
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.add_argument("--lang", choices=list(LANGS), default=argparse.SUPPRESS,
                       help="language of captions, headings and explanations: ja (default) or en")
    return parser


def _one_line(exc: BaseException) -> str:
    """The message of ``exc`` for standard error: one line, or an InputError's located list."""
    if isinstance(exc, InputError) and len(exc.problems) == 1:
        head = f"{exc.source}: " if exc.source else ""
        return f"{head}{exc.problems[0]}"
    if isinstance(exc, JichitaiCloudError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "out of memory: ask for less work (fewer samples, sweep steps or rows)"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read"
    if isinstance(exc, UnicodeError):
        verb = "decode" if isinstance(exc, UnicodeDecodeError) else "encode"
        enc = getattr(exc, "encoding", "")
        return f"cannot {verb} text{f' as {enc}' if enc else ''}: {getattr(exc, 'reason', exc)}"
    if isinstance(exc, OSError):
        name = exc.filename if exc.filename is not None else ""
        reason = exc.strerror or type(exc).__name__
        return f"{name}: {reason}" if name else reason
    return f"{exc} (run with --debug for the traceback, and please report it)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the program; returns the exit status (0 ok, 1 invalid input or file error, 2 usage error,
    130 interrupted).  Usage errors found while reading the arguments raise ``SystemExit(2)``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = bool(getattr(args, "debug", False))
    try:
        resolve_output(args)
        status: int = args.func(args)
        if status == 0 and getattr(args, "output", None) and not getattr(args, "output_written", False):
            raise UsageError(f"--output {args.output}: not written: this subcommand printed its result "
                             "without cli._common.write_result (a bug; please report it)")
        sys.stdout.flush()
    except KeyboardInterrupt:
        if debug:
            raise
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except UsageError as exc:
        if debug:
            raise
        sys.stderr.write(f"{parser.prog} {args.command}: error: {exc}\n")
        return 2
    except ImportError as exc:  # an optional extra (pandas, openpyxl, scipy, matplotlib) is missing
        if debug:
            raise
        sys.stderr.write(f"error: {exc}\n")
        return 1
    except (JichitaiCloudError, OSError, MemoryError, RecursionError, ValueError, OverflowError) as exc:
        # JichitaiCloudError: bad input; OSError: the file system; UnicodeError is a ValueError
        if debug:
            raise
        sys.stderr.write(f"error: {_one_line(exc)}\n")
        return 1
    return status
