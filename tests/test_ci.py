"""The CI runs the README's test command with hypothesis' "ci" profile (tests/conftest.py): the
same examples on every run and no example database, so a change never fails because hypothesis
met a new example that day; elsewhere the "dev" profile keeps exploring."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from tests.conftest import ROOT, hypothesis_profile

# Two property tests as the suite writes them (their own @settings name max_examples and deadline
# only): one prints the examples it was given, one fails (the profile decides whether the failure
# is kept in an example database).
EXAMPLES = """
import tests.conftest  # registers and loads the profile, as pytest does at start-up
from hypothesis import given, settings, strategies as st

seen = []

@settings(max_examples=30, deadline=None)
@given(st.floats(0, 1), st.lists(st.integers(0, 10**6), max_size=5))
def prop(rate, counts):
    seen.append((rate, counts))

@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6))
def fails(n):
    assert n < 1000

prop()
try:
    fails()
except AssertionError:
    pass
print(settings.get_current_profile_name(), repr(seen))
"""


def examples(tmp_path: Path, **env: str) -> str:
    """The profile's name and the examples EXAMPLES saw, in a fresh interpreter in ``tmp_path``
    with ``env`` (CI and HYPOTHESIS_PROFILE unset otherwise)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    environ |= {"PYTHONPATH": str(ROOT), **env}
    proc = subprocess.run(
        [sys.executable, "-c", EXAMPLES],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.splitlines()[-1]


@pytest.mark.parametrize("env", [{"HYPOTHESIS_PROFILE": "ci"}, {"CI": "true"}])
def test_the_ci_profile_gives_the_same_examples_every_run_and_keeps_none(
    tmp_path: Path, env: dict[str, str]
) -> None:
    first, second = examples(tmp_path, **env), examples(tmp_path, **env)
    assert first.startswith("ci [(") and first == second
    assert not (tmp_path / ".hypothesis").exists()  # no example database


def test_the_dev_profile_explores_new_examples_and_keeps_a_database(tmp_path: Path) -> None:
    first, second = examples(tmp_path), examples(tmp_path)
    assert first.startswith("dev [(") and first != second
    assert (tmp_path / ".hypothesis").is_dir()


@pytest.mark.parametrize(
    "environ,profile",
    [
        ({}, "dev"),
        ({"CI": "true"}, "ci"),
        ({"CI": "1"}, "ci"),
        ({"CI": "false"}, "dev"),
        ({"CI": ""}, "dev"),
        ({"HYPOTHESIS_PROFILE": "ci"}, "ci"),
        ({"HYPOTHESIS_PROFILE": "dev", "CI": "true"}, "dev"),
    ],
)
def test_the_profile_follows_the_environment(environ: dict[str, str], profile: str) -> None:
    assert hypothesis_profile(environ) == profile


def test_the_ci_profile_is_deterministic_and_keeps_no_database() -> None:
    ci = settings.get_profile("ci")
    assert (ci.derandomize, ci.database, ci.deadline, ci.print_blob) == (True, None, None, True)
    assert settings.get_profile("dev").derandomize is False


def test_ci_runs_the_readmes_test_command_with_the_ci_profile() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    (command,) = re.findall(r"^(python -m pytest\S*(?: \S+)*?)\s+# run the tests$", readme, re.M)
    lines = [
        line
        for line in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[-1] == command == "python -m pytest"
    assert "export HYPOTHESIS_PROFILE=ci" in lines[:-1]
