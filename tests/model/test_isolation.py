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


def test_the_allocator_setting_is_applied_by_programs_not_by_importing_the_model() -> None:
    """model.runtime.keep_freed_memory changes the whole process (glibc's malloc thresholds):
    importing the engine must not do it; calling it does, once, on Linux with glibc."""
    code = (
        "import model, model.uncertainty, model.runtime as r\n"
        "print(r._applied)\n"
        "print(r.keep_freed_memory(), r.keep_freed_memory())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    before, after = out.stdout.split("\n")[:2]
    assert before == "None"
    libc, _ = __import__("platform").libc_ver()
    assert after == (
        "True True" if sys.platform.startswith("linux") and libc == "glibc" else "False False"
    )
