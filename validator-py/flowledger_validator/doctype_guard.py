"""Finds a DOCTYPE before the parser sees the document.

BPMN never needs a DTD, and a DTD is where entity-expansion bombs and external entities
live, so a document that declares one is refused before parsing, in time linear in its prolog.
"""
from __future__ import annotations

import codecs

# Encodings whose prolog is not ASCII-compatible: decode those before scanning.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE_WITHOUT_BOM = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)


def find_doctype_line(xml: bytes) -> int | None:
    """1-based line of a `<!DOCTYPE` in the prolog (before the root element), else None."""
    text = _as_ascii_compatible(xml)
    pos = 0
    while True:
        lt = text.find(b"<", pos)
        if lt < 0:
            return None
        if text.startswith(b"<?", lt):
            pos = _after(text, b"?>", lt + 2)
        elif text.startswith(b"<!--", lt):
            pos = _after(text, b"-->", lt + 4)
        elif text.startswith(b"<!DOCTYPE", lt):
            return text.count(b"\n", 0, lt) + 1
        else:
            # The root element (or something the parser will refuse): the prolog is over.
            return None
        if pos < 0:
            return None


def _after(text: bytes, terminator: bytes, start: int) -> int:
    end = text.find(terminator, start)
    return -1 if end < 0 else end + len(terminator)


def _as_ascii_compatible(xml: bytes) -> bytes:
    for bom, codec in _WIDE_BOMS:
        if xml.startswith(bom):
            return xml.decode(codec, errors="replace").encode("utf-8")
    for head, codec in _WIDE_WITHOUT_BOM:
        if xml.startswith(head):
            return xml.decode(codec, errors="replace").encode("utf-8")
    return xml
