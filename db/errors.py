"""Error types of the data layer.

Every error the UI may show is one of these, with a machine ``code`` and its ``params`` (data,
not prose) which the UI translates; ``str()`` is the English sentence the code's template makes
of the params (CLI, logs). Import errors take their templates from ``IMPORT_REASONS``, the
others from ``MESSAGES``; the two sets of codes are disjoint. An import's warnings
(``ImportDataWarning``) are made the same way from ``IMPORT_WARNINGS``.
"""

from __future__ import annotations

from string import Formatter
from typing import Any

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
    # the limits of one file, checked before it is read
    "too_many_rows": "the file has too many rows ({found:,} or more; at most {limit:,})",
    "too_many_columns": "the file has too many columns ({found:,}; at most {limit:,})",
    "too_many_cells": "the file has too many cells, rows x columns ({found:,} or more; at most "
    "{limit:,}): import fewer rows or drop unused columns",
    "file_too_large": "the file is {mb:,.0f} MB, more than this app reads ({limit_mb:,.0f} MB)",
    "no_rows": "the file has a header but no rows",
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
    "not_a_month": "not a month: write 2026-04, 2026/4 or 2026年4月",
    "too_large": "more than {limit:g}",
    # a sheet of heads by division and month (db/heads.py)
    "heads_unknown_division": "unknown division: this scenario's teams are {choices}",
    "heads_month_outside": "{month} is outside the plan ({first} to {last})",
    "heads_duplicate": "{division} in {month} is given twice (first in row {first_row})",
    "heads_month_missing": "{division} has no heads for {month} ({count} month(s) of the plan "
    "missing): give every month of the plan",
}


# The warnings of an import that completed, by code: the English sentence of the
# ``ImportDataWarning`` (the CLI's ``warning:`` lines, logs), filled from its params. The UI shows
# its own text per code (``data.warn.code.<code>`` in ui/catalogs/data.py, in every language; a
# test checks that each code here has one), with the same params.
IMPORT_WARNINGS: dict[str, str] = {
    "unmatched_join_rows": "{file}: {count} row(s) match no row of {main}",
    "rows_without_stage_date": "{count} row(s) have no stage date and were skipped",
    "duplicate_ids": "{file}: {count} row(s) repeat the {column} of a later row and were left "
    "out, the first being row {row} ({value!r}): each ID's last row was imported",
    "implausible_dates": "{file}: {count} date(s) are before {earliest} or after {latest}, the "
    "first in row {row}, column {column!r} ({value!r}): check the years",
}


# The warnings of an AsIs baseline (spec section 7), by code: the English sentence of the
# ``BaselineWarning`` (kept in the scenario's notes), filled from its params. The UI shows its own
# text per code (``data.bwarn.code.<code>`` in ui/catalogs/data.py, in every language; a test
# checks that each code here has one), with the same params.
BASELINE_WARNINGS: dict[str, str] = {
    "lag_unknown": "stage {stage!r}: every resolved item is undated, so its shares are counts "
    "and its lag (0) is unknown",
    "lag_from_dated": "stage {stage!r}: {undated} resolved item(s) have no date; the lag rests "
    "on the dated ones alone",
}


# The other errors of the data layer, by code: the English sentence of the error (or of a
# ``ScenarioStoreError``'s ``reason``, after which ``str()`` names the scenario), filled from its
# params. A list param reads "a, b, c" ("none" when empty), so a param stays data (stage keys,
# choices) for the UI to show in its language: ``err.code.<code>`` in ui/catalogs/errors.py.
MESSAGES: dict[str, str] = {
    # the stage design
    "too_few_stages": "a stage design needs at least two stages",
    "too_many_stages": "a stage design has at most {max} stages",
    "bad_stage_key": "stage key {stage_key!r} must start with a letter and use only a-z, 0-9 and _",
    "duplicate_stage_keys": "duplicate stage keys in {keys!r}",
    # a mapping's shape
    "mapping_not_object": "a mapping must be a JSON object",
    "mapping_unknown_keys": "unknown mapping keys: {keys}",
    "mapping_bad_kind": "mapping kind must be one of {kinds}, got {kind!r}",
    "mapping_bad_stages": "mapping stages must be a list of stage keys (a-z, 0-9, _)",
    "mapping_unknown_field": "a {kind} mapping has no field {field!r} (fields are: {fields})",
    "mapping_bad_stage_date_key": "stage_dates: {stage_key!r} is not a stage key",
    "mapping_bad_unresolved": "unresolved must be one of {choices}",
    "mapping_bad_values": "values must map stage/outcome/status to {{file value: key}}",
    "value_not_a_stage": "values.{table}: {raw!r} maps to {target!r}, which is not a stage of "
    "this design",
    "value_not_an_outcome": "values.{table}: {raw!r} maps to {target!r}, which is not an "
    "outcome of this design",
    # saving and finding a mapping
    "mapping_name_length": "a mapping name must be 1 to {max} characters",
    "mapping_name_builtin": "{name!r} is a built-in preset: choose another name",
    "mapping_no_kind": "a mapping needs a kind ({kinds})",
    "no_such_mapping": "no preset or saved mapping named {name!r}",
    "unknown_preset": "unknown preset {name!r} (presets are: {presets})",
    # an import, beyond the contents of its files
    "mapping_file_count": "this mapping reads {count} file(s) ({roles}); got {files}",
    "join_file_missing": "a two-file mapping needs join.file naming the second file",
    "stage_date_not_in_design": "stage_dates names {stage!r}, which is not a stage of the "
    "design ({design})",
    "stages_do_not_fit": "the file's stages ({stages}) do not fit the database's stage design "
    "({design}): replace the data or change the mapping",
    "design_change_with_history": "cannot change the stage design of existing history",
    "constraint_violation": "the import breaks a rule of the database: {detail}",
    # the baseline and the metrics it reads
    "no_funnel_data": "the database holds no funnel data: load the sample or import a file",
    "window_reversed": "the window ends ({end}) before it starts ({start})",
    "bad_horizon": "horizon must be 1..{max} months, got {horizon}",
    "no_resolved_items": "stage {stage!r} has no resolved items in {start}..{end}: widen the "
    "window or import its history",
    "bad_stale_after": "stale_after for {stage!r} must be a whole number of months, 0 or more, "
    "for a stage with outcomes ({stages}); got {value!r}",
    "bad_month": "{name} must be YYYY-MM, got {value!r}",
    "bad_split": "cannot split by {by!r}: choose source, segment or owner",
    # the scenario store (the reason; str() puts the scenario's name and version before it)
    "scenario_name_empty": "a scenario needs a non-empty name",
    "scenario_name_invalid": "a name has at most {max} characters and no control characters",
    "scenario_not_object": "the scenario must be a JSON object",
    "scenario_invalid": "invalid scenario: {field}: {reason}",
    "author_required": "a save needs an author",
    "archive_author_required": "archiving needs an author",
    "save_conflict": "could not save after {attempts} attempts (constant conflicts)",
    "scenario_stale_parent": "version {parent} is no longer the latest (the latest is version "
    "{head}): compare them, or save anyway",
    "archive_conflict": "could not archive after {attempts} attempts",
    "no_such_scenario": "no such scenario",
    "no_such_version": "no such scenario or version",
    "not_json": "not JSON (line {line}, column {column}: {detail})",
    "store_unavailable": "the scenario store {store} cannot be reached ({detail}): check that "
    "its database server is running and that the URL, user and password are right, then retry",
    "store_auth_failed": "the scenario store {store} refused the login ({detail}): check the "
    "user and password in the URL (and that the server admits that user); retrying will not help",
    # datasets (one per import; the sample is built in)
    "dataset_name_empty": "a dataset needs a non-empty name",
    "dataset_name_invalid": "a dataset name has at most {max} characters and no control characters",
    "dataset_name_taken": "there is already a dataset named {name!r}: choose another name",
    "dataset_read_only": "the sample data is read-only: import into a dataset of your own",
    "no_such_dataset": "no dataset {dataset!r} (it may have been removed)",
    "dataset_index_damaged": "the list of datasets {path} is damaged: move it aside to start "
    "a new one",
    # a locked database file
    "database_locked": "the database {path} is in use by another process (only one process may "
    "write it at a time; close the other app or CLI and retry): {detail}",
    # a damaged database file (unreadable, cut short, failing its checksums; never "locked")
    "database_damaged": "the database {path} is damaged and cannot be read ({detail}); it is not "
    "in use by another process: restore it from a backup, or move it aside to start anew",
    "store_damaged": "the scenario store {path} is damaged and cannot be read ({detail}); it is "
    "not in use by another process. Nothing can be saved in it: move the file aside (keep it, "
    "what is readable can be recovered from it) to start a new store, or restore it from a "
    "backup",
    "dataset_damaged": "this dataset's file is damaged: {path} ({detail}). Remove the dataset "
    "and import its data again, or restore the file from a backup",
}
DATABASE_LOCKED = "database_locked"

# The warnings of the scenario store (``StoreWarning``), by code: the English sentence, filled from
# its params. The UI's text of each is ``scn.warn.<code>`` (ui/catalogs/scenarios.py).
STORE_WARNINGS: dict[str, str] = {
    # after it was opened with a damaged or cut-off log
    "store_recovered": "the scenario store's log was damaged or cut off (found {at} UTC); it is "
    "kept as {aside} and everything readable in it was recovered. Versions that may be missing: "
    "{missing}. Save them again if you still have them open; once checked, delete {record}",
}


class _English(Formatter):
    """``str.format`` with lists read as "a, b, c" ("none" when empty); ``!r`` as usual."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, list | tuple):
            value = ", ".join(map(str, value)) or "none"
        return super().format_field(value, format_spec)


def _fill(templates: dict[str, str], code: str, params: dict[str, Any]) -> str:
    """The English sentence of ``code`` filled with ``params`` (a code missing from
    ``templates`` gives the code and its params rather than a second error)."""
    template = templates.get(code)
    if template is None:
        return code.replace("_", " ") + (f" {params}" if params else "")
    return _English().format(template, **params)


def message(code: str, params: dict[str, Any]) -> str:
    """The English text of a data-layer error ``code`` (a key of ``MESSAGES``) with ``params``."""
    return _fill(MESSAGES, code, params)


class ImportDataWarning(str):
    """A warning of an import that completed: the English sentence of its ``code`` (a key of
    ``IMPORT_WARNINGS``) filled with its ``params`` (it *is* that str, so the CLI and logs print
    it as is), with the code and params for a page to say it in the user's language."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, params: dict[str, Any] | None = None) -> ImportDataWarning:
        params = dict(params or {})
        obj = super().__new__(cls, _fill(IMPORT_WARNINGS, code, params))
        obj.code = code
        obj.params = params
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # pickling (Streamlit's cache) keeps code and params
        return (ImportDataWarning, (self.code, self.params))


class BaselineWarning(ImportDataWarning):
    """A warning of an AsIs baseline: the English sentence of its ``code`` (a key of
    ``BASELINE_WARNINGS``) filled with its ``params``, with the code and params for a page."""

    def __new__(cls, code: str, params: dict[str, Any] | None = None) -> BaselineWarning:
        params = dict(params or {})
        obj = str.__new__(cls, _fill(BASELINE_WARNINGS, code, params))
        obj.code = code
        obj.params = params
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (BaselineWarning, (self.code, self.params))


class DataLayerError(Exception):
    """Base class of every error raised on purpose by ``db``.

    Raised with ``code=`` (a key of ``MESSAGES``) and ``params=``, its text is the code's
    English sentence; raised with a bare message (the CLI's own errors), ``code`` is None.
    """

    def __init__(
        self,
        text: str | None = None,
        *,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.params = dict(params or {})
        if text is None:
            text = message(code or "", self.params)
        super().__init__(text)


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
        self.row = row
        self.column = column
        self.value = None if value is None else str(value)[:80]
        self.reason = import_reason(code, dict(params or {}))
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
        super().__init__(text, code=code, params=params)


def import_reason(code: str, params: dict[str, Any]) -> str:
    """The English reason of an import error ``code`` filled with ``params`` (a code missing
    from ``IMPORT_REASONS`` gives the code and its params rather than a second error)."""
    return _fill(IMPORT_REASONS, code, params)


class DatabaseLockedError(DataLayerError, RuntimeError):
    """Another process holds the database file open for writing."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(code=DATABASE_LOCKED, params={"path": path, "detail": detail})


class DatabaseDamagedError(DataLayerError, RuntimeError):
    """A database file that cannot be read: not a DuckDB file, cut short, failing its checksums,
    a folder, a log that cannot be replayed. Never a lock: waiting does not help. ``code`` says
    which file it is (``database_damaged``, ``store_damaged``, ``dataset_damaged``)."""

    def __init__(self, path: str, detail: str, *, code: str = "database_damaged") -> None:
        self.path = path
        self.detail = detail
        super().__init__(code=code, params={"path": path, "detail": detail})


class StoreWarning(ImportDataWarning):
    """A warning of the scenario store (``store_recovered``: its log was damaged or cut off and
    some versions may be missing): the English sentence of its code (a key of
    ``STORE_WARNINGS``), with the code and params for the UI (``scn.warn.<code>``) and the CLI."""

    def __new__(cls, code: str, params: dict[str, Any] | None = None) -> StoreWarning:
        params = dict(params or {})
        obj = str.__new__(cls, _fill(STORE_WARNINGS, code, params))
        obj.code = code
        obj.params = params
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (StoreWarning, (self.code, self.params))


class ScenarioStoreError(DataLayerError, ValueError):
    """A scenario cannot be saved, found or parsed: ``code`` and ``params`` say why (``reason``
    is their English sentence), ``name``/``version`` say which scenario."""

    def __init__(
        self,
        *,
        code: str,
        params: dict[str, Any] | None = None,
        name: str | None = None,
        version: int | None = None,
    ) -> None:
        self.name = name
        self.version = version
        self.reason = message(code, dict(params or {}))
        prefix = f"scenario {name!r}" if name is not None else "scenario"
        if version is not None:
            prefix += f" version {version}"
        super().__init__(f"{prefix}: {self.reason}", code=code, params=params)


class StageDesignError(DataLayerError, ValueError):
    """An invalid stage design (names, order)."""
