"""The ``select`` subcommand: which candidates should share one cloud (参加団体の選定)?

::

    jichitai-cloud select --example toyama
    jichitai-cloud select candidates.toml --max-size 4 --top 5 --format json
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .. import examples, io
from ..errors import JichitaiCloudError
from ._common import (
    add_format_argument,
    count_argument,
    lang_of,
    positive_real_argument,
    records,
    write_result,
)

if TYPE_CHECKING:
    from ..selection import SelectionReport

MAX_TOP = 20  # = selection.recommend's bound: help and refusal say the same
"""``--top``: the most groupings ranked (each costs about one exact optimisation). [1]"""

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``select`` subcommand."""
    p = subparsers.add_parser(
        "select",
        help="which candidates should share one cloud? (the cheapest groupings under size, timing, "
             "border and distance conditions)",
        description="Find the cheapest partitions of candidate municipalities into groups sharing one cloud "
                    "(参加団体の選定), each group within the conditions of the file (size, contract ends, "
                    "borders, distance); show each candidate's group, its share under the council's rule "
                    "and its reduction, whether each group can give the guaranteed minimum reduction and "
                    "is in the core, and why the alternatives were not chosen.",
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="selection file (.toml or .json)")
    p.add_argument("--example", metavar="NAME", help="use a bundled example instead of FILE (e.g. toyama)")
    p.add_argument("--max-size", type=count_argument(1, 64, "a group size"), metavar="N", default=None,
                   help="most members in one group (overrides the file)")
    p.add_argument("--top", type=count_argument(1, MAX_TOP, "a number of groupings"), metavar="K", default=3,
                   help=f"how many groupings to rank (default 3, at most {MAX_TOP})")
    p.add_argument("--method", choices=("auto", "dp", "milp"), default="auto",
                   help="exact route: auto (default, by problem size), dp (subset DP) or milp (set partitioning, HiGHS)")
    p.add_argument("--time-limit", type=positive_real_argument, metavar="SECONDS", default=None,
                   help="stop the search after SECONDS (a number > 0) with the best grouping found, its lower bound "
                        "and gap (reported as not proven optimal)")
    add_format_argument(p, ("table", "json", "csv", "markdown", "html", "xlsx"))
    p.set_defaults(func=_cmd_select)


def _problem(args: argparse.Namespace) -> Any:
    if (args.file is None) == (args.example is None):
        raise JichitaiCloudError("give either FILE or --example NAME (e.g. --example toyama)")
    if args.example is not None:
        try:
            path = examples.data_path(f"{args.example}_selection.toml")
        except JichitaiCloudError:
            raise JichitaiCloudError(f"no bundled selection example {args.example!r}; try --example toyama") from None
        return io.load_selection(path)
    return io.load_selection(args.file)


def _data(report: SelectionReport) -> dict[str, Any]:
    return {
        "pool": report.pool,
        "conditions": report.conditions,
        "rule": report.rule,
        "cost_model": report.cost_rule, "cost_model_en": report.cost_rule_en or report.cost_rule,
        "alone_total": report.alone_total,
        "grand_total": report.grand_total,
        "grand_excluded": list(report.grand_excluded),
        "proven_optimal": report.proven_optimal,
        "lower_bound": report.lower_bound,
        "tables": {(t.title or t.key): records(t) for t in report.views()},
        "notes": list(report.notes), "notes_en": list(report.notes_en or report.notes),
    }


def _cmd_select(args: argparse.Namespace) -> int:
    from ..selection import recommend  # the topic loads when the subcommand runs

    if args.max_size is not None and args.max_size < 1:
        raise JichitaiCloudError(f"--max-size must be at least 1, got {args.max_size}")
    report = recommend(_problem(args), top=args.top, max_size=args.max_size, time_limit=args.time_limit,
                       method=args.method)
    write_result(args, report, text=report.to_text(lang_of(args)) + "\n", data=_data(report), table=report.view())
    return 0
