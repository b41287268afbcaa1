"""Loads and compiles the OMG BPMN 2.0 XSDs (fetched at install into var/validator/xsd)."""
from __future__ import annotations

import queue
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from lxml import etree

ENTRY_XSD = "BPMN20.xsd"


def load_bpmn_schema(xsd_dir: Path) -> etree.XMLSchema:
    """Compiles BPMN20.xsd and its includes from local files only; never touches the network."""
    entry = xsd_dir / ENTRY_XSD
    if not entry.is_file():
        raise FileNotFoundError(
            f"{entry} is missing: run the validator's install (scripts/fetch_xsds.py)"
        )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(entry), parser))


class SchemaPool:
    """Compiled schemas, one per worker thread, all compiled once at start.

    lxml keeps a validator's error log on the schema object, so one compiled schema must
    not check two documents at the same time; validation itself runs without the GIL.
    """

    def __init__(self, compile_schema: Callable[[], etree.XMLSchema], size: int) -> None:
        self._free: queue.SimpleQueue[etree.XMLSchema] = queue.SimpleQueue()
        for _ in range(size):
            self._free.put(compile_schema())

    @contextmanager
    def borrow(self) -> Iterator[etree.XMLSchema]:
        schema = self._free.get()
        try:
            yield schema
        finally:
            self._free.put(schema)
