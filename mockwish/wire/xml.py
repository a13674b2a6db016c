"""Rendering plain data (dicts, lists, strings) as XML, for `format=xml`."""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

_BAD_TAG = re.compile(r"[^A-Za-z0-9_.-]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # what XML 1.0 cannot carry


def xml_text(value: str, entities: dict[str, str] | None = None) -> str:
    """`value` escaped for XML text (or, with `entities`, an attribute). A character XML cannot carry at all
    becomes U+FFFD, so an answer stays well-formed whatever was stored or echoed (the parameter specs refuse
    such characters in what they store: mockwish.wire.spec.NOT_TEXT)."""
    return escape(_NOT_XML.sub("\ufffd", value), entities or {})


def _tag(name: str) -> str:
    tag = _BAD_TAG.sub("_", name) or "item"
    return tag if tag[0].isalpha() or tag[0] == "_" else "_" + tag


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "True"
    if value is False:
        return "False"
    return xml_text(str(value))


def _write(out: list[str], name: str, value: Any) -> None:
    tag = _tag(name)
    if isinstance(value, dict):
        out.append(f"<{tag}>")
        for k, v in value.items():
            _write(out, str(k), v)
        out.append(f"</{tag}>")
    elif isinstance(value, list | tuple):
        out.append(f"<{tag}>")
        for item in value:
            # entity wrappers ({"Product": {...}}) name their own element; bare values become <item>
            if isinstance(item, dict) and len(item) == 1:
                (k, v), = item.items()
                _write(out, str(k), v)
            else:
                _write(out, "item", item)
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}>{_text(value)}</{tag}>")


def to_xml(root: str, value: dict[str, Any]) -> bytes:
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>']
    _write(out, root, value)
    return "".join(out).encode("utf-8")
