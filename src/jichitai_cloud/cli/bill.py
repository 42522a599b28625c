"""The ``jichitai-cloud bill`` subcommand: the government-cloud bill (ガバメントクラウド利用料) split among the members.

::

    jichitai-cloud bill council.toml exports/*.csv.gz --rules rules.toml --rates rates.csv
    jichitai-cloud bill council.toml focus.parquet --rules rules.toml --month R7.04 -o bill.xlsx
"""

from __future__ import annotations

import argparse

from ..calendar import Month
from ._common import add_format_argument, write_result

__all__ = ["register"]


def _handler(args: argparse.Namespace) -> int:
    from .. import billing, io

    council = io.load_council(args.council)
    rules = io.load_billing_rules(args.rules)
    if args.rates is not None:
        rules = rules.with_rates(io.read_rates(args.rates))
    focus = io.read_focus(args.focus, errors="collect")
    months = None if args.month is None else [Month.parse(m.strip()) for m in args.month.split(",") if m.strip()]
    bill = billing.monthly_bill(council, focus, rules, months=months)
    write_result(args, bill)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``bill`` subcommand."""
    p = subparsers.add_parser(
        "bill",
        help="government-cloud bill (ガバメントクラウド利用料): FOCUS exports -> each member's monthly bill",
        description="Read the providers' FOCUS exports (CSV, .csv.gz, Parquet; files, folders or globs), assign "
                    "each row to a member or a shared pool by the rules, convert to yen with the month's rate and "
                    "split each month's invoice among the members to the yen.",
    )
    p.add_argument("council", metavar="COUNCIL_FILE", help="council file (.toml, .json) or member list (.csv, .xlsx)")
    p.add_argument("focus", metavar="FOCUS_FILE", nargs="+", help="FOCUS exports: files, folders or glob patterns")
    p.add_argument("--rules", required=True, metavar="FILE", help="billing rules (.toml or .json)")
    p.add_argument("--rates", metavar="FILE", help="exchange rates CSV with the columns month,currency,rate")
    p.add_argument("--month", metavar="MONTHS", help="only these billing months, comma-separated (e.g. R7.04)")
    add_format_argument(p, ("table", "json", "csv", "markdown", "html", "xlsx"))
    p.set_defaults(func=_handler)
