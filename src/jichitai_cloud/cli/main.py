"""The ``jichitai-cloud`` command-line program.

Subcommands: ``example`` (print a bundled council), ``validate`` (check a council or member file
and list every problem), and one per capability (``allocate``, ``fairness``, ``evaluate``,
``customization``, ``monthly``), each registered by its topic package's ``_cli`` module.

Bad input is reported as a list of located problems on standard error, never as a traceback;
the exit status is 1 for invalid input and 2 for a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .._version import __version__
from ..errors import JichitaiCloudError
from ._common import add_format_argument, emit, emit_text, load_source

__all__ = ["main"]

_SUBCOMMANDS: tuple[str, ...] = ("allocate", "fairness", "evaluate", "customization", "monthly", "select")
"""Modules of this package whose ``register(subparsers)`` adds a subcommand."""


def _members_table(council: object) -> tuple[list[str], list[list[object]]]:
    from ..model import Consortium

    assert isinstance(council, Consortium)
    return list(council._MEMBER_COLUMNS), council._member_rows()


def _summary(council: object) -> str:
    from .._display import text_table
    from ..model import Consortium

    assert isinstance(council, Consortium)
    header, rows = _members_table(council)
    lines = [
        council.name,
        f"evaluation period: {council.period_start.era_short()} ({council.period_start.iso()}) "
        f"for {council.period_months} months; {len(council.members)} members, "
        f"population {sum(m.population for m in council.members):,}, "
        f"current cost {sum(m.current_cost for m in council.members):,} yen",
        "",
        text_table(header, rows, title="members (参加市町村)"),
    ]
    if council.subcommittees:
        lines += ["", text_table(
            ["部会", "subcommittee", "meetings"],
            [[s.name_ja, s.name_en, s.meetings_held] for s in council.subcommittees]
            + [["計", "total", sum(s.meetings_held for s in council.subcommittees)]],
            title=f"subcommittees (部会): {len(council.subcommittees)}",
        )]
    if council.evaluation is not None:
        ev = council.evaluation
        lines += ["", text_table(
            ["component", "名称", "kind", "points", "round", "judges"],
            [[c.name, c.name_ja, c.kind.value, c.points, c.round, c.judges] for c in ev.components]
            + [["total", "総合評価点", "", ev.total_points, None, None]],
            title=f"evaluation scheme: {ev.name}",
        )]
    if council.published is not None and council.published.cloud_fees:
        pub = council.published
        lines += ["", text_table(
            ["code", "current_cost", "published_cloud_fee", "published_reduction_rate"],
            [[m.code, m.current_cost, pub.cloud_fees.get(m.code), pub.reduction_rates.get(m.code)]
             for m in council.members],
            title="published figures (5年試算)",
        )]
    findings = council.findings()
    if findings:
        lines += ["", "warnings:"] + [f"  - {f}" for f in findings]
    return "\n".join(lines)


def _cmd_example(args: argparse.Namespace) -> int:
    from .. import examples, io

    council = examples.load(args.name)
    if args.format == "json":
        emit_text(args, "", io.unstructure(council))
    elif args.format == "csv":
        sys.stdout.write(io.save_members(council.members, None))
    else:
        sys.stdout.write(_summary(council) + "\n")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .. import io
    from ..model import Consortium

    if args.file is not None and args.file.lower().endswith(".csv"):
        members = io.load_members(args.file)
        sys.stdout.write(f"{args.file}: OK, {len(members)} members\n")
        return 0
    council = load_source(args)
    assert isinstance(council, Consortium)
    where = args.file or f"example {args.example}"
    sys.stdout.write(f"{where}: OK, council {council.name!r} with {len(council.members)} members\n")
    for f in council.findings():
        sys.stdout.write(f"warning: {f}\n")
    if args.strict and council.findings():
        return 1
    return 0


def _cmd_members(args: argparse.Namespace) -> int:
    council = load_source(args)
    header, rows = _members_table(council)
    emit(args, header, rows, title="members (参加市町村)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    from .. import examples

    parser = argparse.ArgumentParser(
        prog="jichitai-cloud",
        description="Plan, allocate, evaluate and monitor a shared municipal cloud (自治体クラウド).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("example", help="print a bundled example council")
    p.add_argument("name", choices=list(examples.names()), help="example name")
    add_format_argument(p)
    p.set_defaults(func=_cmd_example)

    p = sub.add_parser("validate", help="check a council (.toml/.json) or member list (.csv); list every problem")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--example", metavar="NAME", help="validate a bundled example instead")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("members", help="list a council's members")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--example", metavar="NAME", help="use a bundled example instead of FILE")
    add_format_argument(p)
    p.set_defaults(func=_cmd_members)

    for name in _SUBCOMMANDS:
        module = importlib.import_module(f"jichitai_cloud.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the program; returns the exit status (0 ok, 1 invalid input, 2 usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
    except JichitaiCloudError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    except ImportError as exc:  # an optional extra (pandas, openpyxl, scipy, matplotlib) is missing
        sys.stderr.write(f"error: {exc}\n")
        return 1
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    sys.stdout.flush()
    return status
