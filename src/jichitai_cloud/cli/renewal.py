"""The ``jichitai-cloud renewal`` subcommand: continue or switch, in money (サービス継続・切替の判断).

::

    jichitai-cloud renewal --example toyama
    jichitai-cloud renewal --example toyama --samples 10000 --seed 1 -o renewal.xlsx
    jichitai-cloud renewal council.toml --options options.toml --horizon 120 --discount-rate 0.01
    jichitai-cloud --lang en renewal members.xlsx --options options.json -o renewal.html

The council is read as every subcommand reads it (a council file or a member list); the options
with :func:`jichitai_cloud.io.load_renewal_options` (``--example toyama`` without ``--options``: the
bundled, illustrative options); ``--horizon`` and ``--discount-rate`` replace the file's settings;
``--samples`` draws the file's ``[uncertain]`` ranges.
"""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING, Any

from .._numeric._limits import MAX_SAMPLES
from ..errors import JichitaiCloudError
from ._common import (
    add_format_argument,
    add_limit_arguments,
    check_limit,
    count_argument,
    progress,
    seed_argument,
    write_result,
)
from ._council import add_council_arguments, lang_of, load_council

if TYPE_CHECKING:  # pragma: no cover
    from ..renewal import RenewalPlan

__all__ = ["register"]

SAMPLES_CEILING = 10**12
"""``--samples``: the most samples even with ``--no-limit``. [1]"""

FORMATS = ("table", "json", "csv", "markdown", "html", "xlsx")
"""What ``renewal`` writes (``--format``, or ``--output``'s extension)."""

_EXAMPLES = ("toyama",)


def _rate(text: str) -> float:
    """``--discount-rate``: a yearly rate such as ``0.01`` or ``1%``, > -1 and < 10. [1/year]"""
    t = text.strip()
    try:
        value = float(t[:-1]) / 100 if t.endswith("%") else float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a yearly rate such as 0.01 or 1%, got {text!r}") from None
    if not math.isfinite(value) or not -1 < value < 10:
        raise argparse.ArgumentTypeError(f"a discount rate must be > -1 and < 10 (0.01 for 1 % a year), got {text!r}")
    return value


def _plan(args: argparse.Namespace) -> RenewalPlan:
    from .. import examples, io

    if args.options is not None:
        return io.load_renewal_options(args.options)
    if args.example is None:
        raise JichitaiCloudError("give the options with --options FILE (.toml or .json with [[options]] tables)")
    if args.example not in _EXAMPLES:
        raise JichitaiCloudError(f"no bundled renewal options for {args.example!r}; there are {list(_EXAMPLES)}: "
                                 "give --options FILE")
    return examples.toyama_renewal()


def _sample_cost(plan: RenewalPlan, members: int, samples: int, horizon: int) -> tuple[float, float]:
    """Estimated peak memory [bytes] and time [s] of ``samples`` draws (no month axis: 12-month blocks).

    Measured for the bundled example (6 members, 3 options, 5 blocks): 1,000,000 samples took about
    410 MB above the program's own and 6.5 s on the development machine.
    """
    blocks = -(-horizon // 12)
    options = len(plan.options)
    per_sample = options * (3 + 2 * blocks + 4) + members * blocks * 2
    return 4.0 * per_sample * samples, 6e-8 * per_sample * samples


def _handler(args: argparse.Namespace) -> int:
    plan = _plan(args)
    council = load_council(args)
    horizon = plan.horizon_months if args.horizon is None else args.horizon
    overrides: dict[str, Any] = {"horizon_months": horizon}
    if args.discount_rate is not None:
        overrides["discount_rate"] = args.discount_rate
    samples = args.samples or None
    if samples is not None:
        memory, seconds = _sample_cost(plan, len(council.members), samples, horizon)
        check_limit(args, "--samples", samples, limit=MAX_SAMPLES, memory=memory, seconds=seconds)
        with progress(args, f"renewal: {samples:,} samples", expected=seconds):
            comparison = plan.compare(council, samples=samples, seed=args.seed, **overrides)
    else:
        comparison = plan.compare(council, **overrides)
    lang = lang_of(args)
    text = comparison.to_text(lang) + "\n\n" + comparison.summary(lang)
    if plan.note:
        text += "\n" + ("※ " if lang == "ja" else "note: ") + plan.note
    write_result(args, comparison, text=text)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``renewal`` subcommand."""
    p = subparsers.add_parser(
        "renewal",
        help="continue or switch (サービス継続・切替の判断): each option priced per member, break-even, how sure",
        description="Price continuing the service and each way of switching over the next period, for the council "
                    "and every member in integer yen (fees split with each option's rule, one-off costs, double "
                    "running), with present values, the difference to continuing, the break-even points and, "
                    "with --samples, the probability that each option is the cheapest.",
    )
    add_council_arguments(p)
    p.add_argument("--options", metavar="FILE",
                   help="the options (.toml or .json with [[options]] tables; the first is the incumbent); "
                        "default with --example toyama: the bundled, illustrative options")
    p.add_argument("--samples", type=count_argument(0, SAMPLES_CEILING, "a sample count"), default=0,
                   help=f"draws of the file's [uncertain] ranges (0: none, the default; at most {MAX_SAMPLES:,} "
                        "without --no-limit)")
    p.add_argument("--seed", type=seed_argument, default=0,
                   help="random seed, a whole number >= 0 (same seed, same figures)")
    p.add_argument("--horizon", type=count_argument(1, 1200, "a horizon", "months"), metavar="MONTHS",
                   help="months priced (1 to 1,200; default: the file's horizon_months, else 60)")
    p.add_argument("--discount-rate", type=_rate, metavar="RATE",
                   help="yearly discount rate of the present values, e.g. 0.01 or 1%% (default: the file's, else 0)")
    add_limit_arguments(p)
    add_format_argument(p, FORMATS)
    p.set_defaults(func=_handler)
