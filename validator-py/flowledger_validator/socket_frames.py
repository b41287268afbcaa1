"""The frames of the validator's local socket (socket_adapter.py, README "Transports"). Pure: bytes
in, bytes out, no I/O. The messages are the gRPC API's own (ValidateRequest, ValidateResponse);
only the call's metadata and a refusal's status travel outside them, as gRPC carries those in
headers.

    request:  u32 n | u16 h | h bytes metadata | n - 2 - h bytes ValidateRequest
    response: u32 n | u8 status | n - 1 bytes: ValidateResponse if status is 0 (OK), else a message

Integers are big-endian; `n` counts the bytes after itself. The metadata is a JSON object of
strings under the keys gRPC metadata would have (x-tenant-id, …; h = 0: none). A status other
than 0 is a gRPC status code, and the server closes the connection after it.
"""
from __future__ import annotations

import json
import struct
from enum import IntEnum

LENGTH = struct.Struct(">I")
_METADATA_LENGTH = struct.Struct(">H")
_STATUS = struct.Struct(">B")


class Status(IntEnum):
    """gRPC's numbers, so a client maps a refusal as it would a gRPC status."""

    OK = 0
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    RESOURCE_EXHAUSTED = 8
    INTERNAL = 13


class FrameError(Exception):
    """A request the socket refuses before (or instead of) validating it."""

    def __init__(self, status: Status, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def check_frame_length(length: int, max_frame_bytes: int) -> None:
    """Refuses a frame longer than the cap before a byte of it is read."""
    if length > max_frame_bytes:
        raise FrameError(
            Status.RESOURCE_EXHAUSTED,
            f"RESOURCE_EXHAUSTED: frame of {length} bytes > max {max_frame_bytes} "
            "(2 * FLOWLEDGER_VALIDATOR_MAX_XML_BYTES + 1 MiB)",
        )
    if length < _METADATA_LENGTH.size:
        raise FrameError(
            Status.INVALID_ARGUMENT, f"INVALID_ARGUMENT: frame of {length} bytes has no header"
        )


def split_request(body: bytes) -> tuple[list[tuple[str, str]], bytes]:
    """A request frame's body (after `n`) → its metadata as (key, value) pairs, and the message."""
    (metadata_length,) = _METADATA_LENGTH.unpack_from(body)
    start = _METADATA_LENGTH.size
    end = start + metadata_length
    if end > len(body):
        raise FrameError(
            Status.INVALID_ARGUMENT,
            f"INVALID_ARGUMENT: metadata of {metadata_length} bytes in a frame of {len(body)}",
        )
    return _metadata(body[start:end]), body[end:]


def encode_response(message: bytes) -> bytes:
    return LENGTH.pack(_STATUS.size + len(message)) + _STATUS.pack(Status.OK) + message


def encode_refusal(error: FrameError) -> bytes:
    text = error.message.encode("utf-8")
    return LENGTH.pack(_STATUS.size + len(text)) + _STATUS.pack(error.status) + text


def _metadata(raw: bytes) -> list[tuple[str, str]]:
    if not raw:
        return []
    try:
        decoded = json.loads(raw)
    except ValueError:
        decoded = None
    if not isinstance(decoded, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in decoded.items()
    ):
        raise FrameError(
            Status.INVALID_ARGUMENT, "INVALID_ARGUMENT: metadata is not a JSON object of strings"
        )
    return list(decoded.items())
