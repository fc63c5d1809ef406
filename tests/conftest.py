"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


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
