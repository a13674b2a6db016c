"""Times the default seed inside one process (no interpreter start, no imports): prints one JSON list of
seconds, one per run. Uses MOCKWISH_DATA_DIR like `mockwish seed`. Called by bench/run.py."""

from __future__ import annotations

import json
import sys
import time

from mockwish.app import build_context
from mockwish.config import Settings


def main(runs: int) -> None:
    settings = Settings()
    ctx = build_context(settings)
    times: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        ctx.sandbox.reseed(settings.seed)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - started)
    print(json.dumps(times))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
