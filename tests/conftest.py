"""Fixtures shared by every test package, and the hypothesis profile the run uses."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# ----- hypothesis -------------------------------------------------------------------------------
# "ci": the same examples on every run (derandomize: the seed comes from each test's code), and
# no example database, so nothing found on another day or machine is replayed. A change fails CI
# only for what it changed, and a red run is reproduced by running the same command again.
# "dev" (the default elsewhere): fresh random examples on every run, and failures kept in
# .hypothesis/ and replayed first next time; it keeps exploring. A failure it finds becomes an
# @example on the test.
# A test's own @settings(...) overrides only the fields it names (max_examples, deadline, ...);
# derandomize and database always come from the profile.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    print_blob=True,  # a failure prints its @reproduce_failure blob
    deadline=None,  # no wall-clock limit per example on a shared runner
    suppress_health_check=[HealthCheck.too_slow],  # nor one on generating the examples
)
settings.register_profile("dev", derandomize=False, print_blob=True)


def hypothesis_profile(environ: Mapping[str, str]) -> str:
    """The profile a run uses: ``HYPOTHESIS_PROFILE`` when set (``.ci/run`` sets ``ci``), else
    ``ci`` when ``CI`` is set to anything but ``false``/``0`` (CI services set ``CI=true``), else
    ``dev``. ``--hypothesis-profile NAME`` on the command line still overrides both."""
    if environ.get("HYPOTHESIS_PROFILE"):
        return environ["HYPOTHESIS_PROFILE"]
    return "ci" if environ.get("CI", "").strip().lower() not in ("", "0", "false") else "dev"


settings.load_profile(hypothesis_profile(os.environ))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's ../shared folder (spec, examples, datasets); skips when it is absent.

    CI has it beside the checkout; a fresh clone elsewhere does not, and the tests that need
    it say so instead of failing.
    """
    if not SHARED.is_dir():
        pytest.skip(f"../shared is absent ({SHARED}): spec examples and datasets are not here")
    return SHARED


@pytest.fixture(scope="session")
def olist_dir(shared_dir: Path) -> Path:
    """The real Olist marketing-funnel CSVs (../shared/datasets/olist-marketing-funnel)."""
    path = shared_dir / "datasets" / "olist-marketing-funnel"
    if not path.is_dir():
        pytest.skip(f"the Olist dataset is absent ({path})")
    return path


@pytest.fixture
def no_checkpoint(monkeypatch):
    """Connections that leave their log (``.wal``) behind on close, as a crash does."""
    import duckdb

    real = duckdb.connect

    def connect(*args, **kwargs):
        con = real(*args, **kwargs)
        con.execute("PRAGMA disable_checkpoint_on_shutdown")
        return con

    class LeaveLog:
        def __call__(self) -> None:
            monkeypatch.setattr(duckdb, "connect", connect)

        def undo(self) -> None:
            monkeypatch.setattr(duckdb, "connect", real)

    leave_log = LeaveLog()
    yield leave_log
    leave_log.undo()
