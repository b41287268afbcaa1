"""gRPC edge of the validator: each Validate call, with the ids of its metadata, goes to
ValidateCall.

Needs the generated stubs (var/validator/generated) on sys.path; server.py puts them there.
"""
from __future__ import annotations

import grpc
from flowledger.validation.v1 import validation_pb2, validation_pb2_grpc

from flowledger_validator.validate_call import ValidateCall
from flowledger_validator.validation_observer import call_ids

SERVICE_NAME = validation_pb2.DESCRIPTOR.services_by_name["XsdValidatorService"].full_name


class XsdValidatorService(validation_pb2_grpc.XsdValidatorServiceServicer):
    def __init__(self, validate: ValidateCall) -> None:
        self._validate = validate

    def Validate(
        self, request: validation_pb2.ValidateRequest, context: grpc.ServicerContext
    ) -> validation_pb2.ValidateResponse:
        return self._validate(request, call_ids(context.invocation_metadata()))


def add_to_server(service: XsdValidatorService, server: grpc.Server) -> None:
    validation_pb2_grpc.add_XsdValidatorServiceServicer_to_server(service, server)
