"""Shared fixtures: where the corpora live, what each broken document must get, and the
compiled BPMN schema (compiled once)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from flowledger_validator.bpmn_schema import load_bpmn_schema
from flowledger_validator.config import load_config

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parents[1]
MIWG_DIR = REPO_ROOT / "tests" / "fixtures" / "miwg-reference"
INVALID_DIR = TESTS_DIR / "fixtures" / "invalid"
MIWG_FILES = sorted(MIWG_DIR.glob("*.bpmn"))

_BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
_DOCTYPE_FORBIDDEN = (
    "DOCTYPE_FORBIDDEN: BPMN documents may not declare a DTD (no DOCTYPE, no entities)"
)


@dataclass(frozen=True)
class ExpectedError:
    code: str
    line: int
    column: int
    message: str


# Each broken fixture at the default limits: its one error, in-process and over gRPC alike.
# Schema violations point at the start tag of the element libxml2 names (error_position.py).
BROKEN_AT_DEFAULT_LIMITS = {
    "wrong-element.bpmn": ExpectedError(
        "XSD_INVALID",
        5,
        5,
        f"Element '{_BPMN}taskk': This element is not expected. Expected is one of ( "
        + ", ".join(
            _BPMN + name
            for name in (
                "artifact", "association", "group", "textAnnotation", "resourceRole",
                "performer", "humanPerformer", "potentialOwner", "correlationSubscription",
                "supports",
            )
        )
        + " ).",
    ),
    "missing-required-attribute.bpmn": ExpectedError(
        "XSD_INVALID",
        6,
        5,
        f"Element '{_BPMN}sequenceFlow': The attribute 'targetRef' is required but missing.",
    ),
    "duplicate-id.bpmn": ExpectedError(
        "XSD_INVALID",
        6,
        5,
        f"Element '{_BPMN}task', attribute 'id': 'Task_1' is not a valid value of the atomic "
        "type 'xs:ID'.",
    ),
    # The attribute value on line 4 never closes; libxml2 trips over the '<' of line 5.
    "not-xml.bpmn": ExpectedError(
        "NOT_WELL_FORMED",
        5,
        3,
        "NOT_WELL_FORMED: Unescaped '<' not allowed in attributes values, line 5, column 3",
    ),
    "entity-expansion-bomb.bpmn": ExpectedError("DOCTYPE_FORBIDDEN", 2, 1, _DOCTYPE_FORBIDDEN),
    "external-entity.bpmn": ExpectedError("DOCTYPE_FORBIDDEN", 3, 1, _DOCTYPE_FORBIDDEN),
}
# Valid BPMN, refused only under a cap smaller than the default (test_xsd_validation.py).
OVERSIZE_FIXTURE = "oversize.bpmn"


@pytest.fixture(scope="session")
def bpmn_schema() -> etree.XMLSchema:
    return load_bpmn_schema(load_config().xsd_dir)
