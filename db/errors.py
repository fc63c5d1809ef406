"""Error types of the data layer.

Every error the UI may show is one of these, with structured fields so a page can translate the
message (``reason`` is a short English sentence; the other fields are data, not prose).
"""

from __future__ import annotations


class DataLayerError(Exception):
    """Base class of every error raised on purpose by ``db``."""


class ImportDataError(DataLayerError, ValueError):
    """Bad input in an imported file: which file, row and column is wrong, and why.

    ``row`` is the 1-based line in the file as a spreadsheet shows it (the header is row 1, the
    first data row is row 2); ``None`` when the problem concerns the whole file (an unreadable
    encoding, a missing column). ``column`` is the file's own header text, or ``None``.
    ``value`` is the offending raw text (truncated), when there is one.
    """

    def __init__(
        self,
        file: str,
        reason: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        more: int = 0,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.value = None if value is None else str(value)[:80]
        self.reason = reason
        self.more = more  # how many other rows have the same kind of problem
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        text = f"{where}: {reason}"
        if self.value is not None:
            text += f" (value {self.value!r})"
        if more:
            text += f"; {more} more row(s) with the same problem"
        super().__init__(text)


class DatabaseLockedError(DataLayerError, RuntimeError):
    """Another process holds the database file open for writing."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(
            f"the database {path} is in use by another process (only one process may write it "
            f"at a time; close the other app or CLI and retry): {detail}"
        )


class ScenarioStoreError(DataLayerError, ValueError):
    """A scenario cannot be saved, found or parsed: ``name``/``version`` say which."""

    def __init__(self, reason: str, *, name: str | None = None, version: int | None = None):
        self.name = name
        self.version = version
        self.reason = reason
        prefix = f"scenario {name!r}" if name is not None else "scenario"
        if version is not None:
            prefix += f" version {version}"
        super().__init__(f"{prefix}: {reason}")


class StageDesignError(DataLayerError, ValueError):
    """An invalid stage design (names, order)."""
