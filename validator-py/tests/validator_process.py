"""Starts this checkout's validator (`python -m flowledger_validator`, as the stack does) on free
gRPC and metrics ports of its own, so integration tests check the code under test rather than
whatever server the stack happens to run."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

PROJECT_DIR = Path(__file__).resolve().parents[1]
LOG_DIR = PROJECT_DIR.parent / "var" / "log"
START_TIMEOUT_SECONDS = 30
MIB = 1024 * 1024


@dataclass(frozen=True)
class ValidatorProcess:
    channel: grpc.Channel
    metrics_url: str
    log_path: Path

    def output(self) -> str:
        """Everything the server has printed so far (its JSON log lines)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextmanager
def running_validator(
    log_name: str,
    truncate_log: bool = False,
    socket_path: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[ValidatorProcess]:
    """The server, serving; stopped (SIGTERM, then SIGKILL) on exit. Output in var/log/<log_name>.

    `socket_path`: also serves the local socket there (none otherwise, whatever the environment says).
    `env`: more settings (FLOWLEDGER_VALIDATOR_*).
    """
    port, metrics_port = free_port(), free_port()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / log_name
    log = open(log_path, "wb" if truncate_log else "ab")
    server = subprocess.Popen(
        [sys.executable, "-m", "flowledger_validator"],
        cwd=PROJECT_DIR,
        env={
            **os.environ,
            "FLOWLEDGER_VALIDATOR_PORT": str(port),
            "FLOWLEDGER_VALIDATOR_BIND_HOST": "127.0.0.1",
            "FLOWLEDGER_VALIDATOR_METRICS_PORT": str(metrics_port),
            "FLOWLEDGER_VALIDATOR_METRICS_BIND_HOST": "127.0.0.1",
            # Never the stack's socket: a test server must not collide with the running one.
            "FLOWLEDGER_VALIDATOR_SOCKET": str(socket_path) if socket_path else "",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    channel = grpc.insecure_channel(
        f"127.0.0.1:{port}", options=[("grpc.max_send_message_length", 16 * MIB)]
    )
    try:
        _wait_until_serving(channel, server, log_name)
        yield ValidatorProcess(channel, f"http://127.0.0.1:{metrics_port}/metrics", log_path)
    finally:
        channel.close()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(channel: grpc.Channel, server: subprocess.Popen, log_name: str) -> None:
    health = health_pb2_grpc.HealthStub(channel)
    request = health_pb2.HealthCheckRequest(service="flowledger.validation.v1.XsdValidatorService")
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"validator exited with {server.returncode}; see var/log/{log_name}")
        try:
            if health.Check(request, timeout=1).status == health_pb2.HealthCheckResponse.SERVING:
                return
        except grpc.RpcError:
            pass
        time.sleep(0.2)
    pytest.fail(f"validator not serving after {START_TIMEOUT_SECONDS} s")
