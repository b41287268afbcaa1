"""Schema violations point at the start tag of the element they name, even where libxml2
reports only the line on which that tag ends."""
from __future__ import annotations

from lxml import etree

from conftest import INVALID_DIR
from flowledger_validator.xsd_validation import ValidationLimits, validate_bpmn_xml

LIMITS = ValidationLimits(max_xml_bytes=1024 * 1024, max_errors=50)


def _document(process_body: str, encoding: str = "UTF-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'id="D" targetNamespace="x">\n'
        '  <bpmn:process id="P">\n'
        f"{process_body}"
        "  </bpmn:process>\n"
        "</bpmn:definitions>\n"
    )


def _positions(xml: bytes, schema: etree.XMLSchema) -> list[tuple[int, int]]:
    return [(e.line, e.column) for e in validate_bpmn_xml(xml, schema, LIMITS).errors]


def test_a_start_tag_over_several_lines_is_located_where_it_begins(
    bpmn_schema: etree.XMLSchema,
) -> None:
    # given a misspelt element whose start tag spans lines 4 to 6 (libxml2 says line 6)
    xml = _document('    <bpmn:taskk\n       id="T1"\n       name="x" />\n').encode()

    # then the error points at its "<" on line 4
    assert _positions(xml, bpmn_schema) == [(4, 5)]


def test_the_column_counts_characters_not_bytes(bpmn_schema: etree.XMLSchema) -> None:
    # given two multi-byte characters before the offending tag on its line
    xml = _document('    <bpmn:task id="A" name="éé" /><bpmn:taskk id="B" />\n').encode()

    assert _positions(xml, bpmn_schema) == [(4, 35)]


def test_a_default_namespace_element_is_found_by_its_bare_name(
    bpmn_schema: etree.XMLSchema,
) -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" '
        'targetNamespace="x">\n'
        '  <process id="P">\n'
        '      <sequenceFlow id="F" sourceRef="P" />\n'
        "  </process>\n"
        "</definitions>\n"
    ).encode()

    assert _positions(xml, bpmn_schema) == [(4, 7)]


def test_a_utf16_document_gets_the_same_positions(bpmn_schema: etree.XMLSchema) -> None:
    text = (INVALID_DIR / "wrong-element.bpmn").read_text(encoding="utf-8")
    utf16 = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")

    assert _positions(utf16, bpmn_schema) == [(5, 5)]
