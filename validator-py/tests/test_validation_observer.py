"""How a validation becomes a result label, log fields and a JSON line (no server)."""
from __future__ import annotations

import io
import json
import logging

import pytest

from flowledger_validator.json_log import FIELDS, JsonFormatter
from flowledger_validator.validation_metrics import ValidationMetrics
from flowledger_validator.validation_observer import (
    ValidationObservation,
    ValidationObserver,
    call_ids,
    result_of,
)
from flowledger_validator.xsd_validation import ErrorCode, ValidationResult, XsdError


def _failed(*codes: ErrorCode) -> ValidationResult:
    return ValidationResult(errors=tuple(XsdError(code, "message", 1, 1) for code in codes))


@pytest.mark.parametrize(
    ("result", "label"),
    [
        (ValidationResult(errors=()), "valid"),
        (_failed(ErrorCode.XSD_INVALID, ErrorCode.XSD_INVALID), "invalid"),
        (_failed(ErrorCode.NOT_WELL_FORMED), "invalid"),
        (_failed(ErrorCode.LIMIT_EXCEEDED), "refused"),
        (_failed(ErrorCode.DOCTYPE_FORBIDDEN), "refused"),
    ],
)
def test_each_result_gets_its_label(result: ValidationResult, label: str) -> None:
    assert result_of(result) == label


def test_call_ids_keep_the_known_keys_and_leave_out_empty_binary_and_unknown_ones() -> None:
    ids = call_ids(
        [
            ("x-tenant-id", "acme"),
            ("x-diagram-id", ""),
            ("x-request-id", "r" * 1000),
            ("x-transaction-id-bin", b"\x00"),
            ("authorization", "Bearer secret"),
        ]
    )

    assert ids == {"tenant_id": "acme", "request_id": "r" * 256}
    assert call_ids(None) == {}


def test_the_observer_counts_and_logs_one_json_line_without_messages() -> None:
    # given
    stream = io.StringIO()
    log = logging.getLogger("flowledger.validator.test-observer")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    metrics = ValidationMetrics()
    observe = ValidationObserver(metrics, log)
    result = ValidationResult(
        errors=(XsdError(ErrorCode.XSD_INVALID, "Element 'secret-name': not expected", 3, 5),)
    )

    # when
    observe(ValidationObservation(result, 1234, 0.0025, {"tenant_id": "acme"}))

    # then
    [line] = stream.getvalue().splitlines()
    assert json.loads(line) == {
        "level": "info",
        "time": json.loads(line)["time"],
        "service": "validator",
        "logger": "flowledger.validator.test-observer",
        "msg": "validated",
        "tenant_id": "acme",
        "result": "invalid",
        "bytes": 1234,
        "duration_ms": 2.5,
        "error_count": 1,
        "error_codes": ["XSD_INVALID"],
    }
    assert "secret-name" not in line
    value = metrics.registry.get_sample_value
    assert value("flowledger_validator_validations_total", {"result": "invalid"}) == 1
    assert value("flowledger_validator_validations_total", {"result": "valid"}) == 0
    assert value("flowledger_validator_duration_seconds_sum") == 0.0025
    assert value("flowledger_validator_document_bytes_sum") == 1234


def test_a_field_of_any_type_still_gives_a_json_line() -> None:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "odd %s", ("value",), None)
    setattr(record, FIELDS, {"path": object()})

    line = json.loads(JsonFormatter().format(record))

    assert (line["level"], line["msg"]) == ("warning", "odd value")
    assert line["path"].startswith("<object object")
