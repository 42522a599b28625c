"""Names loaded on first use (PEP 562): the one module ``__getattr__`` and ``__dir__``.

The root package, :mod:`jichitai_cloud.io` and :mod:`jichitai_cloud.examples` each keep a table
``_LAZY`` (name → the module, relative to the package, that defines it) and take their module
``__getattr__`` and ``__dir__`` from :func:`lazy_attributes`.  Imports nothing from the package.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, Mapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(namespace: dict[str, Any], lazy: Mapping[str, str], subpackages: Collection[str] = (),
                    ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's PEP 562 ``__getattr__`` and ``__dir__``.

    Parameters
    ----------
    namespace
        The package's ``globals()``: a loaded name is kept there, so it loads once.
    lazy
        Name → the module (relative to the package) that defines it.
    subpackages
        Subpackages reachable as attributes, imported on first use.
    """
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        """Load a name or a subpackage on first use (PEP 562) and keep it in the namespace."""
        if name in lazy:
            value = getattr(importlib.import_module(lazy[name], package), name)
        elif name in subpackages:
            try:
                value = importlib.import_module(f".{name}", package)
            except ModuleNotFoundError as exc:  # a namespace not in this build: hasattr() must say False
                if exc.name != f"{package}.{name}":
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(lazy) | set(subpackages))

    return __getattr__, __dir__
