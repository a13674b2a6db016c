"""Shape comparison of a response with a docs example: same keys, same JSON value types, recursively.

Rules (the docs' examples are illustrations, not fixtures):
* every key of the expected object must exist in the actual one, with the same JSON type
  (string, number, bool, null, list, object); extra actual keys are allowed and only reported as info;
* each element of an actual list is compared with the first element of the expected list
  (an empty expected list checks nothing about the elements);
* a value the docs show as null may be null or a string;
* inside `paging`, keys are only checked for presence (their values are URLs built by the server), by their
  exact names: the docs' example responses call the back link `previous`, as the mock does by default
  (only the overview's prose says `prev`, which MOCKWISH_PAGING_BACK_LINK=prev selects).
"""

from __future__ import annotations

import re
from typing import Any

PAGING = "paging"


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):  # before int: bool is an int in Python
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not a JSON value: {value!r}")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _paging(expected: dict[str, Any], actual: Any, path: str, out: list[str], info: list[str]) -> None:
    if not isinstance(actual, dict):
        out.append(f"{path}: expected object, got {json_type(actual)} ({_show(actual)})")
        return
    for key in expected:
        if key not in actual:
            out.append(f"{_join(path, key)}: missing key")
    for key in actual:
        if key not in expected:
            info.append(f"{_join(path, key)}: extra key")


def _walk(expected: Any, actual: Any, path: str, out: list[str], info: list[str]) -> None:
    want, got = json_type(expected), json_type(actual)
    if want == "null":
        if got not in ("null", "string"):
            out.append(f"{path or '<root>'}: expected null or string, got {got} ({_show(actual)})")
        return
    if want != got:
        out.append(f"{path or '<root>'}: expected {want}, got {got} ({_show(actual)})")
        return
    if want == "object":
        for key, value in expected.items():
            where = _join(path, key)
            if key not in actual:
                out.append(f"{where}: missing key (expected {json_type(value)})")
            elif key == PAGING and isinstance(value, dict):
                _paging(value, actual[key], where, out, info)
            else:
                _walk(value, actual[key], where, out, info)
        for key in actual:
            if key not in expected:
                info.append(f"{_join(path, key)}: extra key ({json_type(actual[key])})")
    elif want == "list":
        if not expected:
            return
        if not actual:
            info.append(f"{path}: empty list, element shape not checked")
        for i, item in enumerate(actual):
            _walk(expected[0], item, f"{path}[{i}]", out, info)


def compare(expected: Any, actual: Any, info: list[str] | None = None) -> list[str]:
    """Mismatches of `actual` against the shape of `expected` (empty when it conforms).

    Extra keys of `actual` and unchecked empty lists are appended to `info` when a list is given."""
    out: list[str] = []
    notes: list[str] = []
    _walk(expected, actual, "", out, notes)
    if info is not None:  # one line per key, not per list element
        for note in dict.fromkeys(re.sub(r"\[\d+\]", "[*]", n) for n in notes):
            info.append(note)
    return out
