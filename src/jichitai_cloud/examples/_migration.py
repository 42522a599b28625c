"""The bundled data migration example (データ移行検証): a 児童手当 layout and two members' extracts.

**Illustrative**: the layout is a small 児童手当 (child allowance) layout in the manner of the
中間標準レイアウト仕様, and the extracts are generated (invented names, numbers and dates), with
problems planted on purpose.  Nothing here is any municipality's data.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:  # pragma: no cover
    from ..migration import Extract, MigrationCheck
    from ..model import DataLayout

__all__ = ["MigrationExample", "toyama_migration"]


@attrs.frozen(kw_only=True, slots=True)
class MigrationExample:
    """The layouts, the members' extract files and the reference between them.

    Parameters
    ----------
    layouts
        ``{"受給者": layout, "児童": layout}`` (recipients and their children).
    files
        ``{member: {layout name: path}}`` (CP932 CSV, no header row).
    references
        ``(("児童", "B02", "受給者", "A01"),)``: every child's 受給者宛名番号 is a recipient's 宛名番号.
    names
        Member names.
    """

    layouts: Mapping[str, DataLayout]
    files: Mapping[str, Mapping[str, Path]]
    references: tuple[tuple[str, str, str, str], ...]
    names: Mapping[str, str]

    def extract(self, member: str, layout: str) -> Extract:
        """One member's extract for ``layout``, opened with :func:`jichitai_cloud.io.read_extract`."""
        from .. import io

        return io.read_extract(self.files[member][layout], self.layouts[layout])

    def check(self) -> MigrationCheck:
        """:func:`jichitai_cloud.migration.check_migration` over both members' files."""
        from .. import io, migration

        return migration.check_migration(io.read_extracts(self.files, self.layouts), self.layouts,
                                         references=self.references, names=self.names)


def toyama_migration() -> MigrationExample:
    """An illustrative 児童手当 migration: two layouts, two members' extracts with planted problems.

    Member A (A市) has an over-long name (氏名 of 22 bytes where the layout allows 20) and a 外字
    (a private-use character the old system kept in CP932's user-defined area); neither blocks
    readiness under the default thresholds.  Member B (B町) has a bad 和暦 date (``H31.05.01``:
    平成 ended on 30 April 2019), a duplicate 宛名番号 (two records: the second overwrote another
    recipient's number) and children whose 受給者宛名番号 is in no recipient record (one planted,
    one left by the overwritten number): B is not ready.

    Notes
    -----
    Illustrative only: generated data, no municipality's records.
    """
    from .. import io
    from . import data_path

    folder = data_path("toyama_migration/受給者.csv").parent
    layouts = {name: io.load_layout(folder / f"{name}.csv", name=name) for name in ("受給者", "児童")}
    files = {m: {name: folder / f"{m}_{name}.csv" for name in layouts} for m in ("A", "B")}
    return MigrationExample(layouts=layouts, files=files, references=(("児童", "B02", "受給者", "A01"),),
                            names={"A": "A市", "B": "B町"})
