"""The list of datasets (db.datasets): each a DuckDB file with the schema, names unique ignoring
case, the sample neither listed nor removable, entries kept when several processes create
datasets at once, and a dataset file read by ``python -m db --db`` as any funnel database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from db.datasets import SAMPLE, Datasets
from db.errors import DataLayerError
from db.imports import import_files, read_file
from db.quality import quality_report
from tests.db.helpers import SF_LEADS_EN, csv_bytes

ROOT = Path(__file__).resolve().parents[2]


def test_a_new_dataset_is_an_empty_funnel_database_listed_by_its_name(tmp_path):
    sets = Datasets(tmp_path)
    assert sets.list() == []
    ds = sets.create("  売上 2024  ")
    assert ds.name == "売上 2024" and ds.path == tmp_path / "datasets" / f"{ds.id}.duckdb"
    assert ds.id.startswith("2024-")  # the name's ASCII part, then a random suffix
    con = duckdb.connect(str(ds.path))
    assert con.execute("SELECT count(*) FROM stage_history").fetchone() == (0,)
    stages = con.execute("SELECT stage FROM stage_design ORDER BY position").fetchall()
    assert [r[0] for r in stages] == [
        "visitor", "lead", "opportunity", "won",
    ]  # fmt: skip
    con.close()
    assert [d.name for d in Datasets(tmp_path).list()] == ["売上 2024"]
    assert SAMPLE not in [d.id for d in sets.list()]


def test_names_are_unique_ignoring_case_and_removal_deletes_the_file(tmp_path):
    sets = Datasets(tmp_path)
    first = sets.create("Olist")
    with pytest.raises(DataLayerError) as err:
        sets.create("OLIST")
    assert err.value.code == "dataset_name_taken"
    second = sets.create("Olist 2")
    Path(str(first.path) + ".wal").write_bytes(b"")
    sets.remove(first.id)
    assert [d.id for d in sets.list()] == [second.id]
    assert not first.path.exists() and not Path(str(first.path) + ".wal").exists()
    assert second.path.exists()
    sets.create("olist")  # the name is free again
    with pytest.raises(DataLayerError) as err:
        sets.remove(SAMPLE)
    assert err.value.code == "dataset_read_only"


def test_datasets_created_by_several_processes_at_once_are_all_listed(tmp_path):
    code = (
        "import sys; from db.datasets import Datasets\n"
        "for i in range(5): Datasets(sys.argv[1]).create(f'{sys.argv[2]} {i}')\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(tmp_path), f"p{n}"], cwd=ROOT)
        for n in range(6)
    ]
    assert [p.wait(120) for p in procs] == [0] * 6
    sets = Datasets(tmp_path).list()
    assert sorted(d.name for d in sets) == sorted(f"p{n} {i}" for n in range(6) for i in range(5))
    assert len({d.id for d in sets}) == 30 and all(d.path.exists() for d in sets)


def test_the_command_line_reads_a_dataset_file_as_any_database(tmp_path):
    ds = Datasets(tmp_path).create("leads")
    con = duckdb.connect(str(ds.path))
    import_files(con, read_file(csv_bytes(SF_LEADS_EN), "leads.csv"), "salesforce_leads")
    expect = [f"{f.check}\t{f.count}\t{f.message}" for f in quality_report(con)]
    con.close()
    out = subprocess.run(
        [sys.executable, "-m", "db", "--db", str(ds.path), "quality"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert out.stdout.splitlines() == expect and len(expect) == 12  # every check of db.quality
    assert [d.name for d in Datasets(tmp_path).list()] == ["leads"]  # the list is untouched
