"""What happens on the mock's clock without a request asking for it: jobs finishing, orders released from
review, carriers confirming tracking. Each part keeps the next instant it has work at, so settling is one
comparison per part when nothing is due; every surface calls `settle_due` before it reads the store."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import Connection


class Part(Protocol):
    def settle_due(self, conn: Connection, now: datetime) -> None: ...

    def reset(self) -> None: ...


class Timeline:
    def __init__(self, *parts: Part) -> None:
        self.parts: tuple[Part, ...] = parts

    def settle_due(self, conn: Connection, now: datetime) -> None:
        for part in self.parts:
            part.settle_due(conn, now)

    def reset(self) -> None:
        """After a reset or seed: every part recomputes its next due instant on the next settle."""
        for part in self.parts:
            part.reset()
