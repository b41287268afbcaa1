"""Integration: the running validator server (started by the stack) over real gRPC.

Reads FLOWLEDGER_VALIDATOR_PORT (default 50061). An unreachable server fails these tests.
"""
from __future__ import annotations

import os
import sys

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from conftest import INVALID_DIR, MIWG_DIR
from flowledger_validator.config import load_config

sys.path.insert(0, str(load_config().stubs_dir))
from flowledger.validation.v1 import validation_pb2, validation_pb2_grpc  # noqa: E402

pytestmark = pytest.mark.integration

HOST = os.environ.get("FLOWLEDGER_HOST", "localhost")
PORT = int(os.environ.get("FLOWLEDGER_VALIDATOR_PORT", "50061"))
TIMEOUT_SECONDS = 5


@pytest.fixture(scope="module")
def channel():
    with grpc.insecure_channel(
        f"{HOST}:{PORT}", options=[("grpc.max_send_message_length", 16 * 1024 * 1024)]
    ) as opened:
        try:
            grpc.channel_ready_future(opened).result(timeout=TIMEOUT_SECONDS)
        except grpc.FutureTimeoutError:
            pytest.fail(f"validator not reachable at {HOST}:{PORT}: is the stack up?")
        yield opened


def test_health_reports_serving_for_the_server_and_the_service(channel) -> None:
    health = health_pb2_grpc.HealthStub(channel)
    for service in ("", "flowledger.validation.v1.XsdValidatorService"):
        response = health.Check(
            health_pb2.HealthCheckRequest(service=service), timeout=TIMEOUT_SECONDS
        )
        assert response.status == health_pb2.HealthCheckResponse.SERVING


def test_a_miwg_reference_model_is_valid(channel) -> None:
    xml = (MIWG_DIR / "C.4.0.bpmn").read_bytes()

    response = validation_pb2_grpc.XsdValidatorServiceStub(channel).Validate(
        validation_pb2.ValidateRequest(xml=xml), timeout=TIMEOUT_SECONDS
    )

    assert response.valid
    assert list(response.errors) == []
    assert response.duration_ms > 0


def test_a_schema_violation_comes_back_with_code_and_position(channel) -> None:
    xml = (INVALID_DIR / "missing-required-attribute.bpmn").read_bytes()

    response = validation_pb2_grpc.XsdValidatorServiceStub(channel).Validate(
        validation_pb2.ValidateRequest(xml=xml), timeout=TIMEOUT_SECONDS
    )

    assert not response.valid
    [error] = response.errors
    assert (error.code, error.line) == ("XSD_INVALID", 6)
    assert "targetRef" in error.message


def test_a_bomb_is_refused_with_doctype_forbidden(channel) -> None:
    xml = (INVALID_DIR / "entity-expansion-bomb.bpmn").read_bytes()

    response = validation_pb2_grpc.XsdValidatorServiceStub(channel).Validate(
        validation_pb2.ValidateRequest(xml=xml), timeout=TIMEOUT_SECONDS
    )

    assert [(e.code, e.line) for e in response.errors] == [("DOCTYPE_FORBIDDEN", 2)]


def test_a_document_over_the_default_cap_gets_limit_exceeded(channel) -> None:
    xml = b"<a>" + b" " * (5 * 1024 * 1024) + b"</a>"

    response = validation_pb2_grpc.XsdValidatorServiceStub(channel).Validate(
        validation_pb2.ValidateRequest(xml=xml), timeout=TIMEOUT_SECONDS
    )

    [error] = response.errors
    assert error.code == "LIMIT_EXCEEDED"
    assert error.message.startswith(f"LIMIT_EXCEEDED: xml bytes {len(xml)} > max ")


def test_concurrent_calls_each_get_their_own_result(channel) -> None:
    from concurrent.futures import ThreadPoolExecutor

    stub = validation_pb2_grpc.XsdValidatorServiceStub(channel)
    valid = (MIWG_DIR / "A.2.0.bpmn").read_bytes()
    invalid = (INVALID_DIR / "wrong-element.bpmn").read_bytes()
    documents = [valid if i % 2 == 0 else invalid for i in range(40)]

    def validate(xml: bytes):
        return stub.Validate(validation_pb2.ValidateRequest(xml=xml), timeout=TIMEOUT_SECONDS)

    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(validate, documents))

    for xml, response in zip(documents, responses):
        if xml is valid:
            assert response.valid and not response.errors
        else:
            assert [(e.code, e.line) for e in response.errors] == [("XSD_INVALID", 5)]
