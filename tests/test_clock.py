"""The mock's clock: kept beside the data, so a restarted server and the CLI go on at the same mock time."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from mockwish.clock import Clock, utcnow


def test_state_survives_a_new_clock_on_the_same_file(tmp_path: Path) -> None:
    state = tmp_path / "mockwish.clock.json"
    a = Clock(state)
    a.apply(advance_seconds=86400)
    b = Clock(state)
    assert abs((b.now() - utcnow()) - timedelta(days=1)) < timedelta(seconds=5)
    at = datetime(2031, 6, 1, 12, 0, 0)
    b.apply(at=at, freeze=True)
    assert Clock(state).now() == at and Clock(state).frozen
    b.reset()
    assert not Clock(state).frozen and abs(Clock(state).now() - utcnow()) < timedelta(seconds=5)


def test_an_unreadable_file_means_wall_time(tmp_path: Path) -> None:
    state = tmp_path / "mockwish.clock.json"
    state.write_text("{not json")
    assert abs(Clock(state).now() - utcnow()) < timedelta(seconds=5)
    assert Clock(None).now() <= utcnow() + timedelta(seconds=1)  # no file: nothing kept
