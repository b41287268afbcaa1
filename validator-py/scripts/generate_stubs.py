"""Generates the Python gRPC stubs of flowledger.validation.v1 into var/validator/generated.

Generated code is never committed nor edited by hand; the install runs this every time the
proto may have changed (it is cheap).
"""
from __future__ import annotations

import sys
from pathlib import Path

from grpc_tools import protoc

_REPO_ROOT = Path(__file__).resolve().parents[2]
PROTO_ROOT = _REPO_ROOT / "schemas" / "proto"
PROTOS = ["flowledger/validation/v1/validation.proto"]


def main() -> int:
    out_dir = _REPO_ROOT / "var" / "validator" / "generated"
    out_dir.mkdir(parents=True, exist_ok=True)
    status = protoc.main(
        [
            "grpc_tools.protoc",
            f"-I{PROTO_ROOT}",
            f"--python_out={out_dir}",
            f"--pyi_out={out_dir}",
            f"--grpc_python_out={out_dir}",
            *PROTOS,
        ]
    )
    if status != 0:
        print(f"protoc failed with status {status}", file=sys.stderr)
        return status
    print(f"stubs for {', '.join(PROTOS)} generated into {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
