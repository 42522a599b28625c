"""A renewal decision as a council writes it down: the options in order and the settings to price them.

:class:`RenewalPlan` is what an options file holds (read by
:func:`jichitai_cloud.io.load_renewal_options`, the bundled example by
:func:`jichitai_cloud.examples.toyama_renewal`): the options (the first is the incumbent), the horizon,
the discount rate, the first month and the uncertain inputs; :meth:`RenewalPlan.compare` prices them
for a council with :func:`~jichitai_cloud.renewal.compare_renewal`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .. import _validators as v
from .._frozenmap import FrozenMap
from ..calendar import Month
from ..errors import Problem, ValidationError
from ..model import Consortium
from ._compare import RenewalComparison, compare_renewal
from ._options import RenewalOption
from ._uncertainty import check_uncertain

__all__ = ["RenewalPlan"]


def _to_options(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


def _check_options(_inst: Any, _a: Any, value: Any) -> None:
    if not isinstance(value, tuple) or not value:
        raise ValidationError(f"options must hold at least the incumbent (continue), got {value!r:.80}")
    for k, o in enumerate(value):
        if not isinstance(o, RenewalOption):
            raise ValidationError(f"options[{k}] must be a RenewalOption, got {o!r:.80}")


def _to_uncertain(value: Any) -> Any:
    if value is None:
        return FrozenMap({})
    if isinstance(value, Mapping) and not isinstance(value, FrozenMap):
        return FrozenMap({k: FrozenMap(dict(x)) if isinstance(x, Mapping) else x for k, x in value.items()})
    return value


def _check_uncertain_shape(_inst: Any, _a: Any, value: Any) -> None:
    if not isinstance(value, Mapping):
        raise ValidationError(f"uncertain must be a table option name -> {{input = [low, high]}}, got {value!r:.80}")
    names = list(value)  # the option names are checked against the options in __attrs_post_init__
    check_uncertain(value, names)


def _check_rate(_inst: Any, _a: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or not -1 < value < 10:
        raise ValidationError(f"discount_rate must be a finite number > -1 and < 10 (0.01 for 1 % a year) "
                              f"[1/year], got {value!r}")


@attrs.frozen(slots=True)
class RenewalPlan:
    """The options of a renewal decision and the settings to price them (an options file).

    Parameters
    ----------
    options
        The options in order; the first is the incumbent (continue) and has no ``parallel_months``.
    horizon_months
        Months priced from ``start`` (default 60, five years). [months]
    discount_rate
        Yearly discount rate of the present values (``0.01`` for 1 %). [1/year]
    start
        First month of the period (shown only), or None.
    uncertain
        ``{option name: {"monthly_fee": (low, high), "one_off": (low, high), "yearly_change": (low,
        high)}}``: the ranges drawn when the comparison is asked for samples (fees and one-offs as
        factors, the yearly change as the rate). [1], [1/year]
    note
        Where the figures come from (e.g. that they are illustrative).

    Examples
    --------
    >>> from jichitai_cloud import examples
    >>> plan = examples.toyama_renewal()
    >>> [o.name for o in plan.options][0], plan.horizon_months
    ('継続 (現行ベンダー)', 60)
    """

    options: tuple[RenewalOption, ...] = attrs.field(converter=_to_options, validator=_check_options)
    horizon_months: int = attrs.field(default=60, kw_only=True, validator=v.integer(min=1, max=1200, unit="months"))
    discount_rate: float = attrs.field(default=0.0, kw_only=True, validator=_check_rate)
    start: Month | None = attrs.field(default=None, kw_only=True, converter=v.to_month, validator=v.optional_month)
    uncertain: FrozenMap[FrozenMap[tuple[float, float]]] = attrs.field(
        factory=lambda: FrozenMap({}), kw_only=True, converter=_to_uncertain, validator=_check_uncertain_shape)
    note: str = attrs.field(default="", kw_only=True, validator=v.text())

    def __attrs_post_init__(self) -> None:
        found = self.problems()
        if found:
            err = ValidationError("; ".join(f"{where}: {message}" for where, message in found))
            # each located on its own when a file is read (jichitai_cloud.io.problems_of reads .problems)
            setattr(err, "problems", tuple(Problem(where, message) for where, message in found))  # noqa: B010
            raise err

    def problems(self) -> list[tuple[str, str]]:
        """What the options say about each other, located: ``[("options[0].parallel_months", "…")]``.

        A repeated name, double running on the incumbent, an uncertain range for an option that is
        not there.  (Empty for a plan that exists: the constructor refuses the others.)
        """
        out: list[tuple[str, str]] = []
        seen: dict[str, int] = {}
        for k, o in enumerate(self.options):
            if o.name in seen:
                out.append((f"options[{k}].name", f"option name {o.name!r} is used twice (also options[{seen[o.name]}])"))
            seen.setdefault(o.name, k)
        first = self.options[0]
        if first.parallel_months:
            out.append(("options[0].parallel_months",
                        f"the first option ({first.name!r}) is the incumbent (continue): it has no double running, "
                        f"got {first.parallel_months}"))
        out += [(f"uncertain.{name}", f"no option of that name; options are {list(seen)}")
                for name in self.uncertain if name not in seen]
        return out

    @property
    def names(self) -> tuple[str, ...]:
        """The options' names; the first is the incumbent."""
        return tuple(o.name for o in self.options)

    def compare(self, council: Consortium, *, samples: int | None = None, seed: Any = None,
                **overrides: Any) -> RenewalComparison:
        """The options priced for ``council`` with this plan's settings (:func:`compare_renewal`).

        Parameters
        ----------
        council
            The council.
        samples, seed
            Draws of the uncertain inputs (none without ``samples``; ``uncertain`` is used only then).
        **overrides
            Any keyword of :func:`compare_renewal` replacing the plan's (``horizon_months=120``).
        """
        kw: dict[str, Any] = {"horizon_months": self.horizon_months, "discount_rate": self.discount_rate,
                              "start": self.start}
        if samples is not None:
            kw["uncertain"] = {n: dict(spec) for n, spec in self.uncertain.items()} or None
        kw.update(overrides)
        return compare_renewal(council, self.options, samples=samples, seed=seed, **kw)
