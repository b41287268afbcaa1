"""The validator's local fast path: Validate over a Unix-domain socket, beside gRPC
(README "Transports").

grpcio's server hands every call from its poller thread to an executor thread, and on an idle
machine each hand-off waits for a thread to wake. Here each connection has a thread of its own,
blocked in recv until its next request, so the kernel wakes the very thread that validates.
Clients keep connections open, one request in flight on each; calls run in parallel across
connections, as many at once as the SchemaPool has schemas.

Needs the generated stubs (var/validator/generated) on sys.path; server.py puts them there.
"""
from __future__ import annotations

import logging
import os
import socket
import socketserver
import stat
import threading
from pathlib import Path

from flowledger.validation.v1 import validation_pb2
from google.protobuf.message import DecodeError

from flowledger_validator.socket_frames import (
    LENGTH,
    FrameError,
    Status,
    check_frame_length,
    encode_refusal,
    encode_response,
    split_request,
)
from flowledger_validator.validate_call import ValidateCall
from flowledger_validator.validation_observer import call_ids

_log = logging.getLogger("flowledger.validator.socket")


class SocketPathError(RuntimeError):
    """The socket path is taken: by another file, or by a server that answers on it."""


class SocketListener:
    """Serves ValidateCall on a Unix socket from a thread of its own until stop()."""

    def __init__(
        self,
        path: Path,
        validate: ValidateCall,
        max_frame_bytes: int,
        max_connections: int = 64,
        frame_timeout_seconds: float = 10,
    ) -> None:
        self.path = path
        _clear_stale_socket(path)
        # Only this user may validate: the directory is ours when we create it, the socket 0600.
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._server = _Server(path, validate, max_frame_bytes, max_connections, frame_timeout_seconds)
        self._inode = os.lstat(path).st_ino
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="validator-socket", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stops accepting, lets each connection finish its call, removes the socket file."""
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        try:
            # Only our own file: a successor may already have bound the path.
            if os.lstat(self.path).st_ino == self._inode:
                self.path.unlink()
        except FileNotFoundError:
            pass


class _Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(
        self,
        path: Path,
        validate: ValidateCall,
        max_frame_bytes: int,
        max_connections: int,
        frame_timeout_seconds: float,
    ) -> None:
        self.validate = validate
        self.max_frame_bytes = max_frame_bytes
        self.max_connections = max_connections
        self.frame_timeout_seconds = frame_timeout_seconds
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(str(path), _Connection)

    def server_bind(self) -> None:
        # The file is created 0600 by bind itself: a chmod afterwards would leave a moment open.
        previous = os.umask(0o177)
        try:
            super().server_bind()
        finally:
            os.umask(previous)

    def track(self, connection: socket.socket, open_: bool) -> int:
        """Adds or drops a connection; returns how many are open then."""
        with self._connections_lock:
            (self._connections.add if open_ else self._connections.discard)(connection)
            return len(self._connections)

    def close_connections(self) -> None:
        # SHUT_RD: a connection waiting for its next request reads EOF and ends; one in the
        # middle of a call still writes its response.
        with self._connections_lock:
            for connection in self._connections:
                try:
                    connection.shutdown(socket.SHUT_RD)
                except OSError:
                    pass

    def handle_error(self, request: object, client_address: object) -> None:
        _log.exception("socket connection failed")


class _Connection(socketserver.StreamRequestHandler):
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.open_connections = self.server.track(self.connection, True)

    def finish(self) -> None:
        self.server.track(self.connection, False)
        super().finish()

    def handle(self) -> None:
        try:
            if self.open_connections > self.server.max_connections:
                raise FrameError(
                    Status.RESOURCE_EXHAUSTED,
                    f"RESOURCE_EXHAUSTED: connections {self.open_connections} > max "
                    f"{self.server.max_connections} (FLOWLEDGER_VALIDATOR_SOCKET_MAX_CONNECTIONS)",
                )
            while self._serve_one():
                pass
        except FrameError as refused:
            self.wfile.write(encode_refusal(refused))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (its deadline, its shutdown): nothing to answer

    def _serve_one(self) -> bool:
        """One request and its response; False when the client has closed the connection."""
        head = self.rfile.read(LENGTH.size)
        if len(head) < LENGTH.size:
            return False
        (length,) = LENGTH.unpack(head)
        check_frame_length(length, self.server.max_frame_bytes)
        # A frame begun must go on arriving: a client that stops mid-frame does not hold a thread.
        self.connection.settimeout(self.server.frame_timeout_seconds)
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            raise FrameError(
                Status.DEADLINE_EXCEEDED,
                f"DEADLINE_EXCEEDED: no byte of a {length}-byte frame for "
                f"{self.server.frame_timeout_seconds} s (FLOWLEDGER_VALIDATOR_SOCKET_FRAME_TIMEOUT_SECONDS)",
            ) from None
        finally:
            self.connection.settimeout(None)
        if len(body) < length:
            return False
        metadata, message = split_request(body)
        try:
            request = validation_pb2.ValidateRequest.FromString(message)
        except DecodeError:
            raise FrameError(
                Status.INVALID_ARGUMENT, "INVALID_ARGUMENT: the message is not a ValidateRequest"
            ) from None
        try:
            response = self.server.validate(request, call_ids(metadata))
        except Exception:
            _log.exception("validation failed")
            raise FrameError(
                Status.INTERNAL, "INTERNAL: the validator failed; see its log"
            ) from None
        self.wfile.write(encode_response(response.SerializeToString()))
        return True


def _clear_stale_socket(path: Path) -> None:
    """Removes a socket file a dead server left; refuses a live one or a file of another kind."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISSOCK(mode):
        raise SocketPathError(f"{path} exists and is not a socket; not removing it")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(path))
    except ConnectionRefusedError:
        path.unlink(missing_ok=True)
        return
    finally:
        probe.close()
    raise SocketPathError(f"{path}: another server answers on it")
