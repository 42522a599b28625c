"""Bundled evaluation examples, read through :mod:`jichitai_cloud.io` like a user's file."""

from __future__ import annotations

import functools

from ..errors import JichitaiCloudError
from ..model import Procurement

__all__ = ["example", "example_names"]

_FILES = {"toyama": "toyama_evaluation.toml"}


def example_names() -> tuple[str, ...]:
    """Names of the bundled evaluation examples."""
    return tuple(sorted(_FILES))


@functools.cache
def example(name: str = "toyama") -> Procurement:
    """A bundled procurement with its scheme and proposals.

    ``"toyama"``: the source document's 3000-point scheme (価格点 1000, 提案書評価・プレゼン 1000 by
    6 judges in the first round, 実技評価 1000 by 116 judge-sessions in the second) with three
    vendors.  The bids, criteria and scores are **illustrative**: the document publishes only the
    scheme and the judge counts.

    References
    ----------
    富山県情報システム共同利用推進協議会事務局, 「富山県情報システム共同利用推進協議会における
    自治体クラウド導入について」, 平成28年2月, 4. 調達 (選考会).
    """
    from .. import examples, io

    try:
        filename = _FILES[name]
    except KeyError:
        raise JichitaiCloudError(f"no bundled evaluation example {name!r}; there are {list(example_names())}") from None
    proc: Procurement = io.load(examples.data_path(filename), Procurement)
    return proc
