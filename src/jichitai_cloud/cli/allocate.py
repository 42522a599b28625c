"""The ``jichitai-cloud allocate`` subcommand: split a council's cloud fee (費用按分シミュレーション).

::

    jichitai-cloud allocate council.toml --total 1390000000 --ratio 3:7 --min-reduction 0.3
    jichitai-cloud allocate --example toyama                     # the document's rule (bundled plan)
    jichitai-cloud allocate --example toyama --format json
    jichitai-cloud allocate council.toml --total 1390000000 --leave B=H30.04
    jichitai-cloud allocate council.toml --total 1390000000 --sweep 10
    jichitai-cloud allocate --example toyama --output 按分.xlsx       # or .csv .json .html .md .txt
"""

from __future__ import annotations

import argparse

from .._numeric._limits import MAX_SWEEP_STEPS
from ..allocation import (
    GUARANTEE_BASES,
    PENALTY_SHARINGS,
    ROUNDINGS,
    TIE_RULES,
    allocate,
    membership_change,
    ratio_sweep,
    sweep_cost,
)
from ._common import (
    MAX_YEN,
    add_format_argument,
    add_limit_arguments,
    check_limit,
    count_argument,
    progress,
    write_result,
)
from ._council import (
    add_council_arguments,
    add_rule_arguments,
    lang_of,
    load_council,
    rule_and_total,
)

__all__ = ["MAX_SWEEP_STEPS", "register"]

"""``--sweep``: the most steps without ``--no-limit`` (10,000: about 0.5 s and 6 MB for six members). [1]"""

SWEEP_STEPS_CEILING = 10**12
"""``--sweep``: the most steps even with ``--no-limit`` (beyond, the ratios no longer fit the integers used). [1]"""

FORMATS = ("table", "json", "csv", "markdown", "html", "xlsx")
"""What ``allocate`` writes (``--format``, or ``--output``'s extension)."""


def _leave(text: str) -> tuple[str, str]:
    code, sep, month = text.partition("=")
    if not sep or not code.strip() or not month.strip():
        raise argparse.ArgumentTypeError(f"expected CODE=MONTH such as B=H30.04, got {text!r}")
    return code.strip(), month.strip()


def _handler(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    council, rule, total = rule_and_total(args, load_council(args))
    if args.sweep is not None:
        memory, seconds = sweep_cost(len(council.members), args.sweep)
        check_limit(args, "--sweep", args.sweep, limit=MAX_SWEEP_STEPS, memory=memory, seconds=seconds)
        with progress(args, f"allocate --sweep {args.sweep:,}", expected=seconds):
            sweep = ratio_sweep(council, total, rule, steps=args.sweep, limit=False)
        title = (f"{council.name}: 比率ごとの負担額 (按分総額 {total:,} 円)" if lang == "ja"
                 else f"{council.name}: shares for each ratio of {total:,} yen")
        write_result(args, sweep, table=sweep.view(), title=title)
        return 0
    leaving = dict(args.leave or [])
    if leaving:
        change = membership_change(council, total, rule, leaving=leaving)
        write_result(args, change, text=change.to_text(lang), table=change.view())
        return 0
    result = allocate(council, total, rule)
    write_result(args, result, text=result.to_text(lang), data=result.to_dict(), table=result.view())
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``allocate`` subcommand."""
    p = subparsers.add_parser(
        "allocate",
        help="split the cloud fee among the members (費用按分): 3:7, guarantee, penalties, months",
        description="Split a council's cloud fee among its members by a rule such as 均等割:人口割 = 3:7, "
                    "with a guaranteed minimum reduction (最低保障), cancellation penalties (違約金) and "
                    "staggered cloud starts; print each member's share, cap, net cost and reduction rate, "
                    "the five-year effect table and why each constraint binds.",
    )
    add_council_arguments(p)
    add_rule_arguments(p)
    p.add_argument("--penalty", choices=list(PENALTY_SHARINGS),
                   help="penalties borne by each member (member) or pooled and split by the rule (pooled)")
    p.add_argument("--guarantee-counts-penalty", action="store_true",
                   help="the guarantee caps fee share plus penalty (default: the fee share alone)")
    p.add_argument("--guarantee-basis", choices=list(GUARANTEE_BASES),
                   help="compare with the current cost over the period or pro rata to months on the cloud")
    p.add_argument("--rounding", choices=list(ROUNDINGS), help="largest_remainder (default) or floor_then_lead")
    p.add_argument("--unit", type=count_argument(1, MAX_YEN, "a rounding unit", "yen"), metavar="YEN",
                   help="rounding unit, e.g. 1000 (千円単位)")
    p.add_argument("--tie", choices=list(TIE_RULES), help="tie rule for equal remainders")
    p.add_argument("--lead", metavar="CODE", help="member that takes the remainder under floor_then_lead")
    p.add_argument("--leave", type=_leave, action="append", metavar="CODE=MONTH",
                   help="member leaves: first month off the cloud, e.g. B=H30.04 (shows before and after)")
    p.add_argument("--sweep", type=count_argument(1, SWEEP_STEPS_CEILING, "sweep steps"), metavar="STEPS",
                   help="show the shares for every ratio 0:STEPS .. STEPS:0 of the rule's two drivers "
                        f"(at most {MAX_SWEEP_STEPS:,} without --no-limit)")
    add_limit_arguments(p)
    add_format_argument(p, FORMATS)
    p.set_defaults(func=_handler)
