"""Customization requests (カスタマイズ要望): shared quotes, the comparison table, who stays in.

Kernels (pure numpy): :func:`share_quotes`, :func:`stable_adopters`, :func:`drop_out_rounds`,
:func:`would_rejoin`.
"""

from ._kernels import MAX_YEN, drop_out_rounds, share_quotes, stable_adopters, would_rejoin

__all__ = [
    "MAX_YEN",
    "drop_out_rounds",
    "share_quotes",
    "stable_adopters",
    "would_rejoin",
]
