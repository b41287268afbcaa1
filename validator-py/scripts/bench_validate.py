"""Average validation time of BPMN files, in the core and (if the server is up) over gRPC.

Usage: var/venv/validator/bin/python validator-py/scripts/bench_validate.py [FILE ...]
Defaults to MIWG C.4.0 (~100 KB) and C.9.1 (~10 KB). Bounded: a fixed number of runs each.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

_VALIDATOR_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_VALIDATOR_DIR))

from flowledger_validator.bpmn_schema import load_bpmn_schema  # noqa: E402
from flowledger_validator.config import load_config  # noqa: E402
from flowledger_validator.xsd_validation import ValidationLimits, validate_bpmn_xml  # noqa: E402

RUNS = 300
_MIWG = _VALIDATOR_DIR.parent / "tests" / "fixtures" / "miwg-reference"


def main(paths: list[Path]) -> None:
    config = load_config()
    schema = load_bpmn_schema(config.xsd_dir)
    limits = ValidationLimits(config.max_xml_bytes, config.max_errors)
    call_server = _server_call(config)
    for path in paths:
        xml = path.read_bytes()
        core = _average_ms(lambda: validate_bpmn_xml(xml, schema, limits))
        line = f"{path.name:>14} {len(xml):>7} bytes  core {core:.3f} ms"
        if call_server:
            line += f"  gRPC round trip {_average_ms(lambda: call_server(xml)):.3f} ms"
        print(line)


def _average_ms(run) -> float:
    for _ in range(20):  # warm-up
        run()
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.fmean(timings)


def _server_call(config):
    import grpc

    sys.path.insert(0, str(config.stubs_dir))
    from flowledger.validation.v1 import validation_pb2, validation_pb2_grpc

    port = int(os.environ.get("FLOWLEDGER_VALIDATOR_PORT", config.port))
    channel = grpc.insecure_channel(f"localhost:{port}")
    try:
        grpc.channel_ready_future(channel).result(timeout=2)
    except grpc.FutureTimeoutError:
        print(f"(no server on port {port}: core timings only)")
        return None
    stub = validation_pb2_grpc.XsdValidatorServiceStub(channel)
    return lambda xml: stub.Validate(validation_pb2.ValidateRequest(xml=xml), timeout=5)


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]] or [_MIWG / "C.4.0.bpmn", _MIWG / "C.9.1.bpmn"]
    main(args)
