"""The ``jichitai-cloud evaluate`` subcommand: ranking, validity of every bid, winner, robustness."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

import attrs

from .._numeric._limits import MAX_SAMPLES
from ..errors import JichitaiCloudError
from ._common import (
    add_format_argument,
    add_limit_arguments,
    add_source_arguments,
    check_limit,
    count_argument,
    lang_of,
    positive_real_argument,
    progress,
    seed_argument,
    write_result,
)

if TYPE_CHECKING:
    from ..model import Procurement

__all__ = ["MAX_SAMPLES", "register"]

"""``--samples``: the most Monte Carlo samples without ``--no-limit`` (1,000,000: about 5 s and 50 MB
for the bundled example on a laptop). [1]"""

SAMPLES_CEILING = 10**12
"""``--samples``: the most samples even with ``--no-limit``. [1]"""

FORMATS = ("table", "json", "csv", "markdown", "html", "xlsx")
"""What ``evaluate`` writes (``--format``, or ``--output``'s extension; ``--excel`` also writes xlsx)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``evaluate`` to the program's subcommands."""
    p = subparsers.add_parser(
        "evaluate",
        help="evaluate proposals (総合評価): ranking, validity, winner and how robust it is",
        description="Evaluate the proposals of a procurement file (.toml/.json with [scheme] and "
                    "[[proposals]]) by its comprehensive evaluation scheme, and estimate how robust the "
                    "winner is to the weights and the judges (Monte Carlo).",
    )
    add_source_arguments(p, "procurement file (.toml or .json)")
    p.add_argument("--samples", type=count_argument(0, SAMPLES_CEILING, "a sample count"), default=10_000,
                   help=f"Monte Carlo samples (0: skip robustness; at most {MAX_SAMPLES:,} without --no-limit)")
    p.add_argument("--concentration", type=positive_real_argument, default=100.0,
                   help="Dirichlet concentration of the weights (larger = closer to nominal)")
    p.add_argument("--no-bootstrap", action="store_true", help="do not resample the judges")
    p.add_argument("--seed", type=seed_argument, default=0, help="random seed, a whole number >= 0 "
                                                                 "(same seed, same figures)")
    add_limit_arguments(p)
    add_format_argument(p, FORMATS, aliases={"--excel": "xlsx"})
    p.set_defaults(func=handle)


_EXAMPLES = {"toyama": "toyama_evaluation"}


def _load(args: argparse.Namespace) -> Procurement:
    from .. import examples, io

    if (args.file is None) == (args.example is None):
        raise JichitaiCloudError("give either FILE or --example NAME (e.g. --example toyama)")
    if args.example is not None:
        if args.example not in _EXAMPLES:
            raise JichitaiCloudError(f"no bundled evaluation example {args.example!r}; there are {sorted(_EXAMPLES)}")
        proc: Procurement = getattr(examples, _EXAMPLES[args.example])()
        return proc
    return io.load_procurement(args.file)


def handle(args: argparse.Namespace) -> int:
    """Run ``evaluate``; returns the exit status."""
    # the topic loads when the subcommand runs, not when the program's parser is built
    from ..evaluation import evaluate

    proc = _load(args)
    result = evaluate(proc)
    robust = None
    if args.samples > 0 and any(r.rank is not None for r in result.results):
        memory, seconds = result.robustness_cost(args.samples)
        check_limit(args, "--samples", args.samples, limit=MAX_SAMPLES, memory=memory, seconds=seconds)
        with progress(args, f"evaluate: {args.samples:,} samples", expected=seconds):
            robust = result.robustness(samples=args.samples, concentration=args.concentration,
                                       bootstrap=not args.no_bootstrap, seed=args.seed, limit=False)
    fmt = args.format
    lang = lang_of(args)
    text = result.to_text(lang)
    if robust is not None:
        text += "\n\n" + robust.to_text(lang)
    data: dict[str, Any] | None = None
    if fmt == "json":
        data = {
            "name": result.name,
            "winner": result.winner,
            "lottery_candidates": list(result.lottery_candidates),
            "investigation_threshold": result.investigation,
            "proposals": [
                {"vendor": r.vendor, "rank": r.rank, "bid": r.bid, "status": r.status,
                 "mandatory_passed": r.mandatory_passed, "shortlisted": r.shortlisted,
                 "price_points": r.price_points, "technical": dict(r.technical),
                 "technical_points": r.technical_points, "total": r.total, "remarks": list(r.remarks),
                 "remarks_en": list(r.remarks_en or r.remarks)}
                for r in result.ranking()
            ],
            "judges": [{"component": j.component, "judges": len(j.judges), "kendalls_w": j.kendalls_w,
                        "flagged": list(j.flagged)} for j in result.judges],
            "notes": list(result.notes), "notes_en": list(result.notes_en or result.notes),
        }
        if robust is not None:
            data["robustness"] = {
                "samples": robust.samples, "concentration": robust.concentration, "bootstrap": robust.bootstrap,
                "seed": robust.seed,
                "win_probability": dict(zip(robust.vendors, robust.win_probability, strict=True)),
                "rank_probability": {v: list(p) for v, p in zip(robust.vendors, robust.rank_probability,
                                                                 strict=True)},
                "weight_shift": {v: (None if s == float("inf") else s) for v, s in robust.shifts.items()},
                "closest_rival": robust.closest_rival, "shift_to": robust.shift_to,
                "summary": robust.summary(lang),
            }
    table = result.view()
    if robust is not None:  # the ranking with each proposal's probability of winning beside it
        p_win = dict(zip(robust.vendors, robust.win_probability, strict=True))
        at = table.position("vendor")
        table = attrs.evolve(table, columns=(*table.columns, robust.view().column("win_probability")),
                             rows=[(*row, p_win.get(row[at])) for row in table.rows])
    write_result(args, result, text=text, data=data, table=table)
    return 0
