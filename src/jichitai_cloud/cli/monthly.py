"""The ``monthly`` subcommand: the report to the operations subcommittee (運用管理部会 月次報告).

::

    jichitai-cloud monthly --month H27.10 operations.toml [observations.csv outages.csv work.csv]
    jichitai-cloud monthly --month H27.10 --example toyama
    jichitai-cloud monthly --month H27.10 --example toyama --format markdown --xlsx report.xlsx
"""

from __future__ import annotations

import argparse
import sys

from ..calendar import Month
from ..errors import JichitaiCloudError

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``monthly`` subcommand."""
    p = subparsers.add_parser(
        "monthly",
        help="monthly operations report: work, SLM, schedule, issues, improvement requests (運用管理部会)",
        description="The monthly report to the operations subcommittee (運用管理部会 月次報告) for one month: "
                    "work done, service-level monitoring against the SLA, next month's schedule, "
                    "legal-change work, issues and improvement requests.",
    )
    p.add_argument("--month", required=True, metavar="MONTH", help="month to report, e.g. H27.10 or 2015-10")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="operations definitions (.toml/.json) and CSV tables (observations, outages, work)")
    p.add_argument("--example", metavar="NAME", help="use bundled example data instead (toyama)")
    p.add_argument("--format", choices=["table", "markdown", "html", "json"], default="table",
                   help="output format (default: aligned text tables)")
    p.add_argument("--xlsx", metavar="PATH", help="also write the report as an Excel workbook")
    p.add_argument("--history", type=int, default=3, help="previous months shown in the SLM table (default 3)")
    p.set_defaults(func=_cmd_monthly)


_EXAMPLES = ("toyama",)


def _cmd_monthly(args: argparse.Namespace) -> int:
    from .. import examples, io, report
    from ._common import emit_text

    if bool(args.files) == (args.example is not None):
        raise JichitaiCloudError("give either FILE... or --example NAME (e.g. --example toyama)")
    if args.example is not None and args.example not in _EXAMPLES:
        raise JichitaiCloudError(f"no bundled operations example {args.example!r}; there are {list(_EXAMPLES)}")
    data = examples.toyama_operations() if args.example is not None else io.load_operations(*args.files)
    month = Month.parse(args.month)
    if not data.start <= month <= data.end:
        raise JichitaiCloudError(f"month {month.iso()} is outside the records ({data.start.iso()} .. {data.end.iso()})")
    monthly = data.monthly_report(month, history=args.history)
    if args.xlsx:
        report.to_excel(monthly, args.xlsx)
    if args.format == "markdown":
        sys.stdout.write(monthly.to_markdown())
    elif args.format == "html":
        sys.stdout.write(monthly.to_html() + "\n")
    else:
        emit_text(args, monthly.to_text(), monthly.to_dict())
    return 0
