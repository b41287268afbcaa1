"""gRPC edge of the validator: maps ValidateRequest to the core and its result to the wire.

Needs the generated stubs (var/validator/generated) on sys.path; server.py puts them there.
"""
from __future__ import annotations

import time
from typing import Callable

import grpc
from flowledger.validation.v1 import validation_pb2, validation_pb2_grpc

from flowledger_validator.bpmn_schema import SchemaPool
from flowledger_validator.validation_observer import ValidationObservation, call_ids
from flowledger_validator.xsd_validation import (
    ValidationLimits,
    ValidationResult,
    validate_bpmn_xml,
)

SERVICE_NAME = validation_pb2.DESCRIPTOR.services_by_name["XsdValidatorService"].full_name


class XsdValidatorService(validation_pb2_grpc.XsdValidatorServiceServicer):
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

    def Validate(
        self, request: validation_pb2.ValidateRequest, context: grpc.ServicerContext
    ) -> validation_pb2.ValidateResponse:
        started = self._clock()
        with self._schemas.borrow() as schema:
            result = validate_bpmn_xml(request.xml, schema, self._limits)
        seconds = self._clock() - started
        self._observe(
            ValidationObservation(
                result, len(request.xml), seconds, call_ids(context.invocation_metadata())
            )
        )
        return _to_response(result, seconds * 1000.0)


def add_to_server(service: XsdValidatorService, server: grpc.Server) -> None:
    validation_pb2_grpc.add_XsdValidatorServiceServicer_to_server(service, server)


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
