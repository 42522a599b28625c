"""One BLAS thread for the kernels' small matrix products, whatever the neighbours do.

On a machine whose other cores are busy, a multi-threaded BLAS (OpenBLAS, MKL) splits even a
small product among threads that then wait for a core: a product of a millisecond takes tens.
The kernels' products are small (a few judges, criteria or proposals), so one thread loses
little when the machine is quiet and keeps the time steady when it is not.

:func:`single_blas_thread` is a context manager (and :func:`one_blas_thread` a decorator) that
limits every BLAS library numpy has loaded to one thread while inside, through ``threadpoolctl``
(a dependency); the libraries are looked up on first use (and again only after new imports), so
``import jichitai_cloud`` does not pay for it; entering and leaving costs about 30 µs.  Nested and concurrent uses (threads of a dask scheduler) share one limit, which
is lifted when the last of them leaves.  Without ``threadpoolctl`` installed it does nothing.

Topics apply it in their public functions (kernels stay free of it): ``evaluation.monte_carlo``;
``games`` should wrap its Shapley and nucleolus entry points the same way.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["one_blas_thread", "single_blas_thread"]

_F = TypeVar("_F", bound=Callable[..., Any])

_LOCK = threading.Lock()
_STATE: dict[str, Any] = {"blas": None, "depth": 0, "saved": (), "modules": 0}


def _blas() -> list[Any]:
    """The BLAS libraries' controllers (``threadpoolctl``); empty without threadpoolctl.

    Found once, and again only when modules have been imported since (a BLAS library that comes
    with a later import, e.g. scipy's, is then limited too).
    """
    if _STATE["blas"] is None or _STATE["modules"] != len(sys.modules):
        _STATE["modules"] = len(sys.modules)
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - threadpoolctl is a dependency
            _STATE["blas"] = []
        else:
            _STATE["blas"] = [c for c in ThreadpoolController().lib_controllers if c.user_api == "blas"]
            _STATE["modules"] = len(sys.modules)
    return list(_STATE["blas"])


@contextmanager
def single_blas_thread() -> Iterator[None]:
    """Run the body with every loaded BLAS library limited to one thread."""
    with _LOCK:
        if _STATE["depth"] == 0:
            libs = _blas()
            _STATE["saved"] = tuple((lib, lib.get_num_threads()) for lib in libs)
            for lib, n in _STATE["saved"]:
                if n != 1:
                    lib.set_num_threads(1)
        _STATE["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE["depth"] -= 1
            if _STATE["depth"] == 0:
                for lib, n in _STATE["saved"]:
                    if n != 1:
                        lib.set_num_threads(n)
                _STATE["saved"] = ()


def one_blas_thread(fn: _F) -> _F:
    """Decorator: ``fn`` runs inside :func:`single_blas_thread`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with single_blas_thread():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
