"""Fetches the OMG BPMN 2.0 XSDs from a pinned Maven Central jar into var/validator/xsd.

The jar `org.camunda.bpm.model:camunda-bpmn-model` ships the five OMG files (BPMN20, Semantic,
BPMNDI, DI, DC) under org/camunda/bpm/model/bpmn/schema/. Maven's own client downloads it;
the jar and each extracted file are checked against the checksums pinned below.
Idempotent: does nothing when the five files are present with the pinned checksums.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ARTIFACT = "org.camunda.bpm.model:camunda-bpmn-model:7.24.0:jar"
JAR_NAME = "camunda-bpmn-model-7.24.0.jar"
JAR_SHA256 = "49c0d911e5dbe88a7794b1cd2660592d76b7af7622027ee9ad7b97cefcd50674"
SCHEMA_FOLDER_IN_JAR = "org/camunda/bpm/model/bpmn/schema/"
XSD_SHA256 = {
    "BPMN20.xsd": "165ce3c1d9b9bd39ca0e8884cc0fc3ce1940e163d015d9f1c9d910dd3a6a5306",
    "Semantic.xsd": "521f69e5a1740a6a9817e213af66546b270e9f00e1a0fb616e7350c8faef83fa",
    "BPMNDI.xsd": "1bfaab6a1e3b4184055100b15d1404e3414601fd47768feb7e932b4cd49fe77f",
    "DI.xsd": "62fa0d89138ac5de62152061be07c899a74e7b983c0486dc6803113e1a5f94a2",
    "DC.xsd": "b325cd3c0d03628d5a4e10f78a1e8816b4344a2b35c459b4f5ca1a9c71097590",
}

_REPO_ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    xsd_dir = _REPO_ROOT / "var" / "validator" / "xsd"
    if all(_sha256(xsd_dir / name) == digest for name, digest in XSD_SHA256.items()):
        print(f"BPMN XSDs already in {xsd_dir}")
        return 0
    download_dir = _REPO_ROOT / "var" / "validator" / "download"
    download_dir.mkdir(parents=True, exist_ok=True)
    jar = download_dir / JAR_NAME
    if _sha256(jar) != JAR_SHA256:
        subprocess.run(
            ["mvn", "-q", "-B", "-Dstyle.color=never", "dependency:copy", f"-Dartifact={ARTIFACT}",
             f"-DoutputDirectory={download_dir}"],
            cwd=tempfile.gettempdir(),  # no project: dependency:copy runs on the artifact alone
            check=True,
        )
    actual = _sha256(jar)
    if actual != JAR_SHA256:
        print(f"{jar}: sha256 {actual}, expected {JAR_SHA256}", file=sys.stderr)
        return 1
    xsd_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(jar) as archive:
        for name, digest in XSD_SHA256.items():
            content = archive.read(SCHEMA_FOLDER_IN_JAR + name)
            if hashlib.sha256(content).hexdigest() != digest:
                print(f"{name} in {jar}: checksum differs from the pinned one", file=sys.stderr)
                return 1
            (xsd_dir / name).write_bytes(content)
    print(f"BPMN XSDs from {ARTIFACT} extracted into {xsd_dir}")
    return 0


def _sha256(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


if __name__ == "__main__":
    sys.exit(main())
