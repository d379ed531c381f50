"""Prometheus metrics of every service (prometheus-client), served on their own port, never the public one.

Under gunicorn the workers count into files in PROMETHEUS_MULTIPROC_DIR (multiprocess mode, set up by
gunicorn.conf.py before any worker imports this) and the master serves their sum on
KUBESHOP_METRICS_PORT. A process outside gunicorn (the outbox dispatcher) serves its own with `serve`.
Nothing here is routed by Django, so no edge route can reach it.
"""

import logging
import os

from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess, start_http_server

log = logging.getLogger(__name__)

# A method the shop does not know is one label value, not one per client's invention.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "kubeshop_http_requests",
    "HTTP requests answered, by URL pattern (never the raw path), method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "kubeshop_http_request_duration_seconds",
    "Seconds from the request reaching Django to its response, by URL pattern, method and status.",
    ["route", "method", "status"],
)


def observe_request(*, route: str, method: str, status: int, seconds: float) -> None:
    labels = (route, method if method in METHODS else "other", str(status))
    REQUESTS.labels(*labels).inc()
    LATENCY.labels(*labels).observe(seconds)


def registry() -> CollectorRegistry:
    """What a scrape of this process reports: every worker's files in multiprocess mode, else this process."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import REGISTRY

        return REGISTRY
    summed = CollectorRegistry()
    multiprocess.MultiProcessCollector(summed)
    return summed


def serve(port: int, address: str) -> bool:
    """Serve /metrics on `port` from a thread of this process; False (and a warning) if the port is taken."""
    if not port:
        return False
    try:
        start_http_server(port, addr=address, registry=registry())
    except OSError as exc:  # e.g. a one-off `manage.py` run inside a pod whose server already has the port
        log.warning("metrics not served on %s:%s: %s", address, port, exc)
        return False
    log.info("metrics served on %s:%s/metrics", address, port)
    return True
