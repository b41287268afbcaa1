"""Integration: a validator server of this checkout (free ports of its own) counts and times
what it checks on its Prometheus /metrics and logs one JSON line per document, never the document."""
from __future__ import annotations

import json
import sys
import time
import urllib.request
import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import INVALID_DIR, MIWG_DIR
from flowledger_validator.config import load_config
from validator_process import running_validator

sys.path.insert(0, str(load_config().stubs_dir))
from flowledger.validation.v1 import validation_pb2, validation_pb2_grpc  # noqa: E402

pytestmark = pytest.mark.integration

CALL_TIMEOUT_SECONDS = 10
VALID = (MIWG_DIR / "C.9.1.bpmn").read_bytes()
WRONG_ELEMENT = (INVALID_DIR / "wrong-element.bpmn").read_bytes()
NOT_XML = (INVALID_DIR / "not-xml.bpmn").read_bytes()
ENTITY_BOMB = (INVALID_DIR / "entity-expansion-bomb.bpmn").read_bytes()


@pytest.fixture(scope="module")
def validator():
    with running_validator("validator-observability-tests.log", truncate_log=True) as process:
        yield process


def test_validations_are_counted_by_result_and_timed_and_sized(validator) -> None:
    # given
    before = _scrape(validator)
    documents = [VALID, VALID, WRONG_ELEMENT, NOT_XML, ENTITY_BOMB]

    # when
    for xml in documents:
        _validate(validator, xml)

    # then
    after = _scrape(validator)

    def moved(name: str, **labels: str) -> float:
        return _sample(after, name, labels) - _sample(before, name, labels)

    assert moved("flowledger_validator_validations_total", result="valid") == 2
    assert moved("flowledger_validator_validations_total", result="invalid") == 2
    assert moved("flowledger_validator_validations_total", result="refused") == 1
    assert moved("flowledger_validator_duration_seconds_count") == len(documents)
    assert moved("flowledger_validator_duration_seconds_sum") > 0
    assert moved("flowledger_validator_document_bytes_count") == len(documents)
    assert moved("flowledger_validator_document_bytes_sum") == sum(len(xml) for xml in documents)
    # C.9.1 (about 10 KB) lands between the 4 KiB and 16 KiB buckets.
    assert moved("flowledger_validator_document_bytes_bucket", le="16384.0") - moved(
        "flowledger_validator_document_bytes_bucket", le="4096.0"
    ) == 2
    # The default process metrics are served beside them.
    assert _sample(after, "process_cpu_seconds_total", {}) > 0
    assert _sample(after, "python_info", None) == 1


def test_each_validation_is_one_json_line_with_result_size_time_and_error_count(validator) -> None:
    # given
    tenant, request_id = "acme", f"req-{uuid.uuid4()}"

    # when
    response = _validate(
        validator, WRONG_ELEMENT, [("x-tenant-id", tenant), ("x-request-id", request_id)]
    )
    _validate(validator, VALID, [("x-request-id", request_id)])

    # then
    lines = _log_lines(validator, request_id, 2)
    invalid, valid = lines
    assert invalid == {
        "level": "info",
        "time": invalid["time"],
        "service": "validator",
        "logger": "flowledger.validator",
        "msg": "validated",
        "tenant_id": tenant,
        "request_id": request_id,
        "result": "invalid",
        "bytes": len(WRONG_ELEMENT),
        "duration_ms": invalid["duration_ms"],
        "error_count": len(response.errors),
        "error_codes": ["XSD_INVALID"],
    }
    assert invalid["time"].endswith("Z")
    # The same measurement as the response's, in the log to the microsecond.
    assert invalid["duration_ms"] == round(response.duration_ms, 3) > 0
    assert valid["result"] == "valid"
    assert (valid["bytes"], valid["error_count"], valid["error_codes"]) == (len(VALID), 0, [])
    assert "tenant_id" not in valid
    # Neither the document nor libxml2's messages, which quote it, reach the log.
    assert "taskk" in response.errors[0].message
    assert "taskk" not in validator.output()


def test_a_refused_document_is_logged_as_refused(validator) -> None:
    request_id = f"req-{uuid.uuid4()}"

    _validate(validator, ENTITY_BOMB, [("x-request-id", request_id)])

    [line] = _log_lines(validator, request_id, 1)
    assert (line["result"], line["error_codes"]) == ("refused", ["DOCTYPE_FORBIDDEN"])
    assert "ENTITY" not in validator.output()


def _validate(validator, xml: bytes, metadata: list[tuple[str, str]] | None = None):
    stub = validation_pb2_grpc.XsdValidatorServiceStub(validator.channel)
    return stub.Validate(
        validation_pb2.ValidateRequest(xml=xml), metadata=metadata, timeout=CALL_TIMEOUT_SECONDS
    )


def _scrape(validator) -> list:
    with urllib.request.urlopen(validator.metrics_url, timeout=5) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        return list(text_string_to_metric_families(response.read().decode("utf-8")))


def _sample(families: list, name: str, labels: dict[str, str] | None) -> float:
    """The value of the sample `name` whose labels include `labels` (None: any labels); 0 if absent."""
    for family in families:
        for sample in family.samples:
            if sample.name == name and (
                labels is None or all(sample.labels.get(k) == v for k, v in labels.items())
            ):
                return sample.value
    return 0.0


def _log_lines(validator, request_id: str, count: int) -> list[dict]:
    """The server's JSON lines for `request_id`, once `count` are out (output is line-buffered, not instant)."""
    deadline = time.monotonic() + 5
    while True:
        lines = [
            json.loads(line)
            for line in validator.output().splitlines()
            if request_id in line
        ]
        if len(lines) >= count or time.monotonic() > deadline:
            assert len(lines) == count, lines
            return lines
        time.sleep(0.05)
