"""One Validate call, whatever carried it: ValidateRequest and the caller's ids in, ValidateResponse
out, with the validation observed (log line, metrics). The gRPC and the socket adapters both use it.

Needs the generated stubs (var/validator/generated) on sys.path; server.py puts them there.
"""
from __future__ import annotations

import time
from typing import Callable

from flowledger.validation.v1 import validation_pb2

from flowledger_validator.bpmn_schema import SchemaPool
from flowledger_validator.validation_observer import ValidationObservation
from flowledger_validator.xsd_validation import (
    ValidationLimits,
    ValidationResult,
    validate_bpmn_xml,
)


class ValidateCall:
    def __init__(
        self,
        schemas: SchemaPool,
        limits: ValidationLimits,
        clock: Callable[[], float] = time.perf_counter,
        observe: Callable[[ValidationObservation], None] = lambda _: None,
    ) -> None:
        self._schemas = schemas
        self._limits = limits
        self._clock = clock
        self._observe = observe

    def __call__(
        self, request: validation_pb2.ValidateRequest, ids: dict[str, str]
    ) -> validation_pb2.ValidateResponse:
        """`ids`: the log fields of the call's ids (validation_observer.call_ids)."""
        started = self._clock()
        with self._schemas.borrow() as schema:
            result = validate_bpmn_xml(request.xml, schema, self._limits)
        seconds = self._clock() - started
        self._observe(ValidationObservation(result, len(request.xml), seconds, ids))
        return _to_response(result, seconds * 1000.0)


def _to_response(result: ValidationResult, duration_ms: float) -> validation_pb2.ValidateResponse:
    return validation_pb2.ValidateResponse(
        valid=result.valid,
        errors=[
            validation_pb2.XsdError(
                message=error.message,
                line=error.line,
                column=error.column,
                code=error.code.value,
            )
            for error in result.errors
        ],
        duration_ms=duration_ms,
    )
