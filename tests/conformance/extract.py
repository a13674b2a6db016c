"""Draft doc_examples.json from the docs: every `> curl` of the Product and Product Variation sections (and of
Merchant Currency Code) with the "Example Response" blocks that follow it.

Run `python tests/conformance/extract.py [docs.txt]`; it prints the draft as JSON on stdout. The draft is
a starting point, not the result: doc_examples.json beside this file is the reviewed version, with hand
repairs (misplaced blocks, renamed keys, setup steps, the examples that have no response in the docs)
written into each entry's "notes".

The response text is Python-dict-ish with quirks. `loads_lenient` reads it, repairing what it can
(missing commas, a missing closing brace before `]`, unquoted scalars) and reporting every repair it made.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

DOCS = Path(__file__).resolve().parents[3] / "shared" / "docs" / "wish-merchant-api-v2.txt"
SECTIONS = (("Product", "Fulfillment"), ("Merchant Currency Code", "Shippable Countries"))

_LITERALS = {"True": True, "False": False, "None": None, "true": True, "false": False, "null": None}
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?$")


class _Lexer:
    def __init__(self, text: str, first_line: int) -> None:
        self.text, self.pos, self.first_line = text, 0, first_line

    def line(self, pos: int | None = None) -> int:
        return self.first_line + self.text.count("\n", 0, self.pos if pos is None else pos)

    def peek(self) -> str:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def string(self) -> str:
        quote = self.text[self.pos]
        out, i = [], self.pos + 1
        while self.text[i] != quote:
            if self.text[i] == "\\":
                i += 1
                out.append({"n": "\n", "t": "\t"}.get(self.text[i], self.text[i]))
            else:
                out.append(self.text[i])
            i += 1
        self.pos = i + 1
        return "".join(out)

    def bare(self) -> str:
        m = re.compile(r"[^\s,{}\[\]]+").match(self.text, self.pos)
        if m is None:
            raise ValueError(f"line {self.line()}: unexpected {self.text[self.pos]!r}")
        self.pos = m.end()
        return m.group()


class _Parser:
    def __init__(self, text: str, first_line: int) -> None:
        self.lx = _Lexer(text, first_line)
        self.repairs: list[str] = []

    def repair(self, what: str) -> None:
        self.repairs.append(f"line {self.lx.line()}: {what}")

    def value(self) -> Any:
        c = self.lx.peek()
        if c == "{":
            return self.obj()
        if c == "[":
            return self.arr()
        if c in "'\"":
            return self.lx.string()
        word = self.lx.bare().rstrip(":")
        if word in _LITERALS:
            return _LITERALS[word]
        if _NUMBER.match(word):
            return float(word) if any(ch in word for ch in ".eE") else int(word)
        self.repair(f"unquoted value {word} read as the string {json.dumps(word)}")
        return word

    def _separator(self, closer: str) -> bool:
        """Consume a comma if present; report a missing one. True when the container continues."""
        c = self.lx.peek()
        if c == ",":
            self.lx.pos += 1
            return True
        if c in (closer, "", "]", "}"):
            return False
        self.repair("missing comma inserted")
        return True

    def obj(self) -> dict[str, Any]:
        self.lx.pos += 1
        out: dict[str, Any] = {}
        while True:
            c = self.lx.peek()
            if c == "}":
                self.lx.pos += 1
                return out
            if c == "]":
                self.repair("missing '}' inserted before ']'")
                return out
            if c == "":
                self.repair("missing '}' at end of block")
                return out
            key = self.lx.string() if c in "'\"" else self.lx.bare().rstrip(":")
            if self.lx.peek() != ":":
                raise ValueError(f"line {self.lx.line()}: ':' expected after key {key!r}")
            self.lx.pos += 1
            if key in out:
                self.repair(f"duplicate key {key!r}")
            out[key] = self.value()
            if not self._separator("}"):
                continue

    def arr(self) -> list[Any]:
        self.lx.pos += 1
        out: list[Any] = []
        while True:
            c = self.lx.peek()
            if c == "]":
                self.lx.pos += 1
                return out
            if c == "}":
                self.repair("missing ']' inserted before '}'")
                return out
            if c == "":
                self.repair("missing ']' at end of block")
                return out
            out.append(self.value())
            if not self._separator("]"):
                continue


def loads_lenient(text: str, first_line: int = 1) -> tuple[Any, list[str]]:
    """(value, repairs) of a Python-dict-ish block; raises ValueError when it cannot be read at all."""
    p = _Parser(text, first_line)
    value = p.value()
    rest = p.lx.text[p.lx.pos:].strip()
    if rest:
        p.repair(f"stray text after the end of the response dropped: {rest[:40]!r}")
    return value, p.repairs


def parse_curl(line: str) -> tuple[str, str, dict[str, str], list[str]]:
    """(method, path, params, notes) of a `> curl ...` line, params as the server receives them."""
    notes: list[str] = []
    url = re.search(r"curl\s+\"?(https?://[^\s\"]+)", line)
    if url is None:
        raise ValueError(f"no URL in {line!r}")
    parts = urlsplit(url.group(1))
    path = parts.path
    if "//api/v2/" in path:
        path = path[path.index("//api/v2/") + 1:]
        notes.append(f"URL repaired: the docs print {parts.path}")
    chunks = [m.group(2) for m in re.finditer(r"(-d|--data-urlencode)\s+\"(.*?)\"(?=\s+-|\s*$)", line)]
    method = "POST" if chunks else "GET"
    pairs = ([parts.query] if parts.query else []) + chunks
    params: dict[str, str] = {}
    for chunk in pairs:
        for item in chunk.split("&"):
            if item:
                key, _, value = item.partition("=")
                params[unquote(key.strip())] = unquote(value.strip())
    return method, path, params, notes


def _response_blocks(lines: list[str], start: int, end: int) -> list[tuple[int, str]]:
    """(line number, text) of each "Example Response" block between two line indexes (0-based)."""
    out = []
    i = start
    while i < end:
        if lines[i].strip().startswith("Example Response"):
            j = i + 1
            while j < end and (not lines[j].strip() or lines[j].strip().startswith("Example Response")):
                j += 1
            k = j
            while k < end and lines[k].strip():
                k += 1
            if j < end and lines[j].lstrip()[:1] == "{":
                out.append((j + 1, "\n".join(lines[j:k])))
            i = k
        else:
            i += 1
    return out


def _section_bounds(lines: list[str]) -> list[tuple[int, int]]:
    bounds = []
    for head, tail in SECTIONS:
        a = next(i for i, s in enumerate(lines) if s.strip() == head)
        b = next(i for i in range(a + 1, len(lines)) if lines[i].strip() == tail)
        bounds.append((a, b))
    return bounds


def _name(path: str, params: dict[str, str], taken: set[str]) -> str:
    base = path.removeprefix("/api/v2/").removeprefix("/api/").replace("/", "-") or "root"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def draft(doc: Path = DOCS) -> list[dict[str, Any]]:
    lines = doc.read_text(encoding="utf-8").splitlines()
    entries: list[dict[str, Any]] = []
    taken: set[str] = set()
    for a, b in _section_bounds(lines):
        curls = [i for i in range(a, b) if lines[i].startswith("> curl")]
        for n, i in enumerate(curls):
            nxt = curls[n + 1] if n + 1 < len(curls) else b
            method, path, params, notes = parse_curl(lines[i])
            blocks = _response_blocks(lines, i + 1, nxt)
            name = _name(path, params, taken)
            if not blocks:
                entries.append({"name": name, "doc_line": i + 1, "method": method, "path": path,
                                "params": params, "expected": None,
                                "notes": [*notes, "no Example Response before the next curl"]})
            for m, (at, text) in enumerate(blocks):
                value, repairs = loads_lenient(text, at)
                entries.append({"name": name if m == 0 else _name(path, params, taken), "doc_line": i + 1,
                                "response_line": at, "method": method, "path": path, "params": params,
                                "expected": value, "notes": notes + repairs})
    return entries


if __name__ == "__main__":
    doc = Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS
    json.dump(draft(doc), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
