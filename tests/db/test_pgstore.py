"""The PostgreSQL scenario store's own promises: a server restarted under it, a commit whose
acknowledgement was lost, concurrent first users creating the schema, passwords kept out of
messages. (What both backends promise is in test_store_backends.py.)"""

from __future__ import annotations

import contextlib
import threading
import uuid

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from db import pgstore
from db.errors import ScenarioStoreError
from db.pgstore import PgScenarioStore, redact
from tests import pg
from tests.db.test_store_backends import variant
from tests.pg import url_with_database


@pytest.fixture(scope="module")
def own_server():
    """A server of this module's own, which a test may stop and restart (never CI's shared
    one, whatever PLANNER_TEST_PG says)."""
    try:
        server = pg.PgServer.start()
    except RuntimeError as exc:
        pytest.skip(f"cannot start a PostgreSQL server to restart: {exc}")
    yield server
    server.stop()


@pytest.fixture
def store(pg_database):
    s = PgScenarioStore(pg_database)
    yield s
    s.close_all()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://ann:pa55@db.example:5432/plans", "postgresql://ann:***@db.example:5432/plans"),
        ("postgres://ann:p%40ss:w@db/plans?sslmode=require", "postgres://ann:***@db/plans?sslmode=require"),
        ("postgresql:///plans?host=/var/run/postgresql&password=pa55&user=ann",
         "postgresql:///plans?host=/var/run/postgresql&password=***&user=ann"),
        ("postgresql://ann@db/plans", "postgresql://ann@db/plans"),
        ("postgresql:///plans?host=/var/run/postgresql", "postgresql:///plans?host=/var/run/postgresql"),
    ],
)  # fmt: skip
def test_the_url_in_messages_has_no_password(url, shown):
    assert redact(url) == shown


def test_a_url_libpq_cannot_read_is_store_unavailable_without_the_password():
    store = PgScenarioStore("postgresql://ann:pa55@db/plans?bogus_option=1")  # no error yet
    with pytest.raises(ScenarioStoreError) as err:
        store.list()
    assert err.value.code == "store_unavailable" and "pa55" not in str(err.value)
    assert err.value.params["detail"] == "not a valid PostgreSQL connection URL"


def test_the_server_stopped_then_restarted_under_a_store_in_use(own_server):
    """Stopped: the call says store_unavailable after its retries (no psycopg error). Started
    again: the next call works on a new connection, and nothing saved before is lost."""
    url = own_server.database()
    store = PgScenarioStore(url, retry_seconds=1.0)
    try:
        assert store.save("plan", variant(1), author="a") == 1
        assert store.save("plan", variant(2), author="a") == 2
        assert own_server.ctl("stop", "-m", "fast").returncode == 0
        with pytest.raises(ScenarioStoreError) as err:
            store.save("plan", variant(3), author="a")
        assert err.value.code == "store_unavailable" and err.value.__cause__ is None
        with pytest.raises(ScenarioStoreError, match="cannot be reached"):
            store.list()
        assert own_server.ctl("start").returncode == 0
        assert [v["version"] for v in store.versions("plan")] == [1, 2]
        assert store.save("plan", variant(3), author="a") == 3
        assert store.load("plan", 2)["inflow"] == 1002
    finally:
        store.close_all()


def test_saves_while_the_server_restarts_are_saved_once_or_refused_clearly(own_server):
    """``pg_ctl restart`` while a thread saves: each save returns its version or raises
    store_unavailable; afterwards the versions are exactly the acknowledged ones, in order."""
    url = own_server.database()
    store = PgScenarioStore(url, retry_seconds=5.0)  # long enough to ride out the restart
    acked, refused, stop = [], [], threading.Event()

    def saver() -> None:
        i = 0
        while not stop.is_set():
            i += 1
            try:
                acked.append(store.save("plan", variant(i), author="a", note=str(i)))
            except ScenarioStoreError as exc:
                refused.append(exc.code)

    thread = threading.Thread(target=saver)
    thread.start()
    try:
        while len(acked) < 5:
            thread.join(0.05)
        assert own_server.ctl("restart", "-m", "fast").returncode == 0
        n = len(acked)
        while len(acked) < n + 5:  # it goes on saving after the restart
            thread.join(0.05)
    finally:
        stop.set()
        thread.join(60)
        store.close_all()
    assert set(refused) <= {"store_unavailable"}
    check = PgScenarioStore(url)
    try:
        assert (
            [v["version"] for v in check.versions("plan")]
            == acked
            == list(range(1, len(acked) + 1))
        )
    finally:
        check.close_all()


class _LostAck:
    """A connection whose first committed transaction 'loses' its acknowledgement: the commit
    goes through, then the client sees the connection fail, as when a server or network dies
    between COMMIT and its reply."""

    def __init__(self, conn, state):
        self._conn, self._state = conn, state

    def __getattr__(self, name):
        return getattr(self._conn, name)

    @contextlib.contextmanager
    def transaction(self):
        with self._conn.transaction() as tx:
            yield tx
        if not self._state["lost"]:
            self._state["lost"] = True
            raise psycopg.OperationalError("server closed the connection unexpectedly")


def test_a_save_retried_after_its_commit_lost_the_reply_is_saved_once(store):
    store.save("plan", variant(1), author="a")
    real, state = store._connection, {"lost": False}
    store._connection = lambda: _LostAck(real(), state)
    assert store.save("plan", variant(2), author="b", parent=1) == 2
    assert state["lost"]
    assert [v["version"] for v in store.versions("plan")] == [1, 2]  # not saved twice


def test_first_users_creating_the_schema_at_once_all_succeed(pg_database):
    stores = [PgScenarioStore(pg_database) for _ in range(6)]
    results, errors = [], []

    def first_save(k: int) -> None:
        try:
            results.append(stores[k].save(f"plan {k}", variant(k), author="a"))
        except Exception as exc:  # noqa: BLE001 -- collected for the assertion below
            errors.append(exc)
        finally:
            stores[k].close()

    threads = [threading.Thread(target=first_save, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and results == [1] * 6
    for s in stores:
        s.close_all()


def test_archive_and_restore_are_events_as_in_the_file_store(store):
    store.save("b plan", variant(1), author="a")
    store.save("A plan", variant(2), author="a")
    store.archive("b plan", author="ito")
    assert [r["name"] for r in store.list(include_archived=False)] == ["A plan"]
    assert [(r["name"], r["archived"]) for r in store.list()] == [("A plan", False),
                                                                ("b plan", True)]  # fmt: skip
    store.restore("b plan", author="ito")
    assert store.archived() == set()
    with pytest.raises(ScenarioStoreError) as err:
        store.archive("ghost", author="ito")
    assert err.value.code == "no_such_scenario"
    name, version = store.import_json(store.export_json("A plan"), author="sato")
    assert (name, version) == ("A plan", 2) and store.diff("A plan", 1, 2) == []


def test_while_the_server_is_down_a_call_tries_once_instead_of_waiting_again(tmp_path, monkeypatch):
    """The first call retries with backoff; the calls right after it (a page reads the store
    several times) try once each, and say the same."""
    store = PgScenarioStore(f"postgresql:///plans?host={tmp_path}", retry_seconds=3.0)
    attempts, clock = [], [1000.0]
    real_connect = psycopg.connect

    def counting_connect(*args, **kwargs):
        attempts.append(clock[0])
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(psycopg, "connect", counting_connect)
    # a clock of the test's own: the backoff's sleeps advance it (no real waiting)
    monkeypatch.setattr(pgstore.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(pgstore.time, "sleep", lambda s: clock.__setitem__(0, clock[0] + s))
    with pytest.raises(ScenarioStoreError, match="cannot be reached"):
        store.list()
    assert len(attempts) >= 4 and attempts[-1] - attempts[0] <= 3.0  # backoff within 3 s
    for call in (store.archived, lambda: store.versions("plan")):
        attempts.clear()
        with pytest.raises(ScenarioStoreError, match="cannot be reached"):
            call()
        assert len(attempts) == 1
    clock[0] += 3.1  # later on, a call retries again
    attempts.clear()
    with pytest.raises(ScenarioStoreError, match="cannot be reached"):
        store.list()
    assert len(attempts) >= 4


def test_threads_that_come_and_go_do_not_pile_up_connections(store, pg_database):
    """Streamlit runs each script run in a thread of its own: thirty threads, one call each,
    leave at most MAX_IDLE connections open on the server."""
    store.save("plan", variant(1), author="a")
    for _ in range(30):
        t = threading.Thread(target=store.list)
        t.start()
        t.join(60)
    dbname = pg_database.split("?")[0].rsplit("/", 1)[1]
    with psycopg.connect(pg_database, autocommit=True) as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [dbname],
        ).fetchone()
    assert 1 <= count <= pgstore.MAX_IDLE


def test_a_user_without_rights_on_the_tables_is_store_unavailable_and_with_them_works(
    store, pg_database
):
    """The tables may be made by an administrator and granted to the app's user: the store
    leaves them as they are. Without the grant, the store says so (never psycopg's error)."""
    store.save("plan", variant(1), author="a")
    role = f"reader_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
    as_role = make_conninfo(pg_database, user=role)
    with PgScenarioStore(as_role) as other:
        with pytest.raises(ScenarioStoreError) as err:
            other.list()
        assert err.value.code == "store_unavailable" and err.value.__cause__ is None
        assert "permission denied for table scenario_versions" in err.value.params["detail"]
        with psycopg.connect(pg_database, autocommit=True) as conn:
            conn.execute(f"GRANT SELECT, INSERT ON scenario_versions, scenario_archive_events "
                         f"TO {role}")  # fmt: skip
        assert other.save("plan", variant(2), author="b", parent=1) == 2
        assert [r["version"] for r in other.list()] == [2]


def test_a_wrong_password_is_store_auth_failed_and_the_message_never_shows_a_password(own_server):
    """A role that logs in with a password (scram-sha-256 on the server's socket): a wrong
    password says store_auth_failed (not an outage: test_pgstore_auth.py) with the server's
    reason, and neither the wrong nor the right password appears; the right one works."""
    url = own_server.database()
    role, secret = f"planner_{uuid.uuid4().hex[:8]}", "Right-p4ss"
    with psycopg.connect(own_server.url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{secret}'")
    with psycopg.connect(url, autocommit=True) as conn:  # it may create the store's tables
        conn.execute(f"GRANT CREATE ON SCHEMA public TO {role}")
    hba = own_server.folder / "data" / "pg_hba.conf"
    hba.write_text(f"local all {role} scram-sha-256\n" + hba.read_text())  # first match wins
    assert own_server.ctl("reload").returncode == 0
    wrong = make_conninfo(url, user=role, password="Wr0ng-p4ss")
    with PgScenarioStore(wrong, retry_seconds=0.3) as store:
        with pytest.raises(ScenarioStoreError) as err:
            store.list()
    assert err.value.code == "store_auth_failed"
    assert f'password authentication failed for user "{role}"' in str(err.value)
    assert "Wr0ng" not in str(err.value) and "password=***" in str(err.value)
    right = url_with_database(own_server.url, url.split("?")[0].rsplit("/", 1)[1])
    right = right.replace(":///", f"://{role}:{secret}@/").replace("&user=postgres", "")
    with PgScenarioStore(right) as store:
        assert store.save("plan", variant(1), author="a") == 1
        assert "Right" not in repr(store) and "Right" not in store.path
