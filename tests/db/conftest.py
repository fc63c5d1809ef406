"""Fixtures of the data-layer tests."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from db.sample import open_sample_database
from db.schema import create_schema

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def sample_con() -> duckdb.DuckDBPyConnection:
    """An in-memory database holding the sample company (shared: tests only read it)."""
    con = open_sample_database()
    yield con
    con.close()


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """An empty in-memory database with the schema and the default stage design."""
    c = duckdb.connect()
    create_schema(c)
    yield c
    c.close()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server (``PLANNER_TEST_PG``'s, or one started for the session); skips with
    the reason where there is none."""
    from tests import pg

    try:
        server = pg.server()
    except RuntimeError as exc:
        pytest.skip(f"no PostgreSQL server for the tests: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_database(pg_server) -> str:
    """The URL of a new, empty database of its own on the test server."""
    return pg_server.database()
