"""Structured logs: one JSON object per line, the shape the Node services' pino lines have
(`level`, `time`, `service`, `msg`, then the fields), so one query reads every service's log."""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import Any, TextIO

SERVICE = "validator"
# A record's fields for the line go in `extra={FIELDS: {...}}`.
FIELDS = "json_fields"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "level": record.levelname.lower(),
            "time": datetime.fromtimestamp(record.created, timezone.utc)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "service": SERVICE,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update(getattr(record, FIELDS, None) or {})
        if record.exc_info:
            line["err"] = self.formatException(record.exc_info)
        # default=str: a field of an unexpected type still gives a line, never a logging error.
        return json.dumps(line, default=str, separators=(",", ":"))


def configure_json_logging(level: str, stream: TextIO = sys.stdout) -> None:
    """Routes every logger of the process (grpc's too) through one JSON handler."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
