"""Identifiers in Wish's formats."""

from __future__ import annotations

import re
import secrets

_HEX24 = re.compile(r"^[0-9a-f]{24}$")


def new_id() -> str:
    """A new 24-hex object id, like Wish's Mongo ids."""
    return secrets.token_hex(12)


def new_hex(n: int) -> str:
    return secrets.token_hex(n // 2)


def is_object_id(value: str) -> bool:
    return bool(_HEX24.match(value))
