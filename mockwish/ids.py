"""Identifiers in Wish's formats."""

from __future__ import annotations

import itertools
import random
import re
import secrets
from datetime import UTC, datetime

_HEX24 = re.compile(r"^[0-9a-f]{24}$")


def new_id() -> str:
    """A new 24-hex object id, like Wish's Mongo ids."""
    return secrets.token_hex(12)


def seeded_id(rng: random.Random) -> str:
    """A 24-hex id from a random stream: the same seed, the same ids (seeded data)."""
    return f"{rng.getrandbits(96):024x}"


def stream(seed: int | None) -> random.Random:
    """The random stream of a generation: the seed's when one is given (the same data again), else a fresh one."""
    return random.Random(seed if seed is not None else random.SystemRandom().getrandbits(64))


def new_hex(n: int) -> str:
    return secrets.token_hex(n // 2)


_REQUEST_IDS = random.Random(secrets.randbits(128))  # request ids need to be unique, not unguessable


def new_request_id() -> bytes:
    """32 hex digits for Wish-Request-Id, without a system call per request (secrets reads os.urandom)."""
    return b"%032x" % _REQUEST_IDS.getrandbits(128)


def is_object_id(value: str) -> bool:
    return bool(_HEX24.match(value))


_PROCESS_HEX = secrets.token_hex(5)  # the 10 random hex of every ordered id this process makes
_COUNTER = itertools.count(secrets.randbelow(1 << 20))  # low start: 16M ids in one second before a wrap


def ordered_id(at: datetime) -> str:
    """An ObjectId-like 24-hex id that sorts by creation: 8 hex of `at`'s Unix seconds (the mock's clock),
    10 hex random per process, 6 hex of a process-wide counter. Ids made later in a process sort after
    earlier ones of the same second, so listings ordered by (last_updated, id) keep new rows last."""
    seconds = min(max(int(at.replace(tzinfo=UTC).timestamp()), 0), 0xFFFFFFFF)
    return f"{seconds:08x}{_PROCESS_HEX}{next(_COUNTER) & 0xFFFFFF:06x}"
