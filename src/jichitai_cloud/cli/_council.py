"""What the subcommands that take a council share: the council with its fee period, the allocation rule
from the arguments, and the language of what they print.

* :func:`add_council_arguments` adds ``FILE``/``--example`` (through
  :func:`~jichitai_cloud.cli._common.add_source_arguments`) and ``--fee-period council|member``;
  :func:`load_council` reads the council and applies ``--fee-period`` over the file's own setting
  (``fee_period`` in a council file, 料金期間 on the 協議会 sheet of a member workbook).
* :func:`add_rule_arguments` and :func:`rule_and_total` build the allocation rule and the fee to
  split from ``--total``, ``--ratio``, ``--min-reduction`` … (``allocate`` and ``report`` alike;
  a bundled example brings its own plan).
* :func:`rate_argument` reads a rate such as ``0.3`` or ``30%``.
* :func:`lang_of` is the language chosen with the program's ``--lang ja|en`` (default ``ja``).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..errors import JichitaiCloudError
from ._common import add_sheet_argument, add_source_arguments, lang_of, load_source

if TYPE_CHECKING:  # pragma: no cover
    from ..allocation import AllocationPlan, AllocationRule
    from ..model import Consortium

__all__ = [
    "FEE_PERIODS",
    "LANGS",
    "add_council_arguments",
    "add_fee_period_argument",
    "add_rule_arguments",
    "bundled_plan",
    "lang_of",
    "load_council",
    "rate_argument",
    "rule_and_total",
]

FEE_PERIODS = ("council", "member")
"""``--fee-period``: whose months the fee is split over (see :attr:`jichitai_cloud.Consortium.fee_period`)."""

LANGS = ("ja", "en")
"""``--lang``: the language of captions, headings and explanations (Japanese first)."""


# -- the language ----------------------------------------------------------------------------------


# -- the council -----------------------------------------------------------------------------------


def add_fee_period_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--fee-period council|member`` (default: the file's own setting, else ``council``)."""
    parser.add_argument(
        "--fee-period", choices=list(FEE_PERIODS), default=None, dest="fee_period",
        help="whose months the fee is split over: the council's evaluation period (council) or each member's "
             "own months from its cloud start (member, the 5年試算 of the source document); default: the "
             "file's fee_period / 料金期間 setting, else council")


def add_council_arguments(
    parser: argparse.ArgumentParser,
    file_help: str = "council file (.toml, .json) or member list (.csv in UTF-8 or CP932, .xlsx)",
) -> None:
    """Add ``FILE``, ``--example NAME``, ``--sheet NAME`` and ``--fee-period``: what :func:`load_council` reads."""
    add_source_arguments(parser, file_help)
    add_sheet_argument(parser)
    add_fee_period_argument(parser)


def load_council(args: argparse.Namespace) -> Consortium:
    """The council of ``FILE`` or ``--example`` (see :func:`~jichitai_cloud.cli._common.load_source`),
    with ``--fee-period`` applied when given (it overrides the file's setting)."""
    import attrs

    council = load_source(args)
    period = getattr(args, "fee_period", None)
    if period is not None and period != council.fee_period:
        council = attrs.evolve(council, fee_period=period)
    return council


# -- the allocation rule ---------------------------------------------------------------------------


def rate_argument(text: str) -> float:
    """A rate between 0 and 1 written ``0.3`` or ``30%`` (``--min-reduction``). [1]"""
    t = text.strip()
    try:
        value = float(t[:-1]) / 100 if t.endswith("%") else float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a rate such as 0.3 or 30%, got {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a rate must be between 0 and 1 (0 % and 100 %), got {text!r}")
    return value


def add_rule_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--total``, ``--ratio``, ``--min-reduction`` and ``--no-guarantee`` (read by :func:`rule_and_total`)."""
    from ._common import yen_argument

    parser.add_argument("--total", type=yen_argument, metavar="YEN",
                        help="the fee to split over the evaluation period [yen] (default with --example: the "
                             "bundled plan's; else the council's published total)")
    parser.add_argument("--ratio", metavar="R", help="driver ratio, '3:7' (均等割:人口割) or 'equal=3,population=7'")
    parser.add_argument("--min-reduction", type=rate_argument, metavar="RATE",
                        help="guaranteed minimum reduction, e.g. 0.3 or 30%% (最低3割削減)")
    parser.add_argument("--no-guarantee", action="store_true", help="no guaranteed minimum reduction")


def bundled_plan(example: str | None) -> AllocationPlan | None:
    """The allocation plan (fee, rule, penalties) of a bundled example, if it has one."""
    from .. import examples

    return examples.toyama_allocation() if example == "toyama" else None


def rule_and_total(args: argparse.Namespace, council: Consortium) -> tuple[Consortium, AllocationRule, int]:
    """The council (with a bundled plan's penalties), the rule and the total from the arguments.

    Reads ``--total``, ``--ratio``, ``--min-reduction``, ``--no-guarantee`` and, where the
    subcommand has them, ``--penalty``, ``--guarantee-basis``, ``--rounding``, ``--unit``,
    ``--tie``, ``--lead`` and ``--guarantee-counts-penalty`` (absent ones keep the rule's default).
    With ``--example`` the bundled plan gives the rule and the fee the arguments start from;
    without ``--total`` the council's published total is split.
    """
    import attrs

    from ..allocation import AllocationRule, parse_ratio
    from ..errors import ParseError

    base = AllocationRule()
    total = getattr(args, "total", None)
    plan = bundled_plan(getattr(args, "example", None))
    if plan is not None:
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
    ratio = getattr(args, "ratio", None)
    if ratio is not None:
        try:
            changes["ratios"] = parse_ratio(ratio)
        except ParseError as exc:
            raise JichitaiCloudError(f"--ratio: {exc}") from None
    if getattr(args, "no_guarantee", False):
        changes["min_reduction"] = None
    elif getattr(args, "min_reduction", None) is not None:
        changes["min_reduction"] = args.min_reduction
    for field, name in (("penalty_sharing", "penalty"), ("guarantee_basis", "guarantee_basis"),
                        ("rounding", "rounding"), ("unit", "unit"), ("tie", "tie"), ("lead", "lead")):
        value = getattr(args, name, None)
        if value is not None:
            changes[field] = value
    if getattr(args, "guarantee_counts_penalty", False):
        changes["guarantee_includes_penalty"] = True
    rule = attrs.evolve(base, **changes)
    return council, rule, int(total)
