"""The local socket's frames, without a socket: what a request frame's body splits into, and
what the limits and malformed headers are refused with."""
from __future__ import annotations

import struct

import pytest

from flowledger_validator.socket_frames import (
    FrameError,
    Status,
    check_frame_length,
    encode_refusal,
    encode_response,
    split_request,
)


def test_a_request_body_splits_into_its_metadata_and_its_message() -> None:
    metadata = b'{"x-tenant-id":"acme","traceparent":"00-ab-cd-01"}'
    body = struct.pack(">H", len(metadata)) + metadata + b"\x0a\x03<a>"

    assert split_request(body) == (
        [("x-tenant-id", "acme"), ("traceparent", "00-ab-cd-01")],
        b"\x0a\x03<a>",
    )


def test_a_request_without_metadata_has_none() -> None:
    assert split_request(struct.pack(">H", 0) + b"msg") == ([], b"msg")


def test_a_frame_at_the_cap_passes_and_one_byte_more_is_refused_naming_the_cap() -> None:
    check_frame_length(1000, 1000)

    with pytest.raises(FrameError) as refused:
        check_frame_length(1001, 1000)

    assert refused.value.status == Status.RESOURCE_EXHAUSTED
    assert "frame of 1001 bytes > max 1000" in refused.value.message


@pytest.mark.parametrize("length", [0, 1])
def test_a_frame_too_short_for_its_header_is_refused(length: int) -> None:
    with pytest.raises(FrameError) as refused:
        check_frame_length(length, 1000)

    assert refused.value.status == Status.INVALID_ARGUMENT


def test_responses_carry_their_length_then_a_status() -> None:
    assert encode_response(b"\x08\x01") == b"\x00\x00\x00\x03\x00\x08\x01"
    assert encode_refusal(FrameError(Status.INTERNAL, "boom")) == b"\x00\x00\x00\x05\x0dboom"
