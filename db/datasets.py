"""Named datasets: each import goes into a dataset of its own, one DuckDB file per dataset.

    datasets = Datasets(home)             # <home>/datasets/<id>.duckdb and index.json
    ds = datasets.create("Olist 2018")    # an empty database with the schema
    datasets.list()                       # the imported datasets, oldest first
    datasets.remove(ds.id)                # its file and its entry go

The sample company (``SAMPLE``) is a dataset too, built in and read-only: it has no file here
(the app loads it from ``data/sample/`` into memory) and cannot be written, renamed or removed.

The index (id, name, when) is a small JSON file rewritten whole (a temporary file, then an atomic
rename) under an exclusive ``fcntl.flock`` on ``index.json.lock``, so sessions and processes that
create or remove datasets at the same time do not lose each other's entries. A dataset's file is
an ordinary funnel database: ``python -m db --db <home>/datasets/<id>.duckdb quality`` reads it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import secrets
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from db.connection import quiet
from db.errors import DatabaseDamagedError, DataLayerError
from db.schema import create_schema

SAMPLE = "sample"  # the built-in, read-only dataset's id
MAX_NAME = 80
FOLDER = "datasets"
INDEX = "index.json"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
_guard = threading.Lock()


@dataclass(frozen=True)
class Dataset:
    """An imported dataset: its id (the file's stem), the name users gave it, when it was made."""

    id: str
    name: str
    created_at: str
    path: Path


def check_name(name: Any) -> str:
    """A dataset's name: 1 to ``MAX_NAME`` characters (trimmed), no control characters."""
    if not isinstance(name, str) or not name.strip():
        raise DataLayerError(code="dataset_name_empty")
    name = name.strip()
    if len(name) > MAX_NAME or any(unicodedata.category(c) == "Cc" for c in name):
        raise DataLayerError(code="dataset_name_invalid", params={"max": MAX_NAME})
    return name


def free_name(name: str, names: list[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``, … the first not among ``names`` (ignoring case)."""
    taken = {n.casefold() for n in names}
    tries = (name if i == 1 else f"{name} ({i})" for i in range(1, len(taken) + 2))
    return next(n for n in tries if n.casefold() not in taken)


def _slug(name: str) -> str:
    """A file-safe id from the name's ASCII letters and digits plus a random suffix."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:24].strip("-")
    return f"{stem or 'data'}-{secrets.token_hex(3)}"


class Datasets:
    """The imported datasets under ``<home>/datasets``."""

    def __init__(self, home: str | Path) -> None:
        self.folder = Path(home) / FOLDER
        self.index = self.folder / INDEX

    # -- the index --------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with _guard:
            fd = os.open(self.folder / (INDEX + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)

    def _read(self) -> list[dict[str, str]]:
        try:
            entries = json.loads(self.index.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError):
            entries = None
        if not isinstance(entries, list):
            raise DataLayerError(code="dataset_index_damaged", params={"path": str(self.index)})
        return [e for e in entries if isinstance(e, dict) and _ID.match(str(e.get("id", "")))]

    def _write(self, entries: list[dict[str, str]]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".index-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entries, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.index)

    def _dataset(self, e: dict[str, str]) -> Dataset:
        return Dataset(e["id"], str(e.get("name") or e["id"]), str(e.get("created_at") or ""),
                       self.folder / f"{e['id']}.duckdb")  # fmt: skip

    # -- reading ----------------------------------------------------------------------------------
    def list(self) -> list[Dataset]:
        """The imported datasets, oldest first (the sample is not among them)."""
        return [self._dataset(e) for e in self._read()]

    def get(self, dataset_id: str) -> Dataset:
        """The dataset ``dataset_id``; ``no_such_dataset`` when it is not (or no longer) there."""
        for e in self._read():
            if e["id"] == dataset_id:
                return self._dataset(e)
        raise DataLayerError(code="no_such_dataset", params={"dataset": str(dataset_id)})

    def exists(self, dataset_id: str) -> bool:
        return any(e["id"] == dataset_id for e in self._read())

    # -- writing ----------------------------------------------------------------------------------
    def create(self, name: str) -> Dataset:
        """A new, empty dataset named ``name`` (names are unique, ignoring case): its database
        file with the schema and the default stage design, then its entry in the index."""
        name = check_name(name)
        with self._locked():
            entries = self._read()
            if any(e.get("name", "").casefold() == name.casefold() for e in entries):
                raise DataLayerError(code="dataset_name_taken", params={"name": name})
            now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            entry = {"id": _slug(name), "name": name, "created_at": now}
            ds = self._dataset(entry)
            con = quiet(duckdb.connect(str(ds.path)))
            try:
                create_schema(con)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            self._write([*entries, entry])
        return ds

    def adopt(self, path: str | Path, name: str) -> Dataset | None:
        """Take a funnel database from before datasets (``<home>/funnel.duckdb``) into the list,
        when it holds imported rows: the file moves to ``datasets/<id>.duckdb``. A file holding
        the sample alone, or held by another process, stays where it is (None)."""
        from db.funnel import data_origin

        path = Path(path)
        try:
            con = quiet(duckdb.connect(str(path), read_only=True))
        except duckdb.Error:
            return None
        try:
            imported = data_origin(con)[0] == "imported"
        except duckdb.Error:
            imported = False
        finally:
            con.close()
        if not imported:
            return None
        name = check_name(name)
        with self._locked():
            entries = self._read()
            free = free_name(name, [e.get("name", "") for e in entries])
            now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            entry = {"id": _slug(free), "name": free, "created_at": now}
            ds = self._dataset(entry)
            wal = Path(str(path) + ".wal")
            if wal.exists():
                os.replace(wal, str(ds.path) + ".wal")
            os.replace(path, ds.path)
            self._write([*entries, entry])
        return ds

    def rename(self, dataset_id: str, name: str) -> Dataset:
        """Give an imported dataset another name (unique ignoring case; its id, file and the
        scenarios that record it stay as they are). The sample cannot be renamed."""
        if dataset_id == SAMPLE:
            raise DataLayerError(code="dataset_read_only")
        name = check_name(name)
        with self._locked():
            entries = self._read()
            if not any(e["id"] == dataset_id for e in entries):
                raise DataLayerError(code="no_such_dataset", params={"dataset": str(dataset_id)})
            if any(e["id"] != dataset_id and e.get("name", "").casefold() == name.casefold()
                   for e in entries):  # fmt: skip
                raise DataLayerError(code="dataset_name_taken", params={"name": name})
            renamed = [{**e, "name": name} if e["id"] == dataset_id else e for e in entries]
            self._write(renamed)
        return self.get(dataset_id)

    def remove(self, dataset_id: str) -> None:
        """Remove an imported dataset: its entry, then its database file (a server that still
        has it open keeps reading its open file until it lets go). The sample cannot be."""
        if dataset_id == SAMPLE:
            raise DataLayerError(code="dataset_read_only")
        with self._locked():
            entries = self._read()
            if not any(e["id"] == dataset_id for e in entries):
                raise DataLayerError(code="no_such_dataset", params={"dataset": str(dataset_id)})
            self._write([e for e in entries if e["id"] != dataset_id])
            path = self.folder / f"{dataset_id}.duckdb"
            for p in (path, Path(str(path) + ".wal")):
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()


def open_dataset_file(path: str | Path) -> duckdb.DuckDBPyConnection:
    """The server's connection to a dataset's database file, with the schema; every block of it
    is read once here, so a damaged file (cut short, garbage, failing its checksums, a log that
    cannot be replayed) is ``DatabaseDamagedError`` with ``dataset_damaged`` now rather than an
    error halfway through a page. ``DatabaseLockedError`` when another process holds it."""
    from db.connection import connect, first_line, is_damage_error, verify

    try:
        con = connect(path)
    except DatabaseDamagedError as exc:
        raise DatabaseDamagedError(str(path), exc.detail, code="dataset_damaged") from None
    try:
        create_schema(con)
        verify(con)
    except duckdb.Error as exc:
        con.close()
        if is_damage_error(exc):
            detail = first_line(exc)
            raise DatabaseDamagedError(str(path), detail, code="dataset_damaged") from None
        raise
    return con


def check_writable(dataset_id: str) -> None:
    """Refuse a write into the built-in sample (``dataset_read_only``)."""
    if dataset_id == SAMPLE:
        raise DataLayerError(code="dataset_read_only")
