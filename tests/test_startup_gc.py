"""`mockwish serve` builds the app with the garbage collector off (it walked the half-built start several
times: 0.1-0.2 s of each start) and turns it back on once the start's objects are frozen."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mockwish.app
from mockwish.app import freeze_start_objects
from mockwish.cli import cli


class Built(Exception):
    pass


def test_serve_builds_the_app_without_the_collector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []

    def create_app(_settings: object) -> None:
        seen.append(gc.isenabled())
        raise Built

    monkeypatch.setattr(mockwish.app, "create_app", create_app)
    try:
        result = CliRunner().invoke(cli, ["serve", "--data-dir", str(tmp_path), "--port", "0"])
    finally:
        gc.enable()
    assert isinstance(result.exception, Built)
    assert seen == [False]


def test_the_collector_is_back_once_the_start_is_frozen() -> None:
    gc.disable()
    try:
        freeze_start_objects()
        assert gc.isenabled()
    finally:
        gc.enable()
