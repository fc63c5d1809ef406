"""``python -m db``: import, metrics, quality, baseline (accepted by the model), scenarios."""

from __future__ import annotations

import json
import subprocess
import sys

from db.cli import main
from db.sample import SAMPLE_SCENARIO
from tests.db import helpers as h


def test_import_metrics_quality_and_errors(tmp_path, capsys):
    db = str(tmp_path / "f.duckdb")
    leads = tmp_path / "leads.csv"
    leads.write_bytes(h.csv_bytes(h.SF_LEADS_JA, "cp932"))
    assert main(["--db", db, "import", str(leads), "--preset", "salesforce_leads"]) == 0
    assert "imported 6 row(s) into stage_history" in capsys.readouterr().out
    assert main(["--db", db, "metrics", "--table", "stage_summary"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("stage,position") and "\nlead," in out
    assert main(["--db", db, "quality"]) == 0
    assert "unmapped_stages\t0" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(h.csv_bytes([r[:] for r in h.SF_LEADS_EN[:2]] + [["x"] * 11]))
    assert main(["--db", db, "import", str(bad), "--preset", "salesforce_leads"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: bad.csv, row 3, column '") and "': not a date (value 'x')" in err
    assert main(["--db", db, "import", str(bad), "--preset", "nope"]) == 1
    assert "no preset or saved mapping named 'nope'" in capsys.readouterr().err


def test_baseline_is_accepted_by_the_model_cli(tmp_path):
    cmd = [sys.executable, "-m", "db", "baseline", "--ranges", "--target-growth", "0.2"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    path = tmp_path / "b.json"
    path.write_text(out.stdout)
    plan = subprocess.run([sys.executable, "-m", "model", "plan", str(path)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert plan.returncode == 0, plan.stderr
    assert len(json.loads(plan.stdout)["months"]) == 12


def test_errors_never_show_a_traceback(tmp_path):
    out = subprocess.run([sys.executable, "-m", "db", "--db", str(tmp_path / "x.duckdb"),
                          "import", str(tmp_path / "missing.csv"), "--preset", "olist"],
                         capture_output=True, text=True, check=False)  # fmt: skip
    assert out.returncode == 1
    assert out.stderr.startswith("error: ") and "Traceback" not in out.stderr


def test_scenarios_commands(tmp_path, capsys):
    store = str(tmp_path / "s.duckdb")
    sc = tmp_path / "sc.json"
    sc.write_text(SAMPLE_SCENARIO.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["scenarios", "--store", store, "save", "FY26", str(sc), "--author", "sato",
                 "--note", "baseline"]) == 0  # fmt: skip
    assert main(["scenarios", "--store", store, "save", "FY26", str(sc), "--author", "ito"]) == 0
    capsys.readouterr()
    assert main(["scenarios", "--store", store, "list"]) == 0
    assert capsys.readouterr().out.startswith("FY26\tv2\t")
    assert main(["scenarios", "--store", store, "export", "FY26", "-v", "1"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["version"] == 1 and exported["note"] == "baseline"
    assert main(["scenarios", "--store", store, "show", "FY26"]) == 0
    assert json.loads(capsys.readouterr().out)["start"] == "2026-04"
    assert main(["scenarios", "--store", store, "show", "nope"]) == 1
    assert "scenario 'nope'" in capsys.readouterr().err
