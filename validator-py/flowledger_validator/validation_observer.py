"""What one validation did, as one JSON log line and the metrics; never the document.

libxml2's messages quote the document (element names, attribute values), so a line carries
only the error codes, not the messages.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Iterable, Literal

from flowledger_validator.json_log import FIELDS
from flowledger_validator.validation_metrics import ValidationMetrics
from flowledger_validator.xsd_validation import ErrorCode, ValidationResult

Result = Literal["valid", "invalid", "refused"]

# Refused before parsing: too large, or a DOCTYPE (see doctype_guard.py).
_REFUSALS = frozenset({ErrorCode.LIMIT_EXCEEDED, ErrorCode.DOCTYPE_FORBIDDEN})

# gRPC metadata a caller may attach, and the log field each becomes.
_ID_KEYS = (
    ("x-tenant-id", "tenant_id"),
    ("x-diagram-id", "diagram_id"),
    ("x-transaction-id", "transaction_id"),
    ("x-request-id", "request_id"),
    ("traceparent", "traceparent"),
)
# Metadata is caller-controlled: a cap keeps one odd call from writing a huge line.
_MAX_ID_LENGTH = 256


@dataclass(frozen=True)
class ValidationObservation:
    result: ValidationResult
    document_bytes: int
    duration_seconds: float
    ids: dict[str, str] = field(default_factory=dict)


def result_of(result: ValidationResult) -> Result:
    if result.valid:
        return "valid"
    if any(error.code in _REFUSALS for error in result.errors):
        return "refused"
    return "invalid"


def call_ids(metadata: Iterable[tuple[str, str | bytes]] | None) -> dict[str, str]:
    """The ids present in a call's metadata, by log field; absent or empty ones left out."""
    given = {key: value for key, value in metadata or () if isinstance(value, str)}
    return {
        name: given[key][:_MAX_ID_LENGTH] for key, name in _ID_KEYS if given.get(key)
    }


class ValidationObserver:
    def __init__(self, metrics: ValidationMetrics, log: logging.Logger) -> None:
        self._metrics = metrics
        self._log = log

    def __call__(self, observation: ValidationObservation) -> None:
        result = result_of(observation.result)
        self._metrics.validations.labels(result=result).inc()
        self._metrics.duration.observe(observation.duration_seconds)
        self._metrics.document_bytes.observe(observation.document_bytes)
        errors = observation.result.errors
        fields = {
            **observation.ids,
            "result": result,
            "bytes": observation.document_bytes,
            "duration_ms": round(observation.duration_seconds * 1000.0, 3),
            "error_count": len(errors),
            "error_codes": sorted({error.code.value for error in errors}),
        }
        self._log.info("validated", extra={FIELDS: fields})
