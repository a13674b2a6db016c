"""The type checker over the package: mypy with the project's configuration ([tool.mypy] in pyproject.toml)
finds no error, and every `# type: ignore` left in mockwish/ is still needed (warn_unused_ignores)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_mypy_passes_over_the_package() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy", "mockwish"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, f"mypy failed:\n{proc.stdout}{proc.stderr}"
