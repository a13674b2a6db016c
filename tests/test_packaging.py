"""What CI and Docker users rely on: the README's two commands, .ci/run, a linted Dockerfile, clean lint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_readme_starts_with_the_two_commands() -> None:
    first = ROOT.joinpath("README.md").read_text().splitlines()[:3]
    assert "make serve" in first[0] and "make test" in first[1]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    lines = [ln.strip() for ln in ROOT.joinpath(".ci/run").read_text().splitlines()]
    assert "make test" in lines


def test_dockerfile_shape() -> None:
    text = ROOT.joinpath("Dockerfile").read_text()
    assert "ARG BASE_IMAGE=python:3.11-slim" in text and "FROM ${BASE_IMAGE}" in text
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert 'VOLUME ["/data"]' in text and "MOCKWISH_DATA_DIR=/data" in text
    user = [ln for ln in text.splitlines() if ln.startswith("USER ")]
    assert user and user[-1].split()[1] not in ("root", "0")
    assert '"mockwish", "serve"' in text  # the same command as `make serve`


def test_hadolint() -> None:
    result = subprocess.run([str(BIN / "hadolint"), str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff() -> None:
    paths = [p for p in ("mockwish", "tests", "bench") if (ROOT / p).is_dir()]
    result = subprocess.run([str(BIN / "ruff"), "check", *paths], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
