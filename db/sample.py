"""The bundled sample company (``data/sample/*.parquet``): loading it, and its baseline scenario.

The app opens with ``open_sample_database()`` and ``sample_scenario()``; both are reproducible from
``data/generate_sample.py`` (the data) and ``db.baseline`` (the scenario), and
``python -m db sample-scenario`` rewrites ``data/sample_scenario.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from db.errors import DataLayerError
from db.schema import DEFAULT_STAGES, FUNNEL_TABLES, create_schema, set_stage_design

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
SAMPLE_DIR = DATA_DIR / "sample"
SAMPLE_SCENARIO = DATA_DIR / "sample_scenario.json"
TABLES = FUNNEL_TABLES

# the sample scenario: the last 12 months of history, planned for the next fiscal year
SAMPLE_WINDOW = ("2025-04", "2026-03")
SAMPLE_PLAN_START = "2026-04"
SAMPLE_NAME = "FY2026 plan (sample company, AsIs baseline)"
SAMPLE_GROWTH = 0.25  # the bookings target: 25% above the last 12 months' bookings
# The sample company's team (spec section 8), for a Japanese B2B SaaS firm of its size (about
# 4,800 customers, 3,600 deals a year): what one productive person handles a month, the people
# today, months to full productivity and to fill a requisition, annual attrition, and the monthly
# fully loaded cost per head in yen. Marketing: visitors its programmes bring in; inside sales:
# new leads qualified; field sales: new opportunities worked; customer success: accounts.
SAMPLE_TEAM: dict[str, dict[str, Any]] = {
    "marketing": {"works": "visitor", "per_head": 8000, "heads": 23, "ramp_months": 2,
                  "hiring_months": 2, "attrition": 0.1, "cost_per_head": 850_000},
    "inside_sales": {"works": "lead", "per_head": 60, "heads": 78, "ramp_months": 2,
                     "hiring_months": 2, "attrition": 0.2, "cost_per_head": 650_000},
    "field_sales": {"works": "opportunity", "per_head": 8, "heads": 172, "ramp_months": 3,
                    "hiring_months": 3, "attrition": 0.15, "cost_per_head": 1_000_000},
    "customer_success": {"works": "customers", "per_head": 60, "heads": 130, "ramp_months": 3,
                         "hiring_months": 2, "attrition": 0.12, "cost_per_head": 700_000},
}  # fmt: skip


def has_data(con: duckdb.DuckDBPyConnection) -> bool:
    """True when any funnel table holds rows."""
    return any(con.execute(f"SELECT EXISTS (FROM {t})").fetchone()[0] for t in TABLES)


def load_sample(
    con: duckdb.DuckDBPyConnection, *, replace: bool = False, folder: Path = SAMPLE_DIR
) -> dict[str, int]:
    """Load the sample company's history; returns the row count per table.

    Refuses a database that already holds data unless ``replace`` (which empties the four funnel
    tables first, in the same transaction: the load completes or changes nothing).
    """
    if has_data(con) and not replace:
        raise DataLayerError("the database already holds funnel data; pass replace=True")
    counts = {}
    con.execute("BEGIN TRANSACTION")
    try:
        if replace:
            for t in TABLES:
                con.execute(f"DELETE FROM {t}")
        set_stage_design(con, list(DEFAULT_STAGES), in_transaction=True)
        for t in TABLES:
            path = folder / f"{t}.parquet"
            cols = [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()]
            src = {
                r[0]
                for r in con.execute(
                    "DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]
                ).fetchall()
            }
            select = ", ".join(f'"{c}"' if c in src else f'NULL AS "{c}"' for c in cols)
            con.execute(
                f"INSERT INTO {t} BY NAME SELECT {select} FROM read_parquet(?)", [str(path)]
            )
            counts[t] = con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts


def open_sample_database(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the schema and the sample company loaded.

    ``path=None`` gives an in-memory database. A file is created when missing; a file that
    already holds funnel data is opened as it is (the sample is not loaded over it).
    """
    target = ":memory:" if path is None else str(path)
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(target)
    try:
        create_schema(con)
        if not has_data(con):
            load_sample(con)
        if path is not None:
            con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        raise
    return con


def build_sample_scenario(con: duckdb.DuckDBPyConnection | None = None) -> dict[str, Any]:
    """The sample's AsIs baseline as a scenario: FY2026 (2026-04, 12 months) from the last 12
    months of history, with ranges on the conversion rates and the deal size and a bookings
    target ``SAMPLE_GROWTH`` above the last 12 months' bookings."""
    from db.baseline import build_baseline

    own = con is None
    con = open_sample_database() if con is None else con
    try:
        scenario = build_baseline(
            con,
            *SAMPLE_WINDOW,
            horizon=12,
            plan_start=SAMPLE_PLAN_START,
            target_uplift=SAMPLE_GROWTH,
            name=SAMPLE_NAME,
            ranges=True,
        )
        scenario["capacity"] = {d: dict(team) for d, team in SAMPLE_TEAM.items()}
        return scenario
    finally:
        if own:
            con.close()


def write_sample_scenario(path: Path = SAMPLE_SCENARIO) -> dict[str, Any]:
    """Rebuild the sample scenario and write it as JSON (what the repository ships)."""
    scenario = build_sample_scenario()
    path.write_text(json.dumps(scenario, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return scenario


def sample_scenario() -> dict[str, Any]:
    """The shipped baseline scenario of the sample company (``data/sample_scenario.json``)."""
    return json.loads(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
