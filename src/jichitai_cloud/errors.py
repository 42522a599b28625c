"""The exception hierarchy of :mod:`jichitai_cloud`.

Every error the package raises derives from :class:`JichitaiCloudError`.  Concrete errors also
subclass the matching builtin (``ValueError``, ``KeyError`` …) so that code written against the
builtins keeps working.  Messages say *where* (file, row, field), *what was found* and *what was
expected*.

This module imports nothing from the package.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = [
    "ConversionError",
    "GameError",
    "InfeasibleAllocation",
    "InputError",
    "JichitaiCloudError",
    "OutputError",
    "ParseError",
    "Problem",
    "QuoteError",
    "SelectionError",
    "UnknownMemberError",
    "ValidationError",
    "ValidationWarning",
]


class JichitaiCloudError(Exception):
    """Root of every exception raised by :mod:`jichitai_cloud`."""


class ValidationError(JichitaiCloudError, ValueError):
    """A value does not satisfy a field's rule.

    The message names the field and the offending value, e.g.
    ``population must be an integer >= 1 [persons], got -5``.
    """


class ParseError(JichitaiCloudError, ValueError):
    """A piece of text (a month such as ``"H27.04"``, a ratio such as ``"3:7"``) cannot be read."""


class UnknownMemberError(JichitaiCloudError, KeyError):
    """A member code is referenced that the council does not have."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class InfeasibleAllocation(JichitaiCloudError, ValueError):
    """Caps and floors cannot be met together with the total (the message says by how much).

    Raised for a block of scenarios, ``rows`` holds the indices (within the block) of every scenario
    failing the same check, so a Monte Carlo run can count them all at once; ``None`` otherwise.
    """

    rows: Any = None


class QuoteError(JichitaiCloudError, ValueError):
    """A vendor quote was asked for a number of adopters it does not cover."""


class Problem:
    """One problem found in input: where it is and what is wrong.

    Parameters
    ----------
    where
        Location, e.g. ``"members[3].population"`` or ``"members.csv: row 4, population"``.
    message
        What was found and what was expected.
    """

    __slots__ = ("message", "where")

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def __repr__(self) -> str:
        return f"Problem(where={self.where!r}, message={self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return (self.where, self.message) == (other.where, other.message)

    def __hash__(self) -> int:
        return hash((self.where, self.message))


class InputError(JichitaiCloudError, ValueError):
    """Input (a file, a mapping, a CSV) has one or more problems; all of them are listed.

    Attributes
    ----------
    problems
        Every problem found, in input order.
    source
        The file (or other source) the input came from, if known.
    """

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        super().__init__(self._message())

    def _message(self) -> str:
        head = f"{self.source}: " if self.source else ""
        n = len(self.problems)
        lines = [f"{head}{n} problem{'s' if n != 1 else ''} found"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class ConversionError(InputError):
    """Structured data could not be turned into domain objects (see :attr:`InputError.problems`)."""


class ValidationWarning(JichitaiCloudError, UserWarning):
    """Input is valid but disagrees with itself (e.g. a declared total that its parts do not add up to)."""


class OutputError(JichitaiCloudError, OSError):
    """A result cannot be written: the file exists and replacing it was not asked for, the target is
    not a regular file, or the file system failed (missing folder, permission, disk full).  The old
    file, if any, is left as it was."""


class GameError(JichitaiCloudError, ValueError):
    """A cooperative cost game is malformed: its coalition cost vector does not have length 2**n, the
    empty coalition does not cost 0, a cost is negative, NaN or infinite, or an allocation does not fit it."""


class SelectionError(JichitaiCloudError, ValueError):
    """A selection of participants (参加団体の選定) is impossible or malformed: no partition of the
    candidates into permitted groups exists, or a group or its cost does not fit the candidates."""
