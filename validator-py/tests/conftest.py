"""Shared fixtures: where the corpora live and the compiled BPMN schema (compiled once)."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from flowledger_validator.bpmn_schema import load_bpmn_schema
from flowledger_validator.config import load_config

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parents[1]
MIWG_DIR = REPO_ROOT / "tests" / "fixtures" / "miwg-reference"
INVALID_DIR = TESTS_DIR / "fixtures" / "invalid"


@pytest.fixture(scope="session")
def bpmn_schema() -> etree.XMLSchema:
    return load_bpmn_schema(load_config().xsd_dir)
