"""The core against the MIWG reference corpus (all valid) and the broken fixtures (each refused)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from lxml import etree

from conftest import (
    BROKEN_AT_DEFAULT_LIMITS,
    INVALID_DIR,
    MIWG_DIR,
    MIWG_FILES,
    OVERSIZE_FIXTURE,
    ExpectedError,
)
from flowledger_validator.xsd_validation import (
    ErrorCode,
    ValidationLimits,
    validate_bpmn_xml,
)

DEFAULT_LIMITS = ValidationLimits(max_xml_bytes=5 * 1024 * 1024, max_errors=50)


def test_the_miwg_corpus_is_all_there() -> None:
    assert len(MIWG_FILES) == 21
    assert (MIWG_DIR / "SOURCE.md").is_file()


@pytest.mark.parametrize("path", MIWG_FILES, ids=lambda p: p.name)
def test_every_miwg_reference_model_is_valid(path: Path, bpmn_schema: etree.XMLSchema) -> None:
    result = validate_bpmn_xml(path.read_bytes(), bpmn_schema, DEFAULT_LIMITS)

    assert result.errors == ()
    assert result.valid


def test_every_invalid_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in INVALID_DIR.glob("*.bpmn")) == sorted(
        [*BROKEN_AT_DEFAULT_LIMITS, OVERSIZE_FIXTURE]
    )


@pytest.mark.parametrize("name", sorted(BROKEN_AT_DEFAULT_LIMITS))
def test_each_broken_fixture_is_refused_fast_with_its_code_position_and_message(
    name: str, bpmn_schema: etree.XMLSchema
) -> None:
    started = time.perf_counter()
    result = validate_bpmn_xml((INVALID_DIR / name).read_bytes(), bpmn_schema, DEFAULT_LIMITS)
    elapsed = time.perf_counter() - started

    assert not result.valid
    assert [
        ExpectedError(e.code.value, e.line, e.column, e.message) for e in result.errors
    ] == [BROKEN_AT_DEFAULT_LIMITS[name]]
    # A sanity bound (the bomb above all), not a benchmark.
    assert elapsed < 1.0


def test_a_document_over_a_small_cap_is_refused_where_it_crosses_it(
    bpmn_schema: etree.XMLSchema,
) -> None:
    xml = (INVALID_DIR / OVERSIZE_FIXTURE).read_bytes()

    [error] = validate_bpmn_xml(xml, bpmn_schema, ValidationLimits(512, max_errors=50)).errors

    # Byte 513 is the second character of line 7.
    assert (error.code, error.line, error.column) == (ErrorCode.LIMIT_EXCEEDED, 7, 2)
    assert error.message == f"LIMIT_EXCEEDED: xml bytes {len(xml)} > max 512"


def test_a_duplicate_id_is_reported_as_an_invalid_xs_id(bpmn_schema: etree.XMLSchema) -> None:
    xml = (INVALID_DIR / "duplicate-id.bpmn").read_bytes()

    [error] = validate_bpmn_xml(xml, bpmn_schema, DEFAULT_LIMITS).errors

    assert "'Task_1'" in error.message and "xs:ID" in error.message


def test_the_limit_error_names_the_size_and_the_limit(bpmn_schema: etree.XMLSchema) -> None:
    oversize = b"<a>" + b" " * (5 * 1024 * 1024) + b"</a>"

    [error] = validate_bpmn_xml(oversize, bpmn_schema, DEFAULT_LIMITS).errors

    assert error.code is ErrorCode.LIMIT_EXCEEDED
    assert error.message == f"LIMIT_EXCEEDED: xml bytes {len(oversize)} > max {5 * 1024 * 1024}"


def test_a_bomb_in_utf16_is_refused_too(bpmn_schema: etree.XMLSchema) -> None:
    bomb = (INVALID_DIR / "entity-expansion-bomb.bpmn").read_text(encoding="utf-8")
    utf16 = bomb.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")

    started = time.perf_counter()
    [error] = validate_bpmn_xml(utf16, bpmn_schema, DEFAULT_LIMITS).errors

    assert error.code is ErrorCode.DOCTYPE_FORBIDDEN
    assert error.line == 2
    assert time.perf_counter() - started < 1.0


def test_a_doctype_mentioned_in_a_comment_is_not_a_doctype(bpmn_schema: etree.XMLSchema) -> None:
    xml = (MIWG_DIR / "A.1.0.bpmn").read_bytes().replace(
        b"?>", b"?>\n<!-- no <!DOCTYPE here -->", 1
    )

    assert validate_bpmn_xml(xml, bpmn_schema, DEFAULT_LIMITS).valid


def test_errors_are_capped_in_number(bpmn_schema: etree.XMLSchema) -> None:
    tasks = b"".join(b'<bpmn:taskk id="T%d"/>' % i for i in range(20))
    xml = (
        b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        b'targetNamespace="x"><bpmn:process id="P">' + tasks + b"</bpmn:process></bpmn:definitions>"
    )

    result = validate_bpmn_xml(xml, bpmn_schema, ValidationLimits(1024 * 1024, max_errors=3))

    assert 1 <= len(result.errors) <= 3
    assert all(e.code is ErrorCode.XSD_INVALID for e in result.errors)


@pytest.mark.parametrize("xml", [b"", b"not xml at all", b"\xff\xfe\x00garbage"])
def test_anything_but_xml_is_not_well_formed(xml: bytes, bpmn_schema: etree.XMLSchema) -> None:
    [error] = validate_bpmn_xml(xml, bpmn_schema, DEFAULT_LIMITS).errors

    assert error.code is ErrorCode.NOT_WELL_FORMED
