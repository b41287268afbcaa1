"""The validator's core: one pure function from XML bytes and a compiled schema to a result.

No I/O, no clock: the gRPC adapter times the call and maps the result to the wire.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from lxml import etree

from flowledger_validator.doctype_guard import find_doctype_line
from flowledger_validator.error_position import ErrorPositions


class ErrorCode(str, Enum):
    NOT_WELL_FORMED = "NOT_WELL_FORMED"
    DOCTYPE_FORBIDDEN = "DOCTYPE_FORBIDDEN"
    XSD_INVALID = "XSD_INVALID"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"


@dataclass(frozen=True)
class XsdError:
    code: ErrorCode
    message: str
    # 1-based; 0 only when the parser gives no position (e.g. an empty document).
    line: int
    column: int


@dataclass(frozen=True)
class ValidationResult:
    errors: tuple[XsdError, ...]

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ValidationLimits:
    max_xml_bytes: int
    max_errors: int


def validate_bpmn_xml(
    xml: bytes, schema: etree.XMLSchema, limits: ValidationLimits
) -> ValidationResult:
    """Checks size, then the absence of a DOCTYPE, then well-formedness, then the XSDs.

    `schema` must not be used by another thread during the call (lxml keeps the error log
    on the schema object).
    """
    if len(xml) > limits.max_xml_bytes:
        return _failed(_limit_exceeded(xml, limits.max_xml_bytes))
    doctype_line = find_doctype_line(xml)
    if doctype_line is not None:
        return _failed(_doctype_forbidden(doctype_line))
    try:
        root = etree.fromstring(xml, _safe_parser())
    except etree.XMLSyntaxError as syntax_error:
        return _failed(_not_well_formed(syntax_error))
    docinfo = root.getroottree().docinfo
    # Second line of defence for encodings the prolog scan does not decode.
    if docinfo.doctype or docinfo.internalDTD is not None:
        return _failed(_doctype_forbidden(1))
    if schema.validate(root):
        return ValidationResult(errors=())
    positions = ErrorPositions(xml, root)
    return ValidationResult(
        errors=tuple(
            XsdError(ErrorCode.XSD_INVALID, entry.message, *positions.locate(entry.line, entry.message))
            for entry in list(schema.error_log)[: limits.max_errors]
        )
    )


def _safe_parser() -> etree.XMLParser:
    # A parser per call: lxml parsers are not meant to be shared between threads, and
    # building one costs microseconds.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def _failed(error: XsdError) -> ValidationResult:
    return ValidationResult(errors=(error,))


def _limit_exceeded(xml: bytes, max_bytes: int) -> XsdError:
    # Points at where the document crosses the limit.
    line = xml.count(b"\n", 0, max_bytes) + 1
    column = max_bytes - (xml.rfind(b"\n", 0, max_bytes) + 1) + 1
    return XsdError(
        ErrorCode.LIMIT_EXCEEDED,
        f"LIMIT_EXCEEDED: xml bytes {len(xml)} > max {max_bytes}",
        line,
        column,
    )


def _doctype_forbidden(line: int) -> XsdError:
    return XsdError(
        ErrorCode.DOCTYPE_FORBIDDEN,
        "DOCTYPE_FORBIDDEN: BPMN documents may not declare a DTD (no DOCTYPE, no entities)",
        line,
        1,
    )


def _not_well_formed(syntax_error: etree.XMLSyntaxError) -> XsdError:
    line, column = syntax_error.position if syntax_error.position else (0, 0)
    return XsdError(
        ErrorCode.NOT_WELL_FORMED,
        f"NOT_WELL_FORMED: {syntax_error.msg}",
        line or 0,
        column or 0,
    )
