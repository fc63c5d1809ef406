"""Error types of the data layer.

Every error the UI may show is one of these, with structured fields so a page can translate the
message (``reason`` is a short English sentence; the other fields are data, not prose). An
import error also carries a ``code`` and its ``params``, which the UI translates.
"""

from __future__ import annotations

from typing import Any


class DataLayerError(Exception):
    """Base class of every error raised on purpose by ``db``."""


# The reasons an import can fail, by code: the English sentence of ``ImportDataError.reason``
# (CLI, logs), filled from the error's ``params`` with ``str.format``. The UI shows its own text
# per code from its catalogs (``data.err.code.<code>`` in ui/catalogs/data.py, in every
# language; a test checks that each code here has one), with the same params.
IMPORT_REASONS: dict[str, str] = {
    # reading the file
    "unknown_encoding": "unknown encoding {encoding!r}: choose utf-8, utf-8-sig, cp932 or utf-16",
    "bad_encoding": "the file is not {tried} text: bad byte 0x{byte:02x} at byte {offset} "
    "(choose the file's encoding)",
    "empty_file": "the file is empty",
    "no_header": "the file has no header row",
    "blank_header": "column {position} has no header",
    "duplicate_header": "two columns have the same header",
    "reserved_header": "reserved column name",
    "ragged_row": "this row has a different number of columns than the header ({columns})",
    "bad_csv": "cannot parse the file as CSV: {detail}",
    "not_xlsx": "not an Excel .xlsx workbook (not a zip archive)",
    "xlsx_too_large": "the workbook unpacks to {mb:.0f} MB, more than this app reads",
    "bad_xlsx": "cannot open the workbook: {detail}",
    "no_sheet": "no sheet {sheet!r} (sheets are: {sheets})",
    "empty_sheet": "the sheet is empty",
    "bad_parquet": "not a readable Parquet file: {detail}",
    "unreadable_file": "cannot read the file: {detail}",
    "xls_unsupported": "old .xls workbooks are not supported: save as .xlsx or CSV",
    "unknown_file_type": "unknown file type {format!r}: use CSV, Excel (.xlsx) or Parquet",
    # the mapping against the file's header
    "bad_field_ref": "the mapping of {field} must be a column name or a list of them",
    "bad_stage_date_ref": "the mapping of the {stage} date must be a column name or a list of them",
    "bad_owner_ref": "the mapping of the {stage} owner must be a column name or a list of them",
    "missing_column": "the file has no column for {field} (looked for {looked_for!r})",
    "unmapped_field": "the mapping names no column for the required field {field}",
    "no_stage_dates": "none of the stage date columns of the mapping is in the file",
    # two files joined
    "missing_join_column": "the join column is missing",
    "duplicate_join_key": "the join key appears {count} times; each {role} row must match one item",
    # the values, row by row
    "not_a_date": "not a date",
    "not_a_number": "not a number",
    "negative": "must not be negative",
    "empty_field": "the {field} is empty",
    "unknown_value": "unknown {field} value: map it to one of {choices} in the mapping's "
    "values.{field}",
}


class ImportDataError(DataLayerError, ValueError):
    """Bad input in an imported file: which file, row and column is wrong, and why.

    ``code`` says why, for a program (a key of ``IMPORT_REASONS``); ``params`` are the values the
    reason mentions (numbers, names; ``field``/``stage`` are field and stage keys), and
    ``reason`` is the English sentence made of them. ``row`` is the 1-based line in the file as
    a spreadsheet shows it (the header is row 1, the first data row is row 2); ``None`` when the
    problem concerns the whole file (an unreadable encoding, a missing column). ``column`` is the
    file's own header text, or ``None``. ``value`` is the offending raw text (truncated), when
    there is one.
    """

    def __init__(
        self,
        file: str,
        *,
        code: str,
        params: dict[str, Any] | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        more: int = 0,
    ) -> None:
        self.file = file
        self.code = code
        self.params = dict(params or {})
        self.row = row
        self.column = column
        self.value = None if value is None else str(value)[:80]
        self.reason = import_reason(code, self.params)
        self.more = more  # how many other rows have the same kind of problem
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        text = f"{where}: {self.reason}"
        if self.value is not None:
            text += f" (value {self.value!r})"
        if more:
            text += f"; {more} more row(s) with the same problem"
        super().__init__(text)


def import_reason(code: str, params: dict[str, Any]) -> str:
    """The English reason of an import error ``code`` filled with ``params`` (a code missing
    from ``IMPORT_REASONS`` gives the code and its params rather than a second error)."""
    template = IMPORT_REASONS.get(code)
    if template is None:
        return code.replace("_", " ") + (f" {params}" if params else "")
    return template.format(**params)


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
