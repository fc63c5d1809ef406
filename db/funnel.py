"""The funnel data as a whole (``schema.FUNNEL_TABLES`` and the stage design): a fingerprint of
it, where its rows came from, how many there are, and writing it into the database file.

The fingerprint is the cache key of everything the app computes from the data (quality report,
metrics, backtest): it changes whenever a row or the stage design does.
"""

from __future__ import annotations

import hashlib
import json

import duckdb

from db.schema import FUNNEL_TABLES


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A fingerprint of the funnel data: per funnel table ``count(*)`` and the sum of the hash of
    every row, then the stage keys in order (~20 ms for 100,000 rows). A sum, not an XOR: XOR
    cancels pairs of equal rows, so replacing two identical rows by two others went unseen.

    Equal data gives an equal string (row order and the connection do not matter); any changed,
    added or removed row, or a changed stage design, gives another one. The import log and the
    saved mappings are not part of it."""
    parts: list[object] = [
        list(con.execute(f"SELECT count(*), sum(hash(t)::HUGEINT) FROM {t} t").fetchone())
        for t in FUNNEL_TABLES
    ]
    design = con.execute("SELECT stage FROM stage_design ORDER BY position").fetchall()
    parts.append([r[0] for r in design])
    return json.dumps(parts, default=str)


def fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """A short form of :func:`data_version` (16 hex digits of its SHA-256), what a scenario
    records of the data it was built from: equal data, equal fingerprint."""
    return hashlib.sha256(data_version(con).encode()).hexdigest()[:16]


def data_origin(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """``("sample", "")`` when no funnel row came from an import (the sample company only, or no
    data), else ``("imported", names)`` with the file names of the imports whose rows are there,
    oldest import first, each name once."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT file_name FROM imports WHERE import_id IN ("
            + " UNION ".join(f"SELECT DISTINCT import_id FROM {t}" for t in FUNNEL_TABLES)
            + ") ORDER BY import_id"
        ).fetchall()
    ]
    return ("imported", ", ".join(dict.fromkeys(names))) if names else ("sample", "")


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """The number of rows in each funnel table."""
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in FUNNEL_TABLES}


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Write what is committed into the database file (after an import or a reset, so that the
    file holds it even if the server stops without closing the database)."""
    con.execute("CHECKPOINT")
