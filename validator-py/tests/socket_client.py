"""A plain client of the validator's local socket for the tests, written from the frame layout in
socket_frames.py's docstring (not with its functions, so a change of the layout shows up here)."""
from __future__ import annotations

import json
import socket
import struct
import sys
from pathlib import Path

from flowledger_validator.config import load_config

sys.path.insert(0, str(load_config().stubs_dir))
from flowledger.validation.v1 import validation_pb2  # noqa: E402

TIMEOUT_SECONDS = 10


class SocketClient:
    def __init__(self, path: Path) -> None:
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.socket.settimeout(TIMEOUT_SECONDS)
        self.socket.connect(str(path))
        self._reader = self.socket.makefile("rb")

    def validate(
        self, xml: bytes, metadata: dict[str, str] | None = None
    ) -> validation_pb2.ValidateResponse:
        self.send(request_frame(xml, metadata))
        status, payload = self.receive()
        assert status == 0, payload.decode("utf-8", errors="replace")
        return validation_pb2.ValidateResponse.FromString(payload)

    def send(self, data: bytes) -> None:
        self.socket.sendall(data)

    def receive(self) -> tuple[int, bytes]:
        """(status, payload) of the next response frame."""
        (length,) = struct.unpack(">I", self._read(4))
        body = self._read(length)
        return body[0], body[1:]

    def closed_by_server(self) -> bool:
        return self._reader.read(1) == b""

    def close(self) -> None:
        self._reader.close()
        self.socket.close()

    def _read(self, count: int) -> bytes:
        data = self._reader.read(count)
        assert len(data) == count, f"connection closed after {len(data)} of {count} bytes"
        return data

    def __enter__(self) -> SocketClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def request_frame(xml: bytes, metadata: dict[str, str] | None = None) -> bytes:
    return raw_frame(
        json.dumps(metadata).encode() if metadata else b"",
        validation_pb2.ValidateRequest(xml=xml).SerializeToString(),
    )


def raw_frame(metadata: bytes, message: bytes) -> bytes:
    body = struct.pack(">H", len(metadata)) + metadata + message
    return struct.pack(">I", len(body)) + body
