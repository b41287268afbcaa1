"""Integration: the local socket of a real validator server (this checkout's, started on free ports
and a socket of its own, as the stack starts it): the same verdicts as over gRPC, refusals that
name their limit, one thread per connection, and a socket file only its user can use."""
from __future__ import annotations

import os
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from conftest import BROKEN_AT_DEFAULT_LIMITS, INVALID_DIR, MIWG_DIR, MIWG_FILES, ExpectedError
from socket_client import SocketClient, raw_frame, request_frame
from validator_process import MIB, PROJECT_DIR, free_port, running_validator

pytestmark = pytest.mark.integration

LOG_NAME = "validator-socket-tests.log"
MAX_FRAME = 2 * 5 * MIB + MIB  # 2 × the default FLOWLEDGER_VALIDATOR_MAX_XML_BYTES + 1 MiB
RESOURCE_EXHAUSTED, INVALID_ARGUMENT, DEADLINE_EXCEEDED = 8, 3, 4
SMALL = (MIWG_DIR / "C.9.1.bpmn").read_bytes()


@pytest.fixture(scope="module")
def socket_dir() -> Iterator[Path]:
    # Short: a Unix socket path has at most 107 bytes, and pytest's tmp_path can be longer.
    with tempfile.TemporaryDirectory(prefix="vsock-", dir="/tmp") as directory:
        yield Path(directory)


@pytest.fixture(scope="module")
def server(socket_dir: Path):
    path = socket_dir / "validator.sock"
    with running_validator(LOG_NAME, socket_path=path) as process:
        yield path, process


@pytest.fixture
def client(server) -> Iterator[SocketClient]:
    with SocketClient(server[0]) as opened:
        yield opened


@pytest.mark.parametrize("path", MIWG_FILES, ids=lambda p: p.name)
def test_every_miwg_reference_model_is_valid_over_the_socket(path: Path, client) -> None:
    response = client.validate(path.read_bytes())

    assert list(response.errors) == []
    assert response.valid
    assert response.duration_ms > 0


@pytest.mark.parametrize("name", sorted(BROKEN_AT_DEFAULT_LIMITS))
def test_each_broken_document_gets_its_code_line_column_and_message_over_the_socket(
    name: str, client
) -> None:
    response = client.validate((INVALID_DIR / name).read_bytes())

    assert not response.valid
    assert [
        ExpectedError(e.code, e.line, e.column, e.message) for e in response.errors
    ] == [BROKEN_AT_DEFAULT_LIMITS[name]]


def test_a_doctype_is_refused_at_its_line(client) -> None:
    response = client.validate(b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<x>&a;</x>')

    assert [(e.code, e.line, e.column) for e in response.errors] == [("DOCTYPE_FORBIDDEN", 2, 1)]


def test_one_connection_serves_call_after_call(client) -> None:
    verdicts = [client.validate(xml).valid for xml in (SMALL, b"<a/>", SMALL)]

    assert verdicts == [True, False, True]


def test_a_document_over_the_cap_but_within_a_frame_gets_limit_exceeded(client) -> None:
    xml = b"<a>" + b" " * (5 * MIB) + b"</a>"

    response = client.validate(xml)

    assert [(e.code, e.message) for e in response.errors] == [
        ("LIMIT_EXCEEDED", f"LIMIT_EXCEEDED: xml bytes {len(xml)} > max {5 * MIB}")
    ]


def test_a_frame_over_the_cap_is_refused_naming_the_limit_before_it_is_read(client) -> None:
    # Only the length goes out: the refusal must not wait for the 11 MiB it announces.
    client.send(struct.pack(">I", MAX_FRAME + 1))

    status, message = client.receive()

    assert status == RESOURCE_EXHAUSTED
    assert message.decode() == (
        f"RESOURCE_EXHAUSTED: frame of {MAX_FRAME + 1} bytes > max {MAX_FRAME} "
        "(2 * FLOWLEDGER_VALIDATOR_MAX_XML_BYTES + 1 MiB)"
    )
    assert client.closed_by_server()


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (raw_frame(b"", b"\xff\xff\xff"), "INVALID_ARGUMENT: the message is not a ValidateRequest"),
        (raw_frame(b"[1]", b""), "INVALID_ARGUMENT: metadata is not a JSON object of strings"),
        (raw_frame(b'{"x-tenant-id": 7}', b""), "INVALID_ARGUMENT: metadata is not a JSON object of strings"),
        (struct.pack(">IH", 2, 9), "INVALID_ARGUMENT: metadata of 9 bytes in a frame of 2"),
    ],
    ids=["not-protobuf", "metadata-not-an-object", "metadata-not-strings", "metadata-past-the-frame"],
)
def test_a_malformed_frame_is_refused_and_the_connection_closed(client, frame, message) -> None:
    client.send(frame)

    assert client.receive() == (INVALID_ARGUMENT, message.encode())
    assert client.closed_by_server()


def test_two_connections_are_served_independently(server) -> None:
    path, _ = server
    with SocketClient(path) as first, SocketClient(path) as second:
        # given: the first connection has sent half a request
        frame = request_frame(SMALL)
        first.send(frame[: len(frame) // 2])

        # when / then: the second is answered meanwhile, and the first once the rest arrives
        assert second.validate(SMALL).valid
        first.send(frame[len(frame) // 2 :])
        status, _ = first.receive()
        assert status == 0


def test_connections_in_parallel_threads_each_get_their_own_answers(server) -> None:
    path, _ = server
    documents = [SMALL, (INVALID_DIR / "wrong-element.bpmn").read_bytes()] * 10
    results: dict[int, list[bool]] = {}

    def run(index: int) -> None:
        with SocketClient(path) as own:
            results[index] = [own.validate(xml).valid for xml in documents]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert results == {i: [True, False] * 10 for i in range(4)}


def test_the_call_ids_of_the_metadata_are_in_the_log_line(server, client) -> None:
    tenant = f"socket-{os.getpid()}"

    client.validate(SMALL, {"x-tenant-id": tenant, "x-transaction-id": "tx-1", "other": "no"})

    lines = [line for line in server[1].output().splitlines() if tenant in line]
    assert len(lines) == 1
    assert '"tenant_id":"' + tenant + '","transaction_id":"tx-1","result":"valid"' in lines[0]
    assert "other" not in lines[0]


def test_the_socket_file_is_only_for_its_user(server) -> None:
    assert stat.S_IMODE(os.lstat(server[0]).st_mode) == 0o600


def test_a_stale_socket_is_replaced_and_the_file_removed_at_shutdown(socket_dir: Path) -> None:
    path = socket_dir / "stale.sock"
    # given: a socket file nobody listens on (as a killed server leaves it)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()

    # when
    with running_validator(LOG_NAME, socket_path=path):
        with SocketClient(path) as fresh:
            # then
            assert fresh.validate(SMALL).valid

    assert not path.exists()


def test_a_socket_another_server_answers_on_stops_the_start(socket_dir: Path) -> None:
    path = socket_dir / "taken.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as other:
        other.bind(str(path))
        other.listen()

        exited = subprocess.run(
            [sys.executable, "-m", "flowledger_validator"],
            cwd=PROJECT_DIR,
            env={
                **os.environ,
                "FLOWLEDGER_VALIDATOR_PORT": str(free_port()),
                "FLOWLEDGER_VALIDATOR_BIND_HOST": "127.0.0.1",
                "FLOWLEDGER_VALIDATOR_METRICS_PORT": str(free_port()),
                "FLOWLEDGER_VALIDATOR_METRICS_BIND_HOST": "127.0.0.1",
                "FLOWLEDGER_VALIDATOR_SOCKET": str(path),
            },
            capture_output=True,
            timeout=60,
        )

        assert exited.returncode != 0
        assert f"{path}: another server answers on it" in exited.stderr.decode()
        assert path.exists()


@pytest.fixture(scope="module")
def strict_server(socket_dir: Path):
    """A server that serves two connections at once and waits 1 s for the rest of a frame."""
    path = socket_dir / "strict.sock"
    limits = {
        "FLOWLEDGER_VALIDATOR_SOCKET_MAX_CONNECTIONS": "2",
        "FLOWLEDGER_VALIDATOR_SOCKET_FRAME_TIMEOUT_SECONDS": "1",
    }
    with running_validator(LOG_NAME, socket_path=path, env=limits):
        yield path


def test_a_connection_over_the_cap_is_refused_naming_the_limit_and_the_others_stay_served(
    strict_server: Path,
) -> None:
    with SocketClient(strict_server) as first, SocketClient(strict_server) as second:
        # Both served once: each is counted before the third connects.
        assert first.validate(SMALL).valid and second.validate(SMALL).valid
        with SocketClient(strict_server) as third:
            assert third.receive() == (
                RESOURCE_EXHAUSTED,
                b"RESOURCE_EXHAUSTED: connections 3 > max 2 (FLOWLEDGER_VALIDATOR_SOCKET_MAX_CONNECTIONS)",
            )
            assert third.closed_by_server()
        assert second.validate(SMALL).valid
    # Once those are closed, new connections are served again.
    status, payload = first_call_once_closes_are_seen(strict_server)
    assert status == 0, payload.decode("utf-8", errors="replace")


def first_call_once_closes_are_seen(path: Path, seconds: float = 5.0) -> tuple[int, bytes]:
    """A new connection's first call: (status, payload). The server counts a closed connection
    until its thread reads the end of it, a moment after the client's close returns, so a refusal
    is tried again until `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        with SocketClient(path) as client:
            try:
                client.send(request_frame(SMALL))
                status, payload = client.receive()
            except (BrokenPipeError, ConnectionResetError) as error:
                status, payload = RESOURCE_EXHAUSTED, str(error).encode()
        if status != RESOURCE_EXHAUSTED or time.monotonic() > deadline:
            return status, payload
        time.sleep(0.05)


def test_a_frame_that_stops_arriving_is_refused_after_the_timeout_and_the_thread_freed(
    strict_server: Path,
) -> None:
    with SocketClient(strict_server) as stalled:
        frame = request_frame(SMALL)
        stalled.send(frame[:100])
        started = time.monotonic()

        status, message = stalled.receive()

        assert status == DEADLINE_EXCEEDED
        assert message.decode() == (
            f"DEADLINE_EXCEEDED: no byte of a {len(frame) - 4}-byte frame for 1 s "
            "(FLOWLEDGER_VALIDATOR_SOCKET_FRAME_TIMEOUT_SECONDS)"
        )
        assert 0.9 <= time.monotonic() - started < 5
        assert stalled.closed_by_server()
    with SocketClient(strict_server) as first, SocketClient(strict_server) as second:
        assert first.validate(SMALL).valid and second.validate(SMALL).valid

