"""Integration: every MIWG reference model and every broken document through a real validator
server over gRPC, with the code, line, column and message a client gets.

The server is this checkout's (`python -m flowledger_validator`, as the stack starts it), on a
free port of its own, so the tests check the code under test rather than whatever the stack
happens to run; it is stopped at the end of the module.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import BROKEN_AT_DEFAULT_LIMITS, INVALID_DIR, MIWG_FILES, ExpectedError
from flowledger_validator.config import load_config
from validator_process import MIB, running_validator

sys.path.insert(0, str(load_config().stubs_dir))
from flowledger.validation.v1 import validation_pb2, validation_pb2_grpc  # noqa: E402

pytestmark = pytest.mark.integration

CALL_TIMEOUT_SECONDS = 10


@pytest.fixture(scope="module")
def stub():
    with running_validator("validator-tests.log") as validator:
        yield validation_pb2_grpc.XsdValidatorServiceStub(validator.channel)


def test_the_corpus_folder_holds_models() -> None:
    # An empty folder would leave the parametrized test below with nothing to check.
    assert MIWG_FILES


@pytest.mark.parametrize("path", MIWG_FILES, ids=lambda p: p.name)
def test_every_miwg_reference_model_is_valid_over_grpc(path: Path, stub) -> None:
    response = _validate(stub, path.read_bytes())

    assert list(response.errors) == []
    assert response.valid
    assert response.duration_ms > 0


@pytest.mark.parametrize("name", sorted(BROKEN_AT_DEFAULT_LIMITS))
def test_each_broken_document_gets_its_code_line_column_and_message_over_grpc(
    name: str, stub
) -> None:
    response = _validate(stub, (INVALID_DIR / name).read_bytes())

    assert not response.valid
    assert [
        ExpectedError(e.code, e.line, e.column, e.message) for e in response.errors
    ] == [BROKEN_AT_DEFAULT_LIMITS[name]]


def test_a_document_over_the_default_cap_is_refused_where_it_crosses_it(stub) -> None:
    xml = b"<a>" + b" " * (5 * MIB) + b"</a>"

    response = _validate(stub, xml)

    # One line: the first byte past the cap is column cap + 1.
    assert [ExpectedError(e.code, e.line, e.column, e.message) for e in response.errors] == [
        ExpectedError(
            "LIMIT_EXCEEDED", 1, 5 * MIB + 1, f"LIMIT_EXCEEDED: xml bytes {len(xml)} > max {5 * MIB}"
        )
    ]


def _validate(stub, xml: bytes):
    return stub.Validate(validation_pb2.ValidateRequest(xml=xml), timeout=CALL_TIMEOUT_SECONDS)
