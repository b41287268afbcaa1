"""Wires config, compiled schemas, the XsdValidatorService service and grpc.health.v1 into a server,
and the same calls onto the local socket when one is configured."""
from __future__ import annotations

import logging
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Callable

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from flowledger_validator.bpmn_schema import SchemaPool, load_bpmn_schema
from flowledger_validator.config import ValidatorConfig, load_config
from flowledger_validator.json_log import FIELDS, configure_json_logging
from flowledger_validator.validation_metrics import ValidationMetrics, serve_metrics
from flowledger_validator.validation_observer import ValidationObservation, ValidationObserver
from flowledger_validator.xsd_validation import ValidationLimits

if TYPE_CHECKING:  # both need the generated stubs, on sys.path only once main() has run
    from flowledger_validator.socket_adapter import SocketListener
    from flowledger_validator.validate_call import ValidateCall

_log = logging.getLogger("flowledger.validator")
_SHUTDOWN_GRACE_SECONDS = 5


def main() -> None:
    config = load_config()
    configure_json_logging(config.log_level)
    sys.path.insert(0, str(config.stubs_dir))
    metrics = ValidationMetrics()
    # Before the gRPC server: a taken metrics port stops the start instead of going unnoticed.
    metrics_server, _ = serve_metrics(metrics, config.metrics_bind_host, config.metrics_port)
    validate = build_validate_call(config, ValidationObserver(metrics, _log))
    server, health_service = build_server(config, validate)
    # Before gRPC too: a socket path another server answers on stops the start, like a taken port.
    listener = start_socket_listener(config, validate)
    server.start()
    _log.info(
        "XsdValidatorService serving on %s:%d%s, metrics on %s:%d/metrics",
        config.bind_host, config.port,
        f" and unix:{config.socket_path}" if listener else "",
        config.metrics_bind_host, config.metrics_port,
        extra={
            FIELDS: {
                "xsd_dir": str(config.xsd_dir),
                "max_xml_bytes": config.max_xml_bytes,
                "workers": config.workers,
                "socket": str(config.socket_path) if listener else None,
            }
        },
    )

    def stop(signum: int, _frame: object) -> None:
        _log.info("signal %d: shutting down", signum)
        health_service.enter_graceful_shutdown()
        if listener:
            listener.stop()
        server.stop(_SHUTDOWN_GRACE_SECONDS)
        metrics_server.shutdown()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.wait_for_termination()


def build_validate_call(
    config: ValidatorConfig,
    observe: Callable[[ValidationObservation], None] = lambda _: None,
) -> ValidateCall:
    """One pool of compiled schemas (one per worker) behind both transports."""
    from flowledger_validator.validate_call import ValidateCall

    schemas = SchemaPool(lambda: load_bpmn_schema(config.xsd_dir), config.workers)
    limits = ValidationLimits(max_xml_bytes=config.max_xml_bytes, max_errors=config.max_errors)
    return ValidateCall(schemas, limits, observe=observe)


def start_socket_listener(config: ValidatorConfig, validate: ValidateCall) -> SocketListener | None:
    if config.socket_path is None:
        return None
    from flowledger_validator.socket_adapter import SocketListener

    return SocketListener(
        config.socket_path,
        validate,
        config.max_message_bytes,
        max_connections=config.socket_max_connections,
        frame_timeout_seconds=config.socket_frame_timeout_seconds,
    )


def build_server(
    config: ValidatorConfig, validate: ValidateCall
) -> tuple[grpc.Server, health.HealthServicer]:
    # Imported late: the generated stubs are found through config.stubs_dir.
    from flowledger_validator import grpc_adapter

    max_message = config.max_message_bytes
    server = grpc.server(
        ThreadPoolExecutor(max_workers=config.workers),
        options=[
            ("grpc.max_receive_message_length", max_message),
            ("grpc.max_send_message_length", max_message),
            # Fail loudly when the port is taken instead of sharing it with another process.
            ("grpc.so_reuseport", 0),
        ],
    )
    grpc_adapter.add_to_server(grpc_adapter.XsdValidatorService(validate), server)

    health_service = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_service, server)
    for service in ("", grpc_adapter.SERVICE_NAME):
        health_service.set(service, health_pb2.HealthCheckResponse.SERVING)

    server.add_insecure_port(f"{config.bind_host}:{config.port}")
    return server, health_service
