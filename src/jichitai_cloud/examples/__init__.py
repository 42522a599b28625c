"""Bundled examples, loaded through the same :mod:`jichitai_cloud.io` code as a user's files.

>>> from jichitai_cloud import examples
>>> council = examples.toyama()
>>> [m.code for m in council.members]
['A', 'B', 'C', 'D', 'E', 'F']
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .._lazy import lazy_attributes
from ..errors import JichitaiCloudError
from ..model import Consortium

if TYPE_CHECKING:
    from ._allocation import toyama_allocation
    from ._billing import BillingExample, toyama_billing
    from ._customization import toyama_customization
    from ._evaluation import toyama_evaluation
    from ._games import toyama_games
    from ._migration import toyama_migration
    from ._operations import toyama_operations
    from ._renewal import toyama_renewal
    from ._schedule import toyama_schedule
    from ._selection import toyama_selection

_LAZY: dict[str, str] = {
    # name: the module (relative to this package) that defines it; loaded on first use, so the
    # council example does not import every topic
    "toyama_allocation": "._allocation",
    "toyama_customization": "._customization",
    "toyama_evaluation": "._evaluation",
    "toyama_games": "._games",
    "toyama_migration": "._migration",
    "toyama_operations": "._operations",
    "toyama_renewal": "._renewal",
    "toyama_schedule": "._schedule",
    "BillingExample": "._billing",
    "toyama_billing": "._billing",
    "toyama_selection": "._selection",
}

__all__ = [
    "BillingExample",
    "data_path",
    "load",
    "names",
    "toyama",
    "toyama_allocation",
    "toyama_billing",
    "toyama_customization",
    "toyama_evaluation",
    "toyama_games",
    "toyama_migration",
    "toyama_operations",
    "toyama_renewal",
    "toyama_schedule",
    "toyama_selection",
]

_EXAMPLES = {"toyama": "toyama.toml"}


def names() -> tuple[str, ...]:
    """Names of the bundled examples."""
    return tuple(sorted(_EXAMPLES))


def data_path(filename: str) -> Path:
    """Path of a bundled data file, e.g. ``data_path("toyama.toml")``."""
    path = Path(str(resources.files(__package__).joinpath("data", filename)))
    if not path.is_file():
        raise JichitaiCloudError(f"no bundled data file {filename!r}")
    return path


@functools.cache
def load(name: str) -> Consortium:
    """The bundled council called ``name`` (see :func:`names`)."""
    from .. import io

    try:
        filename = _EXAMPLES[name]
    except KeyError:
        raise JichitaiCloudError(f"no bundled example {name!r}; there are {list(names())}") from None
    council: Consortium = io.load(data_path(filename), Consortium)
    return council


def toyama() -> Consortium:
    """The council of the source document: Toyama Prefecture's six-member municipal cloud (A–F).

    Members A–F with the five-year current costs of the document's effect table
    (9.2/4.0/2.5/2.4/2.4/1.1 億円), cloud start months from its migration table (C, E, F in
    April 2015; A, B, D in July 2015), the 19 subcommittees with their meeting counts, the
    3000-point evaluation scheme, and the published figures (cloud fees 5.7/2.5/1.8/1.7/1.4/0.8
    億円, reduction rates, the 194 declared meetings, the customization outcome counts) kept in
    :attr:`~jichitai_cloud.Consortium.published` for comparison.  Populations are illustrative
    (the document gives only the total, 194,000, and the range, about 3,000 to 95,000).

    References
    ----------
    富山県情報システム共同利用推進協議会事務局, 「富山県情報システム共同利用推進協議会における
    自治体クラウド導入について」, 平成28年2月.
    """
    return load("toyama")


__getattr__, __dir__ = lazy_attributes(globals(), _LAZY)
