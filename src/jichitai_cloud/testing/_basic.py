"""The plainest strategies (names, amounts, months), which every other strategy module builds on.

Re-exported by :mod:`jichitai_cloud.testing.strategies`; the topic strategy modules import them from
here, so that no module of :mod:`jichitai_cloud.testing` imports ``strategies`` back.
"""

from __future__ import annotations

from hypothesis import strategies as st

from ..calendar import Month

__all__ = ["months", "names", "yen"]

_JP = "あいうえおかきくけこさしすせそ市町村県富山高岡射水魚津氷見滑川黒部砺波小矢部南砺舟橋上市立山入善朝日"


def names(min_size: int = 1, max_size: int = 12) -> st.SearchStrategy[str]:
    """Display names: Latin, digits, Japanese, inner spaces and symbols (including ``=+-@'``);
    no control characters and no surrounding whitespace (the model strips it)."""
    alphabet = st.one_of(
        st.sampled_from(_JP),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    )
    return st.text(alphabet, min_size=min_size, max_size=max_size).map(str.strip).filter(bool)


def yen(max_value: int = 10**12) -> st.SearchStrategy[int]:
    """Amounts of money. [yen]"""
    return st.integers(min_value=0, max_value=max_value)


def months(min_year: int = 1990, max_year: int = 2100) -> st.SearchStrategy[Month]:
    """Calendar months."""
    return st.builds(Month, st.integers(min_year, max_year), st.integers(1, 12))
