"""Importing mapped files into the funnel tables: all rows or none (one transaction).

The file's columns are registered with DuckDB as an Arrow table (or, for a Parquet file on disk,
read by DuckDB itself with ``read_parquet``), normalised in SQL (``normalize``), checked (every
unreadable value is reported with its file, row and column), and written with the import's log
row in one transaction; any error rolls everything back. When no column needs a text-to-date or
text-to-number check (typed Parquet columns), the normalised rows are a view, not a staged copy:
the checks and the insert read the file directly.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from db.errors import DataLayerError, ImportDataError, ImportDataWarning
from db.imports.mapping import FIELDS, TARGET_TABLE, Resolved, check_value_targets, load_mapping
from db.imports.mapping import resolve as resolve_mapping
from db.imports.normalize import (
    nfkc_changes,
    plain_text_sql,
    quote_ident,
    text_sql,
    typed_date_sql,
    typed_number_sql,
    value_key,
)
from db.imports.readers import ROW, ParquetPath, RawTable, open_parquet, read_file
from db.schema import FUNNEL_TABLES, OUTCOMES, stage_keys

MAX_CASE_VALUES = 2000  # category values rewritten inline; more go through a join table
# dates outside this window are imported with a warning (a year typed 2099 or 0001)
EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_DAYS_AHEAD = 366  # after today


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    import_id: int
    table: str
    files: tuple[str, ...]
    encodings: tuple[str | None, ...]
    rows_read: int
    rows_written: int
    rows_skipped: int
    stages: tuple[str, ...]
    warnings: tuple[ImportDataWarning, ...]  # each a str: its English sentence


def _q(name: str) -> str:
    return quote_ident(name)


def _has_history(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT EXISTS (FROM stage_history)").fetchone()[0])


def _num_rows(f: RawTable | ParquetPath) -> int:
    return f.num_rows if isinstance(f, ParquetPath) else f.table.num_rows


def _in_order(sub: list[str], design: list[str]) -> bool:
    pos = [design.index(s) for s in sub if s in design]
    return len(pos) == len(sub) and pos == sorted(pos)


class _Import:
    def __init__(
        self, con, files: dict[str, RawTable | ParquetPath], mapping: dict[str, Any], replace: bool
    ):
        self.con = con
        self.mapping = mapping
        self.replace = replace
        self.tag = uuid.uuid4().hex[:12]
        roles = list(mapping.get("files") or ["main"])
        if len(files) == 1 and len(roles) == 1:
            files = {roles[0]: next(iter(files.values()))}
        missing = [r for r in roles if r not in files]
        if missing or len(files) != len(roles):
            raise DataLayerError(
                code="mapping_file_count",
                params={"count": len(roles), "roles": roles, "files": list(files)},
            )
        self.roles = roles
        self.files = files
        self.main = files[roles[0]]
        self.views: list[str] = []
        self.temps: list[str] = []
        self.warnings: list[ImportDataWarning] = []
        self.col_file: dict[str, tuple[RawTable | ParquetPath, str]] = {}  # column -> (file, row)

    def _register(self, view: str, f: RawTable | ParquetPath) -> None:
        if isinstance(f, ParquetPath):
            # a relation, not SQL text: the path is never spliced into a statement
            rel = self.con.read_parquet(str(f.path), file_row_number=True)
            rel = rel.project(f"* EXCLUDE (file_row_number), file_row_number + 2 AS {ROW}")
            self.con.register(view, rel)
        else:
            self.con.register(view, f.table)
        self.views.append(view)

    # -- the combined relation ----------------------------------------------------------------
    def register(self) -> str:
        main_view = f"__imp_{self.tag}_main"
        # register() refuses a connection with a half-read result (fetchone); finish it first
        self.con.execute("SELECT 1").fetchall()
        self._register(main_view, self.main)
        for h in self.main.header:
            self.col_file[h] = (self.main, ROW)
        if len(self.roles) == 1:
            return main_view
        join = self.mapping.get("join") or {}
        role = join.get("file")
        if role not in self.files or role == self.roles[0]:
            raise DataLayerError(code="join_file_missing")
        other = self.files[role]
        on, right_on = join.get("on"), join.get("right_on", join.get("on"))
        if on not in self.main.header:
            raise ImportDataError(self.main.name, code="missing_join_column", column=on)
        if right_on not in other.header:
            raise ImportDataError(other.name, code="missing_join_column", column=right_on)
        jv = f"__imp_{self.tag}_join"
        self._register(jv, other)
        dup = self.con.execute(
            f"SELECT k, arg_max({ROW}, {ROW}), count(*) FROM (SELECT {text_sql(_q(right_on))} AS k,"
            f" {ROW} FROM {jv}) WHERE k IS NOT NULL GROUP BY k HAVING count(*) > 1 LIMIT 1"
        ).fetchone()
        if dup:
            raise ImportDataError(
                other.name,
                code="duplicate_join_key",
                params={"count": dup[2], "role": role},
                row=dup[1],
                column=right_on,
                value=dup[0],
            )
        orphans = self.con.execute(
            f"SELECT count(*) FROM {jv} j ANTI JOIN {main_view} m "
            f"ON {text_sql('j.' + _q(right_on))} = {text_sql('m.' + _q(on))}"
        ).fetchone()[0]
        if orphans:
            self.warnings.append(
                ImportDataWarning(
                    "unmatched_join_rows",
                    {"file": other.name, "count": int(orphans), "main": self.main.name},
                )
            )
        cols = [f"j.{_q(h)} AS {_q(role + '.' + h)}" for h in other.header]
        for h in other.header:
            self.col_file[f"{role}.{h}"] = (other, f"{role}.{ROW}")
        combined = f"__imp_{self.tag}_combined"
        self.con.execute(
            f"CREATE TEMP VIEW {combined} AS SELECT m.*, {', '.join(cols)}, "
            f"j.{ROW} AS {_q(role + '.' + ROW)} FROM {main_view} m LEFT JOIN {jv} j "
            f"ON {text_sql('m.' + _q(on))} = {text_sql('j.' + _q(right_on))}"
        )
        self.temps.append(("VIEW", combined))
        return combined

    def header(self) -> list[str]:
        return list(self.col_file)

    # -- staging: normalised values beside their raw text ------------------------------------
    def stage(self, rel: str, res: Resolved) -> str:
        types = dict(
            (r[0], r[1]) for r in self.con.execute(f"DESCRIBE SELECT * FROM {rel}").fetchall()
        )
        sel = [f"{ROW} AS __row"]
        if len(self.roles) > 1:
            role = self.mapping["join"]["file"]
            sel.append(f"{_q(role + '.' + ROW)} AS __row_join")
        self.checks: list[tuple[str, str, str]] = []  # (field, column, type)
        fields = FIELDS[res.kind]
        for f, col in res.columns.items():
            self._stage_col(sel, f, col, fields[f][0], types[col], res.dayfirst)
        for s, col in res.stage_dates.items():
            self._stage_col(sel, f"d_{s}", col, "date", types[col], res.dayfirst)
        for s, col in res.owners.items():
            self._stage_col(sel, f"o_{s}", col, "text", types[col], res.dayfirst)
        staged = f"__imp_{self.tag}_staged"
        # nothing to check but empty cells and typed numbers: normalise on the fly instead of
        # copying every row
        text_checks = [c for c in self.checks if c[2] != "typed"]
        kind = "VIEW" if not text_checks and len(self.roles) == 1 else "TABLE"
        self.con.execute(f"CREATE TEMP {kind} {staged} AS SELECT {', '.join(sel)} FROM {rel}")
        self.temps.append((kind, staged))
        self.staged_kind = kind
        return staged

    def _stage_col(self, sel, f, col, ftype, ctype, dayfirst) -> None:
        qc = _q(col)
        typed = ctype.upper() != "VARCHAR"
        if ftype == "number" and typed:
            # a typed number (Parquet) is a number, but maybe NaN or infinite: checked (``typed``
            # checks read the file and do not need a staged copy)
            sel.append(f"CAST({qc} AS VARCHAR) AS {_q('raw_' + f)}")
            sel.append(f"{typed_number_sql(qc, ctype)} AS {_q(f)}")
            self.checks.append((f, col, "typed"))
        elif ftype == "date" and typed:
            # a typed date (Parquet) cannot hold unreadable text: no raw copy, no check
            sel.append(f"NULL::VARCHAR AS {_q('raw_' + f)}")
            sel.append(f"{typed_date_sql(qc, ctype, dayfirst)} AS {_q(f)}")
        elif ftype == "date":
            sel.append(f"{text_sql(qc)} AS {_q('raw_' + f)}")
            sel.append(f"{typed_date_sql(qc, ctype, dayfirst)} AS {_q(f)}")
            self.checks.append((f, col, "date"))
        elif ftype == "number":
            sel.append(f"{text_sql(qc)} AS {_q('raw_' + f)}")
            sel.append(f"{typed_number_sql(qc, ctype)} AS {_q(f)}")
            self.checks.append((f, col, "number"))
        elif ftype == "id":
            sel.append(f"{text_sql(qc)} AS {_q(f)}")
        else:  # categories: folded by NFKC over their distinct values (``text``/``category``)
            sel.append(f"{plain_text_sql(qc)} AS {_q(f)}")

    def _where(self, col: str) -> tuple[str, str]:
        raw, rowcol = self.col_file[col]
        return raw.name, ("__row_join" if rowcol != ROW else "__row")

    def check(self, staged: str, res: Resolved, *, typed_only: bool = False) -> None:
        """Every check in one pass over the rows; the first failing one (in the order: unreadable
        or non-finite dates/numbers and negatives per column, then empty required fields) is
        reported. ``typed_only``: the checks of typed (Parquet) numbers alone."""
        fields = FIELDS[res.kind]
        probes = []  # (condition, row column, raw column or None, error keywords)
        for f, col, kind in self.checks:
            if typed_only and kind != "typed":
                continue
            name, rowcol = self._where(col)
            raw = _q("raw_" + f)
            bad = dict(code="not_a_date") if kind == "date" else dict(code="not_a_number")
            probes.append((f"{raw} IS NOT NULL AND {_q(f)} IS NULL", rowcol, raw,
                           (name, bad, col)))  # fmt: skip
            if kind == "number" and f in ("amount", "mrr", "count"):  # typed: a constraint
                probes.append((f"{_q(f)} < 0", rowcol, raw, (name, dict(code="negative"), col)))
        for f, (_, required) in fields.items():
            if required and f in res.columns and not typed_only:
                col = res.columns[f]
                name, rowcol = self._where(col)
                empty = dict(code="empty_field", params={"field": f})
                probes.append((f"{_q(f)} IS NULL", rowcol, None, (name, empty, col)))
        if not probes:
            return
        aggs = []
        for cond, rowcol, raw, _ in probes:
            aggs.append(f"count(*) FILTER (WHERE {cond})")
            aggs.append(f"min({rowcol}) FILTER (WHERE {cond})")
            aggs.append(f"arg_min({raw}, {rowcol}) FILTER (WHERE {cond})" if raw else "NULL")
        got = self.con.execute(f"SELECT {', '.join(aggs)} FROM {staged}").fetchone()
        for i, (_, _, raw, (name, why, col)) in enumerate(probes):
            n, row, value = got[3 * i : 3 * i + 3]
            if n:
                if raw is None:
                    raise ImportDataError(name, **why, row=row, column=col, more=n - 1)
                raise ImportDataError(name, **why, row=row, column=col, value=value, more=n - 1)

    # -- category values -----------------------------------------------------------------------
    def category(self, staged: str, f: str, table: dict[str, str], allowed: set[str],
                 strict: bool, res: Resolved) -> str:  # fmt: skip
        """SQL mapping the raw values of ``f`` through ``table`` (NFKC, case-blind keys)."""
        sql = f"SELECT DISTINCT {_q(f)} FROM {staged} WHERE {_q(f)} IS NOT NULL"
        values = [r[0] for r in self.con.execute(sql).fetchall()]
        mapped: dict[str, str] = {}
        allowed_keys = {value_key(a): a for a in allowed}
        for v in values:
            k = value_key(v)
            if k in table:
                mapped[v] = table[k]
            elif k in allowed_keys:
                mapped[v] = allowed_keys[k]
            elif strict:
                col = res.columns[f]
                name, rowcol = self._where(col)
                row, n = self.con.execute(
                    f"SELECT min({rowcol}), count(*) FROM {staged} WHERE {_q(f)} = ?", [v]
                ).fetchone()
                choices = ", ".join(sorted(allowed))
                raise ImportDataError(
                    name, code="unknown_value", params={"field": f, "choices": choices},
                    row=row, column=col, value=v, more=n - 1,
                )  # fmt: skip
        return self._case(f, {k: v for k, v in mapped.items() if k != v})

    def _case(self, f: str, changes: dict[str, str]) -> str:
        if not changes:
            return _q(f)
        if len(changes) > MAX_CASE_VALUES:
            t = f"__imp_{self.tag}_map_{len(self.temps)}"
            self.con.execute(f"CREATE TEMP TABLE {t} (raw VARCHAR PRIMARY KEY, val VARCHAR)")
            self.con.executemany(f"INSERT INTO {t} VALUES (?, ?)", list(changes.items()))
            self.temps.append(("TABLE", t))
            return f"coalesce((SELECT val FROM {t} WHERE raw = {_q(f)}), {_q(f)})"
        whens = []
        for raw, val in changes.items():
            n = len(self.params)
            self.params[f"p{n}"] = raw
            self.params[f"p{n + 1}"] = val
            whens.append(f"WHEN $p{n} THEN $p{n + 1}")
        return f"CASE {_q(f)} {' '.join(whens)} ELSE {_q(f)} END"

    def text(self, staged: str, f: str) -> str:
        values = [r[0] for r in self.con.execute(
            f"SELECT DISTINCT {_q(f)} FROM {staged} LIMIT 100001").fetchall()]  # fmt: skip
        if len(values) > 100_000:
            return _q(f)
        return self._case(f, nfkc_changes(values))

    # -- the rows to write ---------------------------------------------------------------------
    def select(self, staged: str, res: Resolved, design: list[str]) -> str:
        self.params: dict[str, Any] = {}
        cols = res.columns
        expr: dict[str, str] = {}
        for f in ("source", "segment", "owner"):
            expr[f] = self.text(staged, f) if f in cols else "NULL::VARCHAR"
        if res.kind == "history":
            expr["stage"] = self.category(
                staged, "stage", res.values.get("stage", {}), set(design), False, res
            )
            expr["outcome"] = self.category(
                staged, "outcome", res.values.get("outcome", {}), set(OUTCOMES), True, res
            )
            amount = "amount" if "amount" in cols else "NULL::DOUBLE"
            resolved = "resolved_at" if "resolved_at" in cols else "NULL::TIMESTAMP"
            return (
                f"SELECT item_id, {expr['stage']} AS stage, entered_at, {resolved} AS resolved_at,"
                f" {expr['outcome']} AS outcome, {expr['source']} AS source, "
                f"{expr['segment']} AS segment, {expr['owner']} AS owner, {amount} AS amount, "
                f"stage AS raw_stage FROM {staged}"
            )
        if res.kind == "items":
            return self._items(staged, res, design, expr)
        if res.kind == "counts":
            expr["stage"] = self.category(
                staged, "stage", res.values.get("stage", {}), set(design), False, res
            )
            return (
                f"SELECT date_trunc('month', month)::DATE AS month, {expr['stage']} AS stage, "
                f"{expr['source']} AS source, {expr['segment']} AS segment, count AS arrivals "
                f"FROM {staged}"
            )
        if res.kind == "subscriptions":
            end = "end_date::DATE" if "end_date" in cols else "NULL::DATE"
            item = "item_id" if "item_id" in cols else "NULL::VARCHAR"
            return (
                f"SELECT customer_id, {item} AS item_id, start_date::DATE AS start_date, "
                f"{end} AS end_date, mrr, {expr['segment']} AS segment FROM {staged}"
            )
        return (
            f"SELECT date_trunc('month', month)::DATE AS month, {expr['source']} AS source, "
            f"spend FROM {staged}"
        )

    def _items(self, staged: str, res: Resolved, design: list[str], expr: dict[str, str]) -> str:
        status = (
            self.category(
                staged,
                "status",
                res.values.get("status", {}),
                set(design) | set(OUTCOMES),
                True,
                res,
            )  # fmt: skip
            if "status" in res.columns
            else "NULL::VARCHAR"
        )
        closed = "closed_at" if "closed_at" in res.columns else "NULL::TIMESTAMP"
        amount = "amount" if "amount" in res.columns else "NULL::DOUBLE"
        # the stages this file can place an item in: a date column, or a status naming it
        status_targets = set(res.values.get("status", {}).values()) & set(design)
        used = [s for s in design if s in res.stage_dates or s in status_targets]
        for s in res.stage_dates:
            if s not in design:
                raise DataLayerError(
                    code="stage_date_not_in_design", params={"stage": s, "design": list(design)}
                )
        dates = []
        for s in used:
            parts = []
            if s in res.stage_dates:
                parts.append(_q(f"d_{s}"))
            if s in status_targets:
                parts.append(f"CASE WHEN st = '{s}' THEN closed END")
            dates.append(f"coalesce({', '.join(parts)}, NULL::TIMESTAMP) AS {_q('e_' + s)}")
        base = (  # an ID repeated in the file: its last row is the item (``items``)
            f"SELECT *, {status} AS st, {closed} AS closed, {amount} AS amt, "
            f"{expr['source']} AS src, {expr['segment']} AS seg, {expr['owner']} AS own "
            f"FROM {staged} "
            "QUALIFY row_number() OVER (PARTITION BY item_id ORDER BY __row DESC) = 1"
        )
        terminal = design[-1]
        outcome_of = (
            f"CASE WHEN st IN ('lost', 'disqualified', 'recycled', 'open') THEN st "
            f"ELSE '{res.unresolved}' END"
        )
        parts = []
        for i, s in enumerate(used):
            later = [_q("e_" + t) for t in used[i + 1 :]]
            nxt = f"coalesce({', '.join(later)})" if later else "NULL::TIMESTAMP"
            owner = f"coalesce({_q('o_' + s)}, own)" if s in res.owners else "own"
            e = _q("e_" + s)
            if s == terminal:
                resolved, outcome = e, "'converted'"
            else:
                resolved = (
                    f"CASE WHEN {nxt} IS NOT NULL THEN {nxt} WHEN {outcome_of} = 'open' "
                    f"THEN NULL WHEN closed IS NULL THEN NULL ELSE greatest(closed, {e}) END"
                )
                outcome = f"CASE WHEN {nxt} IS NOT NULL THEN 'converted' ELSE {outcome_of} END"
            parts.append(
                f"SELECT item_id, '{s}' AS stage, {e} AS entered_at, {resolved} AS resolved_at, "
                f"{outcome} AS outcome, src AS source, seg AS segment, {owner} AS owner, "
                f"amt AS amount, '{s}' AS raw_stage FROM w WHERE {e} IS NOT NULL"
            )
        return (
            f"WITH b AS ({base}), w AS (SELECT *, {', '.join(dates)} FROM b) "
            + " UNION ALL ".join(parts)
        )

    def items(self, staged: str, res: Resolved) -> int:
        """The number of distinct IDs of a one-row-per-item file; an ID on several rows is one
        item, its last row (a later row of an export is the newer state), and a warning says how
        many rows were dropped, with the first of them."""
        n, dropped, row, value = self.con.execute(
            f"SELECT count(DISTINCT item_id), count(*) - count(DISTINCT item_id), "
            f"min(__row) FILTER (WHERE rn > 1), arg_min(item_id, __row) FILTER (WHERE rn > 1) "
            f"FROM (SELECT item_id, __row, row_number() OVER (PARTITION BY item_id "
            f"ORDER BY __row DESC) AS rn FROM {staged})"
        ).fetchone()
        if dropped:
            name, _ = self._where(res.columns["item_id"])
            self.warnings.append(
                ImportDataWarning(
                    "duplicate_ids",
                    {
                        "count": int(dropped),
                        "file": name,
                        "column": res.columns["item_id"],
                        "value": value,
                        "row": int(row),
                    },
                )  # fmt: skip
            )
        return int(n)

    def implausible_dates(self, staged: str, res: Resolved) -> None:
        """Warn of dates before ``EARLIEST_DATE`` or more than ``LATEST_DAYS_AHEAD`` days after
        today (a year typed as 2099 or 0001, a number read as an Excel day): how many, and the
        first of them."""
        fields = FIELDS[res.kind]
        dates = [(f, col) for f, col in res.columns.items() if fields[f][0] == "date"]
        dates += [(f"d_{s}", col) for s, col in res.stage_dates.items()]
        if not dates:
            return
        latest = dt.date.today() + dt.timedelta(days=LATEST_DAYS_AHEAD)
        aggs = []
        for f, col in dates:
            rowcol = self._where(col)[1]
            out = f"{_q(f)} < $earliest OR {_q(f)} > $latest"
            shown = f"coalesce({_q('raw_' + f)}, strftime({_q(f)}, '%Y-%m-%d'))"
            aggs.append(f"count(*) FILTER (WHERE {out}), min({rowcol}) FILTER (WHERE {out}), "
                        f"arg_min({shown}, {rowcol}) FILTER (WHERE {out})")  # fmt: skip
        got = self.con.execute(
            f"SELECT {', '.join(aggs)} FROM {staged}",
            {"earliest": EARLIEST_DATE, "latest": latest},
        ).fetchone()
        found = [(got[3 * i : 3 * i + 3], col) for i, (_, col) in enumerate(dates)]
        found = [((n, row, value), col) for (n, row, value), col in found if n]
        if not found:
            return
        (_, row, value), col = min(found, key=lambda x: x[0][1])
        self.warnings.append(
            ImportDataWarning(
                "implausible_dates",
                {
                    "count": sum(int(n) for (n, _, _), _ in found),
                    "file": self._where(col)[0],
                    "column": col,
                    "value": value,
                    "row": int(row),
                    "earliest": EARLIEST_DATE.isoformat(),
                    "latest": latest.isoformat(),
                },
            )  # fmt: skip
        )

    def cleanup(self) -> None:
        for kind, t in reversed(self.temps):
            try:
                self.con.execute(f"DROP {kind} IF EXISTS {t}")
            except duckdb.Error:
                pass
        for v in self.views:
            try:
                self.con.unregister(v)
            except duckdb.Error:
                pass


def import_files(
    con: duckdb.DuckDBPyConnection,
    files: RawTable | ParquetPath | dict[str, RawTable | ParquetPath],
    mapping: dict[str, Any] | str,
    *,
    replace: bool = False,
    replace_all: bool = False,
    preset_name: str | None = None,
) -> ImportResult:
    """Import read files (``readers.read_file``, or ``readers.open_file``, which leaves a Parquet
    file on disk for DuckDB to read) through a mapping (or a preset's name).

    ``replace`` empties the target table first; ``replace_all`` empties every funnel table
    (``schema.FUNNEL_TABLES``: the sample company, earlier imports), so that afterwards the
    database holds this import's rows only. Either happens in the import's one transaction: the
    import completes, or the database is as it was. A mapping with its own stage design sets it
    when the database holds no stage history (or when replacing); otherwise its stages must
    appear in the database's design in the same order. Raises ``ImportDataError`` (file, row,
    column, why) or ``DataLayerError``; the database is then unchanged.
    """
    if isinstance(mapping, str):
        preset_name = preset_name or mapping
        mapping = load_mapping(con, mapping)
    if isinstance(files, RawTable | ParquetPath):
        files = {"main": files}
    replace = replace or replace_all
    imp = _Import(con, files, mapping, replace)
    also_clear = FUNNEL_TABLES if replace_all else ()
    try:
        return _run(con, imp, files, mapping, replace, also_clear, preset_name)
    except (duckdb.IOException, duckdb.InvalidInputException) as exc:
        # a Parquet file whose footer reads but whose data does not (checked by pyarrow before)
        bad = [f for f in files.values() if isinstance(f, ParquetPath) and str(f.path) in str(exc)]
        if not bad:
            raise
        raise ImportDataError(
            bad[0].name, code="bad_parquet", params={"detail": str(exc).splitlines()[0]}
        ) from None


def _run(con, imp: _Import, files: dict, mapping: dict[str, Any], replace: bool,
         also_clear: tuple[str, ...], preset_name: str | None) -> ImportResult:  # fmt: skip
    """The import; with ``replace`` the target table and the ``also_clear`` ones are emptied in
    its transaction."""
    deferred = False
    try:
        rel = imp.register()
        label = " + ".join(f.name for f in files.values())
        res = resolve_mapping(mapping, imp.header(), label)
        target = TARGET_TABLE[res.kind]
        design = stage_keys(con)
        new_design = None
        if res.stages and res.stages != design:
            if replace or not _has_history(con):
                new_design = list(res.stages)
            elif not _in_order(res.stages, design):
                raise DataLayerError(
                    code="stages_do_not_fit",
                    params={"stages": list(res.stages), "design": list(design)},
                )
        design_now = new_design or design
        check_value_targets(res, design_now)
        staged = imp.stage(rel, res)
        # a history file maps 1:1 to rows whose required fields are NOT NULL columns: when only
        # empty cells remain to check (a view), the insert finds them itself, and the check pass
        # runs only after something failed, to report the first problem as before
        deferred = imp.staged_kind == "VIEW" and res.kind == "history"
        imp.check(staged, res, typed_only=deferred)
        try:
            sql = imp.select(staged, res, design_now)
        except ImportDataError:
            if deferred:
                imp.check(staged, res)
            raise
        params = imp.params
        rows_read = _num_rows(imp.main)
        if rows_read == 0:  # a header alone: nothing to import (replacing would empty the data)
            raise ImportDataError(imp.main.name, code="no_rows")
        items = imp.items(staged, res) if res.kind == "items" else 0
        imp.implausible_dates(staged, res)
        con.execute("BEGIN TRANSACTION")
        try:
            if new_design is not None:
                from db.schema import set_stage_design

                if target == "stage_history" and _has_history(con) and not replace:
                    raise DataLayerError(code="design_change_with_history")
                set_stage_design(con, new_design, in_transaction=True)
            if replace:
                for t in dict.fromkeys((target, *also_clear)):
                    con.execute(f"DELETE FROM {t}")
            (import_id,) = con.execute("SELECT nextval('import_seq')").fetchone()
            before = con.execute(f"SELECT count(*) FROM {target}").fetchone()[0]
            con.execute(
                f"INSERT INTO {target} BY NAME SELECT *, $import_id AS import_id FROM ({sql})",
                {**params, "import_id": import_id},
            )
            written = con.execute(f"SELECT count(*) FROM {target}").fetchone()[0] - before
            con.execute(
                "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [import_id, dt.datetime.now(dt.UTC).replace(tzinfo=None), label, preset_name,
                 target, rows_read, written, json.dumps(mapping, ensure_ascii=False)],
            )  # fmt: skip
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    except duckdb.ConstraintException as exc:
        if deferred:
            try:
                imp.check(staged, res)
            except ImportDataError as err:
                raise err from None
        raise DataLayerError(code="constraint_violation", params={"detail": str(exc)}) from None
    finally:
        imp.cleanup()
    skipped = 0
    if res.kind == "items":
        skipped = con.execute(
            "SELECT ? - count(DISTINCT item_id) FROM stage_history WHERE import_id = ?",
            [items, import_id],
        ).fetchone()[0]
        if skipped:
            imp.warnings.append(
                ImportDataWarning("rows_without_stage_date", {"count": int(skipped)})
            )
    return ImportResult(
        import_id=int(import_id),
        table=target,
        files=tuple(f.name for f in files.values()),
        encodings=tuple(f.encoding for f in files.values()),
        rows_read=rows_read,
        rows_written=int(written),
        rows_skipped=int(skipped),
        stages=tuple(stage_keys(con)),
        warnings=tuple(imp.warnings),
    )


def import_file(
    con: duckdb.DuckDBPyConnection,
    source: bytes | str | Path,
    mapping: dict[str, Any] | str,
    *,
    name: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    replace: bool = False,
    replace_all: bool = False,
) -> ImportResult:
    """Read one file (bytes or a path; CSV/Excel/Parquet) and import it through ``mapping``.

    Parquet is read by DuckDB straight from the file (an upload's bytes are written to a private
    temporary file first), without an Arrow copy in Python. ``replace``/``replace_all``: as in
    ``import_files``."""
    how = {"replace": replace, "replace_all": replace_all}
    label = name or (Path(source).name if isinstance(source, str | Path) else "upload")
    if Path(label).suffix.lower() == ".parquet":
        if isinstance(source, str | Path):
            return import_files(con, open_parquet(source, label), mapping, **how)
        with tempfile.TemporaryDirectory(prefix="funnel_import_") as folder:
            path = Path(folder) / "upload.parquet"
            path.write_bytes(source)
            return import_files(con, open_parquet(path, label), mapping, **how)
    return import_files(
        con, read_file(source, name, encoding=encoding, sheet=sheet), mapping, **how
    )
