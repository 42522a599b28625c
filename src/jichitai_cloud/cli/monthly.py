"""The ``monthly`` subcommand: the report to the operations subcommittee (運用管理部会 月次報告).

::

    jichitai-cloud monthly --month H27.10 operations.toml [observations.csv outages.csv work.csv]
    jichitai-cloud monthly --month H27.10 --example toyama
    jichitai-cloud monthly --month H27.10 --example toyama --format markdown --xlsx report.xlsx
    jichitai-cloud monthly --month H27.10 --example toyama --output 201510.md   # or .html .json .xlsx .txt
    jichitai-cloud monthly --month H27.10 operations.toml --council council.toml  # members by name

The tables show the members by name: from ``--council FILE`` (a council file or member list, as
``allocate`` reads it), else from the operations file's ``[member_names]`` table, else by code.
"""

from __future__ import annotations

import argparse

from ..calendar import Month
from ..errors import JichitaiCloudError
from ._common import add_format_argument, count_argument, lang_of, write_result

__all__ = ["MAX_HISTORY_MONTHS", "register"]

MAX_HISTORY_MONTHS = 120
"""``--history``: the most previous months shown in the SLM table (ten years). [months]"""


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
    p.add_argument("--council", metavar="FILE",
                   help="the council (.toml/.json) or member list (.csv/.xlsx) whose member names the tables show "
                        "(default: the operations file's [member_names], else the codes)")
    add_format_argument(p, ("table", "markdown", "html", "json", "xlsx"), aliases={"--xlsx": "xlsx"})
    p.add_argument("--history", type=count_argument(0, MAX_HISTORY_MONTHS, "a number of months", "months"), default=3,
                   help=f"previous months shown in the SLM table (default 3, at most {MAX_HISTORY_MONTHS})")
    p.set_defaults(func=_cmd_monthly)


_EXAMPLES = ("toyama",)


def _cmd_monthly(args: argparse.Namespace) -> int:
    from .. import examples, io

    if bool(args.files) == (args.example is not None):
        raise JichitaiCloudError("give either FILE... or --example NAME (e.g. --example toyama)")
    if args.example is not None and args.example not in _EXAMPLES:
        raise JichitaiCloudError(f"no bundled operations example {args.example!r}; there are {list(_EXAMPLES)}")
    data = examples.toyama_operations() if args.example is not None else io.load_operations(*args.files)
    month = Month.parse(args.month)
    if not data.start <= month <= data.end:
        raise JichitaiCloudError(f"month {month.iso()} is outside the records ({data.start.iso()} .. {data.end.iso()})")
    council = io.load_council(args.council) if args.council is not None else None
    monthly = data.monthly_report(month, history=args.history, council=council)
    lang = lang_of(args)
    write_result(args, monthly, text=monthly.to_text(lang), data=monthly.to_dict(),
                 markdown=monthly.to_markdown(lang), html=monthly.to_html(lang) + "\n")
    return 0
