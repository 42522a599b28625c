"""The ``jichitai-cloud evaluate`` subcommand: ranking, validity of every bid, winner, robustness."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..errors import JichitaiCloudError
from ._common import add_format_argument, emit, emit_text

if TYPE_CHECKING:
    from ..model import Procurement

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``evaluate`` to the program's subcommands."""
    p = subparsers.add_parser(
        "evaluate",
        help="evaluate proposals (総合評価): ranking, validity, winner and how robust it is",
        description="Evaluate the proposals of a procurement file (.toml/.json with [scheme] and "
                    "[[proposals]]) by its comprehensive evaluation scheme, and estimate how robust the "
                    "winner is to the weights and the judges (Monte Carlo).",
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="procurement file (.toml or .json)")
    p.add_argument("--example", metavar="NAME", help="use a bundled example instead of FILE (e.g. toyama)")
    p.add_argument("--samples", type=int, default=10_000, help="Monte Carlo samples (0: skip robustness)")
    p.add_argument("--concentration", type=float, default=100.0,
                   help="Dirichlet concentration of the weights (larger = closer to nominal)")
    p.add_argument("--no-bootstrap", action="store_true", help="do not resample the judges")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same figures)")
    p.add_argument("--excel", metavar="PATH", help="also write the evaluation sheet (.xlsx) to PATH")
    add_format_argument(p)
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
    from .. import report
    from ..evaluation import evaluate

    if args.samples < 0:
        raise JichitaiCloudError(f"--samples must be >= 0, got {args.samples}")
    proc = _load(args)
    result = evaluate(proc)
    robust = None
    if args.samples > 0 and any(r.rank is not None for r in result.results):
        robust = result.robustness(samples=args.samples, concentration=args.concentration,
                                   bootstrap=not args.no_bootstrap, seed=args.seed)
    if args.excel:
        report.to_excel(result, args.excel)
    fmt = getattr(args, "format", "table")
    if fmt == "table":
        text = result.to_text()
        if robust is not None:
            text += "\n\n" + robust.to_text()
        if args.excel:
            text += f"\n\nevaluation sheet written to {args.excel}"
        emit_text(args, text)
    elif fmt == "json":
        data: dict[str, Any] = {
            "name": result.name,
            "winner": result.winner,
            "lottery_candidates": list(result.lottery_candidates),
            "investigation_threshold": result.investigation,
            "proposals": [
                {"vendor": r.vendor, "rank": r.rank, "bid": r.bid, "status": r.status,
                 "mandatory_passed": r.mandatory_passed, "shortlisted": r.shortlisted,
                 "price_points": r.price_points, "technical": dict(r.technical),
                 "technical_points": r.technical_points, "total": r.total, "remarks": list(r.remarks)}
                for r in result.ranking()
            ],
            "judges": [{"component": j.component, "judges": len(j.judges), "kendalls_w": j.kendalls_w,
                        "flagged": list(j.flagged)} for j in result.judges],
            "notes": list(result.notes),
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
                "summary": robust.summary(),
            }
        emit_text(args, "", data)
    else:
        header, rows = result.table()
        if robust is not None:
            p_win = dict(zip(robust.vendors, robust.win_probability, strict=True))
            header = (*header, "P(win)")
            rows = [[*row, p_win.get(row[1])] for row in rows]
        emit(args, header, rows)
    sys.stdout.flush()
    return 0
