"""A PostgreSQL store that refuses the login (issue 13): a wrong password or a role that does
not exist is not an outage. It fails at the first attempt, without the retries an outage gets,
as ``store_auth_failed`` (its own words in English and Japanese), naming the store by its URL
without the password."""

from __future__ import annotations

import psycopg
import pytest

from db import pgstore
from db.cli import main
from db.errors import ScenarioStoreError
from db.pgstore import PgScenarioStore
from db.sample import sample_scenario
from ui.errors import error_text


def _as_role(url: str, role: str, password: str | None = None) -> str:
    """``url`` (the test server's: a unix socket and ``user=postgres``) as another role."""
    base, _, query = url.partition("?")
    user = f"{role}:{password}@" if password else f"{role}@"
    query = "&".join(p for p in query.split("&") if not p.startswith("user="))
    return base.replace("postgresql://", f"postgresql://{user}", 1) + "?" + query


@pytest.fixture
def attempts(monkeypatch):
    """Every connection the store opens, and every wait between tries, as they happen."""
    seen = {"connect": 0, "sleep": 0}
    connect, sleep = psycopg.connect, pgstore.time.sleep

    def counting_connect(*a, **kw):
        seen["connect"] += 1
        return connect(*a, **kw)

    def counting_sleep(s):
        seen["sleep"] += 1
        return sleep(s)

    monkeypatch.setattr(pgstore.psycopg, "connect", counting_connect)
    monkeypatch.setattr(pgstore.time, "sleep", counting_sleep)
    return seen


def test_a_role_that_does_not_exist_fails_at_once_as_store_auth_failed(pg_database, attempts):
    url = _as_role(pg_database, "nobody_here", "S3cret-pw")
    store = PgScenarioStore(url, retry_seconds=60)  # an outage would be retried for a minute
    with pytest.raises(ScenarioStoreError) as err:
        store.list()
    assert err.value.code == "store_auth_failed"
    assert attempts == {"connect": 1, "sleep": 0}
    assert err.value.params["store"] == pgstore.redact(url) and "***" in err.value.params["store"]
    assert 'role "nobody_here" does not exist' in err.value.params["detail"]
    assert "S3cret-pw" not in str(err.value)
    for language, words in (("en", "refused the login"), ("ja", "ログインを拒否")):
        text = error_text(err.value, language=language)
        assert words in text and "S3cret-pw" not in text and "nobody" in text
    with pytest.raises(ScenarioStoreError, match="refused the login"):  # still no retries
        store.save("plan", sample_scenario(), author="a")
    assert attempts == {"connect": 2, "sleep": 0}


def test_the_cli_says_the_login_was_refused(pg_database, monkeypatch, capsys, attempts):
    monkeypatch.setenv("PLANNER_STORE", _as_role(pg_database, "nobody_here"))
    assert main(["scenarios", "list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "refused the login" in err and "Traceback" not in err
    assert attempts["connect"] == 1


@pytest.mark.parametrize(
    ("message", "refused"),
    [
        ('connection failed: connection to server at "db" (10.0.0.5), port 5432 failed: FATAL:  '
         'password authentication failed for user "ann"', True),
        ('connection failed: connection to server on socket "/s/.s.PGSQL.5432" failed: FATAL:  '
         'role "ann" does not exist', True),
        ('connection failed: connection to server at "db", port 5432 failed: FATAL:  no '
         'pg_hba.conf entry for host "10.0.0.9", user "ann", database "plans", no encryption',
         True),
        ("connection failed: fe_sendauth: no password supplied", True),
        ('connection failed: connection to server at "db", port 5432 failed: FATAL:  ユーザー'
         '"ann"のパスワード認証に失敗しました', True),  # a server speaking Japanese
        ('connection failed: connection to server at "db", port 5432 failed: FATAL:  ロール'
         '"ann"は存在しません', True),
        ('connection failed: connection to server at "db" (10.0.0.5), port 5432 failed: '
         "Connection refused\n\tIs the server running on that host and accepting TCP/IP "
         "connections?", False),
        ('connection failed: connection to server at "db", port 5432 failed: FATAL:  the '
         "database system is starting up", False),
        ("connection failed: timeout expired", False),
    ],
)  # fmt: skip
def test_which_connection_failures_are_a_refused_login(message, refused):
    assert pgstore.login_refused(psycopg.OperationalError(message)) is refused
