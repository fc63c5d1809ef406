"""model/ is the planning math only: it must import neither streamlit nor duckdb."""

import subprocess
import sys

from tests.conftest import ROOT


def test_importing_model_loads_neither_streamlit_nor_duckdb() -> None:
    code = (
        "import sys, model, model.cli, model.reference\n"
        "import model.uncertainty, model.responsibility, model.customers\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'streamlit', 'duckdb'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
