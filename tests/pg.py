"""A PostgreSQL server for the tests that need one.

``PLANNER_TEST_PG`` (a libpq URL of a server where the tests may create databases; ``.ci/run``
starts one and sets it) is used when set. Otherwise ``PgServer.start()`` runs a throwaway server
of Debian's ``postgresql`` package (``/usr/lib/postgresql/*/bin``): ``initdb`` into a temporary
folder (as the ``postgres`` user when the tests run as root, which PostgreSQL refuses to be),
listening on a unix socket in that folder only. Where neither works the tests skip and say why.
Each test gets a database of its own (``PgServer.database()``).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

ENV = "PLANNER_TEST_PG"
INSTALL = "apt-get install postgresql"


def _bin_dir() -> Path | None:
    found = [p for p in glob.glob("/usr/lib/postgresql/*/bin/initdb") if Path(p).parts[4].isdigit()]
    found.sort(key=lambda p: int(Path(p).parts[4]))  # the newest major version
    return Path(found[-1]).parent if found else None


def _as_postgres() -> list[str]:
    """The prefix that runs a command as the ``postgres`` user when we are root."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


class PgServer:
    """A PostgreSQL server: its admin URL (database ``postgres``), and, for one this process
    started, what stopping and restarting it takes."""

    def __init__(self, url: str, folder: Path | None = None, bin_dir: Path | None = None):
        self.url = url
        self.folder = folder
        self.bin_dir = bin_dir

    # -- a throwaway server ---------------------------------------------------------------------
    @classmethod
    def start(cls) -> PgServer:
        """initdb and start a server of its own; raises ``RuntimeError`` saying why it cannot."""
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise RuntimeError(f"PostgreSQL is not installed ({INSTALL}) and {ENV} is not set")
        if os.geteuid() == 0 and shutil.which("runuser") is None:
            raise RuntimeError("running as root without runuser to start PostgreSQL as postgres")
        # in /tmp, not $TMPDIR: a unix socket's path must stay under 108 bytes
        folder = Path(tempfile.mkdtemp(prefix="planner-pg-", dir="/tmp"))
        (folder / "sock").mkdir()
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
            shutil.chown(folder / "sock", "postgres", "postgres")
        server = cls(f"postgresql:///postgres?host={folder / 'sock'}&user=postgres", folder,
                     bin_dir)  # fmt: skip
        init = server._tool(
            "initdb", "-D", str(folder / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--no-locale", "--no-sync",
        )  # fmt: skip
        if init.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError(f"initdb failed: {init.stderr.strip()[-300:]}")
        started = server.ctl("start")
        if started.returncode != 0:
            log = (folder / "log").read_text(errors="replace")[-300:]
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError(f"PostgreSQL did not start: {log}")
        return server

    def _tool(self, name: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*_as_postgres(), str(self.bin_dir / name), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            cwd=self.folder,
        )

    def ctl(self, action: str, *args: str) -> subprocess.CompletedProcess:
        """``pg_ctl ACTION`` on this process's own server (start, stop, restart)."""
        assert self.folder is not None, "not a server this process started"
        options = f"-k {self.folder / 'sock'} -c listen_addresses='' -c fsync=off"
        return self._tool(
            "pg_ctl", action, "-D", str(self.folder / "data"), "-l", str(self.folder / "log"),
            "-w", "-t", "60", "-o", options, *args,
        )  # fmt: skip

    def stop(self) -> None:
        if self.folder is not None:
            self.ctl("stop", "-m", "immediate")
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- databases ------------------------------------------------------------------------------
    def database(self) -> str:
        """A new, empty database; returns its URL."""
        import psycopg

        name = f"planner_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return url_with_database(self.url, name)


def url_with_database(url: str, name: str) -> str:
    """``url`` naming the database ``name`` instead (URLs of the form postgresql://…/DB?…)."""
    head, _, query = url.partition("?")
    scheme, _, rest = head.partition("://")
    authority = rest.split("/", 1)[0]
    return f"{scheme}://{authority}/{name}" + (f"?{query}" if query else "")


def server() -> PgServer:
    """``PLANNER_TEST_PG``'s server, else a throwaway one (``RuntimeError`` saying why not)."""
    url = os.environ.get(ENV)
    if url:
        return PgServer(url)
    return PgServer.start()
