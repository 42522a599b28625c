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
from collections.abc import Callable
from typing import Any

import attrs

from .. import examples
from .._numeric._limits import MAX_SWEEP_STEPS
from ..allocation import (
    GUARANTEE_BASES,
    PENALTY_SHARINGS,
    ROUNDINGS,
    TIE_RULES,
    AllocationPlan,
    AllocationRule,
    _scenarios,
    allocate,
    membership_change,
    parse_ratio,
    ratio_sweep,
)
from ..errors import JichitaiCloudError, ParseError
from ..model import Consortium
from ._common import (
    MAX_YEN,
    add_format_argument,
    add_limit_arguments,
    add_source_arguments,
    check_limit,
    count_argument,
    load_source,
    progress,
    write_result,
    yen_argument,
)

__all__ = ["MAX_SWEEP_STEPS", "register"]

"""``--sweep``: the most steps without ``--no-limit`` (10,000: about 0.5 s and 6 MB for six members). [1]"""

SWEEP_STEPS_CEILING = 10**12
"""``--sweep``: the most steps even with ``--no-limit`` (beyond, the ratios no longer fit the integers used). [1]"""

FORMATS = ("table", "json", "csv", "markdown", "html", "xlsx")
"""What ``allocate`` writes (``--format``, or ``--output``'s extension)."""

_PLANS: dict[str, Callable[[], AllocationPlan]] = {"toyama": examples.toyama_allocation}
"""Bundled example -> its allocation plan (fee, rule, penalties)."""


def _rate(text: str) -> float:
    t = text.strip()
    try:
        value = float(t[:-1]) / 100 if t.endswith("%") else float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a rate such as 0.3 or 30%, got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a rate must be between 0 and 1 (0 % and 100 %), got {text!r}")
    return value


def _leave(text: str) -> tuple[str, str]:
    code, sep, month = text.partition("=")
    if not sep or not code.strip() or not month.strip():
        raise argparse.ArgumentTypeError(f"expected CODE=MONTH such as B=H30.04, got {text!r}")
    return code.strip(), month.strip()


def _rule_and_total(args: argparse.Namespace, council: Consortium) -> tuple[Consortium, AllocationRule, int]:
    """The council (with a bundled plan's penalties), the rule and the total from the arguments."""
    base = AllocationRule()
    total = args.total
    if args.example is not None and args.example in _PLANS:
        plan = _PLANS[args.example]()
        council = plan.apply_to(council)
        base = plan.rule
        total = plan.total_fee if total is None else total
    if total is None:
        pub = council.published
        if pub is not None and pub.total_cloud_fee is not None:
            total = pub.total_cloud_fee
        else:
            raise JichitaiCloudError("give the fee to split with --total YEN (e.g. --total 1390000000)")
    changes: dict[str, Any] = {}
    if args.ratio is not None:
        try:
            changes["ratios"] = parse_ratio(args.ratio)
        except ParseError as exc:
            raise JichitaiCloudError(f"--ratio: {exc}") from None
    if args.no_guarantee:
        changes["min_reduction"] = None
    elif args.min_reduction is not None:
        changes["min_reduction"] = args.min_reduction
    for field, name in (("penalty_sharing", "penalty"), ("guarantee_basis", "guarantee_basis"),
                        ("rounding", "rounding"), ("unit", "unit"), ("tie", "tie"), ("lead", "lead")):
        value = getattr(args, name)
        if value is not None:
            changes[field] = value
    if args.guarantee_counts_penalty:
        changes["guarantee_includes_penalty"] = True
    rule = attrs.evolve(base, **changes)
    return council, rule, total


def _handler(args: argparse.Namespace) -> int:
    council = load_source(args)
    council, rule, total = _rule_and_total(args, council)
    if args.sweep is not None:
        cells = (args.sweep + 1) * len(council.members)
        seconds = cells * _scenarios.SWEEP_SECONDS_PER_CELL
        check_limit(args, "--sweep", args.sweep, limit=MAX_SWEEP_STEPS, memory=cells * _scenarios.SWEEP_BYTES_PER_CELL,
                    seconds=seconds)
        with progress(args, f"allocate --sweep {args.sweep:,}", expected=seconds):
            sweep = ratio_sweep(council, total, rule, steps=args.sweep, limit=False)
        write_result(args, sweep, table=sweep.table(), title=f"{council.name}: shares for each ratio of {total:,} yen")
        return 0
    leaving = dict(args.leave or [])
    if leaving:
        change = membership_change(council, total, rule, leaving=leaving)
        write_result(args, change, text=change.to_text(), table=change.table())
        return 0
    result = allocate(council, total, rule)
    write_result(args, result, text=result.to_text(), data=result.to_dict(), table=result.table())
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
    add_source_arguments(p)
    p.add_argument("--total", type=yen_argument, metavar="YEN",
                   help="the fee over the evaluation period [yen] (default with --example: the bundled plan's)")
    p.add_argument("--ratio", metavar="R", help="driver ratio, '3:7' (均等割:人口割) or 'equal=3,population=7'")
    p.add_argument("--min-reduction", type=_rate, metavar="RATE",
                   help="guaranteed minimum reduction, e.g. 0.3 or 30%% (最低3割削減)")
    p.add_argument("--no-guarantee", action="store_true", help="no guaranteed minimum reduction")
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
