"""The DuckDB schema of the funnel data: stage history, aggregated counts, subscriptions, spend,
stage design, import log, mapping presets and scenario versions.

Created once at start-up (``create_schema``), never on the request path.
"""

from __future__ import annotations

import re

import duckdb

from db.errors import StageDesignError
from model.limits import MAX_STAGES  # a stage design is a scenario's funnel: one limit

DEFAULT_STAGES: tuple[str, ...] = ("visitor", "lead", "opportunity", "won")
OUTCOMES: tuple[str, ...] = ("converted", "disqualified", "recycled", "lost", "open")
STAGE_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# the tables holding the funnel data itself (each row carries the import_id it came from; NULL
# for the sample company's rows)
FUNNEL_TABLES: tuple[str, ...] = (
    "stage_history",
    "stage_counts",
    "subscriptions",
    "marketing_spend",
)

SCHEMA_VERSION = 1

DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

-- the ordered stages of the funnel; the last one is terminal (won)
CREATE TABLE IF NOT EXISTS stage_design (
    position INTEGER PRIMARY KEY,
    stage VARCHAR NOT NULL UNIQUE,
    label VARCHAR
);

CREATE SEQUENCE IF NOT EXISTS import_seq START 1;
CREATE TABLE IF NOT EXISTS imports (
    import_id INTEGER PRIMARY KEY,
    imported_at TIMESTAMP NOT NULL,
    file_name VARCHAR NOT NULL,
    preset VARCHAR,
    target VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_written BIGINT NOT NULL,
    mapping JSON NOT NULL
);

-- one row per item per stage visit; a reactivated item re-enters with a new row
CREATE TABLE IF NOT EXISTS stage_history (
    item_id VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,
    entered_at TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    outcome VARCHAR NOT NULL DEFAULT 'open'
        CHECK (outcome IN ('converted', 'disqualified', 'recycled', 'lost', 'open')),
    source VARCHAR,
    segment VARCHAR,
    owner VARCHAR,
    amount DOUBLE,             -- yen; on won rows the booking (annual contract value)
    raw_stage VARCHAR,         -- the stage value as the file had it (for unmapped-stage checks)
    import_id INTEGER
);

-- aggregated arrivals per month (e.g. web-analytics visitors, or a monthly report)
CREATE TABLE IF NOT EXISTS stage_counts (
    month DATE NOT NULL,       -- first day of the month
    stage VARCHAR NOT NULL,
    source VARCHAR,
    segment VARCHAR,
    arrivals DOUBLE NOT NULL CHECK (arrivals >= 0),
    import_id INTEGER
);

-- one row per customer per term at a constant MRR: a renewal, expansion or contraction starts a
-- new row; end_date NULL means active; a customer whose last row has an end_date churned
CREATE TABLE IF NOT EXISTS subscriptions (
    customer_id VARCHAR NOT NULL,
    item_id VARCHAR,           -- the won item it came from, when known
    start_date DATE NOT NULL,
    end_date DATE,
    mrr DOUBLE NOT NULL CHECK (mrr >= 0),   -- yen per month
    segment VARCHAR,
    import_id INTEGER
);

CREATE TABLE IF NOT EXISTS marketing_spend (
    month DATE NOT NULL,
    source VARCHAR NOT NULL,
    spend DOUBLE NOT NULL,     -- yen
    import_id INTEGER
);

CREATE TABLE IF NOT EXISTS mapping_presets (
    name VARCHAR PRIMARY KEY,
    saved_at TIMESTAMP NOT NULL,
    body JSON NOT NULL
);

-- append-only scenario versions: a save inserts a row, nothing updates or deletes one
CREATE TABLE IF NOT EXISTS scenario_versions (
    name VARCHAR NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    created_at TIMESTAMP NOT NULL,
    author VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    body VARCHAR NOT NULL,     -- the scenario JSON (spec section 2)
    PRIMARY KEY (name, version)
);
"""


SCENARIO_DDL = DDL[DDL.index("-- append-only scenario versions") :]


def validate_stage_keys(stages: list[str] | tuple[str, ...]) -> list[str]:
    """Check a stage design: 2..12 unique keys of lowercase letters, digits and underscores."""
    keys = list(stages)
    if len(keys) < 2:
        raise StageDesignError(code="too_few_stages")
    if len(keys) > MAX_STAGES:
        raise StageDesignError(code="too_many_stages", params={"max": MAX_STAGES})
    for k in keys:
        if not isinstance(k, str) or not STAGE_KEY.match(k):
            raise StageDesignError(code="bad_stage_key", params={"stage_key": k})
    if len(set(keys)) != len(keys):
        raise StageDesignError(code="duplicate_stage_keys", params={"keys": keys})
    return keys


def create_schema(con: duckdb.DuckDBPyConnection, stages: tuple[str, ...] | None = None) -> None:
    """Create every table if missing and seed the stage design (default: visitor..won)."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(DDL)
        con.execute(
            "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
            [str(SCHEMA_VERSION)],
        )
        (n,) = con.execute("SELECT count(*) FROM stage_design").fetchone()
        if n == 0:
            keys = validate_stage_keys(stages or DEFAULT_STAGES)
            con.executemany(
                "INSERT INTO stage_design VALUES (?, ?, ?)",
                [[i, k, k.replace("_", " ").capitalize()] for i, k in enumerate(keys)],
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def stage_keys(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The configured stages, top to bottom."""
    return [
        r[0] for r in con.execute("SELECT stage FROM stage_design ORDER BY position").fetchall()
    ]


def set_stage_design(
    con: duckdb.DuckDBPyConnection, stages: list[str], *, in_transaction: bool = False
) -> None:
    """Replace the stage design (stage history rows are kept; unknown stages show in quality)."""
    keys = validate_stage_keys(stages)
    if not in_transaction:
        con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM stage_design")
        con.executemany(
            "INSERT INTO stage_design VALUES (?, ?, ?)",
            [[i, k, k.replace("_", " ").capitalize()] for i, k in enumerate(keys)],
        )
        if not in_transaction:
            con.execute("COMMIT")
    except BaseException:
        if not in_transaction:
            con.execute("ROLLBACK")
        raise
