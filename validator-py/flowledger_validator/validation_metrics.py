"""The validator's Prometheus metrics, in a registry of its own, served as text on /metrics."""
from __future__ import annotations

import threading
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

# Document sizes: a small proposal's diagram is a few KB, the default cap 5 MiB.
_BYTE_BUCKETS = (1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216)
# Validation time: 0.14 ms for 10 KB, about 1 ms for 100 KB on the dev machine (README).
_SECOND_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


class ValidationMetrics:
    """Counters and histograms of one process; a registry per instance, so tests can make several."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        # The default process, platform and GC metrics, registered here rather than globally.
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self.validations = Counter(
            "flowledger_validator_validations",
            "Documents checked, by result: valid, invalid (not well-formed or against the XSDs), "
            "refused (over the size cap or with a DOCTYPE, never parsed)",
            ["result"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "flowledger_validator_duration_seconds",
            "Time to check one document (size and DOCTYPE checks, parse, XSD validation)",
            buckets=_SECOND_BUCKETS,
            registry=self.registry,
        )
        self.document_bytes = Histogram(
            "flowledger_validator_document_bytes",
            "Size of each document checked",
            buckets=_BYTE_BUCKETS,
            registry=self.registry,
        )
        # Every result appears from the start, so a rate over a fresh process is 0, not absent.
        for result in ("valid", "invalid", "refused"):
            self.validations.labels(result=result)


def serve_metrics(
    metrics: ValidationMetrics, host: str, port: int
) -> tuple[WSGIServer, threading.Thread]:
    """Serves the registry on http://host:port/metrics from a daemon thread; raises if the port is taken."""
    return start_http_server(port, addr=host, registry=metrics.registry)
