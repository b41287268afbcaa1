"""Where a schema violation starts in the source document.

libxml2 reports a schema violation with the line on which the offending element's start tag
*ends* and no column. An editor wants the start of the tag: the element the message names is
looked up in the parsed tree (for its namespace prefix) and its `<prefix:name` found in the text.
Built only for invalid documents; no I/O.
"""
from __future__ import annotations

import re

from lxml import etree

# "Element '{namespace}local': …" or "Element '{namespace}local', attribute 'id': …"
_NAMED_ELEMENT = re.compile(r"^Element '(\{[^}]*\}[^']+|[^'{]+)'")


class ErrorPositions:
    """Finds (line, column), both 1-based, of the element a schema error names."""

    def __init__(self, xml: bytes, root: etree._Element) -> None:
        self._lines = _source_lines(xml, root.getroottree().docinfo.encoding)
        self._prefixes: dict[tuple[int, str], str | None] = {}
        for element in root.iter():
            if isinstance(element.tag, str) and element.sourceline is not None:
                self._prefixes.setdefault((element.sourceline, element.tag), element.prefix)

    def locate(self, line: int, message: str) -> tuple[int, int]:
        """The start of the named element's tag; else the first non-blank character of `line`."""
        named = _NAMED_ELEMENT.match(message)
        key = (line, named.group(1)) if named else None
        if key is not None and key in self._prefixes:
            local = etree.QName(key[1]).localname
            prefix = self._prefixes[key]
            found = self._find_start_tag(f"{prefix}:{local}" if prefix else local, line)
            if found is not None:
                return found
        return line, self._first_non_blank(line)

    def _find_start_tag(self, qname: str, end_line: int) -> tuple[int, int] | None:
        start_tag = re.compile(rf"<{re.escape(qname)}(?=[\s/>]|$)")
        # On its last line, the first such tag; else it began on an earlier line: the nearest one.
        if 0 < end_line <= len(self._lines):
            match = start_tag.search(self._lines[end_line - 1])
            if match:
                return end_line, match.start() + 1
        for number in range(min(end_line - 1, len(self._lines)), 0, -1):
            matches = list(start_tag.finditer(self._lines[number - 1]))
            if matches:
                return number, matches[-1].start() + 1
        return None

    def _first_non_blank(self, line: int) -> int:
        if not 0 < line <= len(self._lines):
            return 1
        text = self._lines[line - 1]
        return len(text) - len(text.lstrip()) + 1


def _source_lines(xml: bytes, encoding: str | None) -> list[str]:
    try:
        text = xml.decode(encoding or "utf-8")
    except (LookupError, UnicodeDecodeError):
        text = xml.decode("utf-8", errors="replace")
    # XML line ends, as the parser counts them.
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
