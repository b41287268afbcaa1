"""The validator's configuration: read from the environment and checked once, at start."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

_REPO_ROOT = Path(__file__).resolve().parents[2]
_MIB = 1024 * 1024


class ConfigError(ValueError):
    """A variable of the environment has a value the validator cannot run with."""


@dataclass(frozen=True)
class ValidatorConfig:
    bind_host: str
    port: int
    max_xml_bytes: int
    max_errors: int
    workers: int
    xsd_dir: Path
    stubs_dir: Path
    metrics_bind_host: str
    metrics_port: int
    log_level: str
    # The local fast path (socket_adapter.py); None = gRPC only.
    socket_path: Path | None = None
    # Connections the socket serves at once, and how long it waits for the next byte of a frame.
    socket_max_connections: int = 64
    socket_frame_timeout_seconds: int = 10

    @property
    def max_message_bytes(self) -> int:
        """Largest message either transport accepts: room above the document cap, so a too-large
        document gets LIMIT_EXCEEDED rather than a transport error; far larger ones are refused."""
        return 2 * self.max_xml_bytes + _MIB


def load_config(env: Mapping[str, str] = os.environ) -> ValidatorConfig:
    """Reads every FLOWLEDGER_VALIDATOR_* variable; raises ConfigError naming the bad one."""
    var_dir = _REPO_ROOT / "var" / "validator"
    return ValidatorConfig(
        bind_host=env.get("FLOWLEDGER_VALIDATOR_BIND_HOST", "localhost"),
        port=_port(env, "FLOWLEDGER_VALIDATOR_PORT", 50061),
        max_xml_bytes=_positive_int(env, "FLOWLEDGER_VALIDATOR_MAX_XML_BYTES", 5 * _MIB),
        max_errors=_positive_int(env, "FLOWLEDGER_VALIDATOR_MAX_ERRORS", 50),
        workers=_positive_int(env, "FLOWLEDGER_VALIDATOR_WORKERS", 2),
        xsd_dir=Path(env.get("FLOWLEDGER_VALIDATOR_XSD_DIR", var_dir / "xsd")),
        stubs_dir=Path(env.get("FLOWLEDGER_VALIDATOR_STUBS_DIR", var_dir / "generated")),
        # 0.0.0.0 so a Prometheus on another host can scrape it, as for the Node services.
        metrics_bind_host=env.get("FLOWLEDGER_VALIDATOR_METRICS_BIND_HOST", "0.0.0.0"),
        metrics_port=_port(env, "FLOWLEDGER_VALIDATOR_METRICS_PORT", 9465),
        log_level=_log_level(env, "FLOWLEDGER_VALIDATOR_LOG_LEVEL", "INFO"),
        socket_path=_socket_path(env, "FLOWLEDGER_VALIDATOR_SOCKET"),
        socket_max_connections=_positive_int(env, "FLOWLEDGER_VALIDATOR_SOCKET_MAX_CONNECTIONS", 64),
        socket_frame_timeout_seconds=_positive_int(
            env, "FLOWLEDGER_VALIDATOR_SOCKET_FRAME_TIMEOUT_SECONDS", 10
        ),
    )


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a positive integer, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name}: expected a positive integer, got {raw!r}")
    return value


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    value = _positive_int(env, name, default)
    if value > 65535:
        raise ConfigError(f"{name}: expected a port (1-65535), got {value}")
    return value


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name) or default
    if raw.upper() not in _LOG_LEVELS:
        raise ConfigError(f"{name}: expected one of {', '.join(_LOG_LEVELS)}, got {raw!r}")
    return raw.upper()


# sun_path holds 108 bytes on Linux, the terminating NUL included.
_MAX_SOCKET_PATH_BYTES = 107


def _socket_path(env: Mapping[str, str], name: str) -> Path | None:
    raw = env.get(name, "")
    if raw == "":
        return None
    path = Path(raw)
    # The server's working directory is validator-py/: a relative path would be a surprise.
    if not path.is_absolute():
        raise ConfigError(f"{name}: expected an absolute path (or empty for none), got {raw!r}")
    if len(os.fsencode(raw)) > _MAX_SOCKET_PATH_BYTES:
        raise ConfigError(
            f"{name}: a Unix socket path has at most {_MAX_SOCKET_PATH_BYTES} bytes, got {raw!r}"
        )
    return path
