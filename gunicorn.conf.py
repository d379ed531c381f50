"""gunicorn's settings for every KubeShop web process. gunicorn reads ./gunicorn.conf.py by default, so
the image, the pods, `make split` and the tests' shops all get it; their command lines keep the rest.

- KUBESHOP_LOG_FORMAT=json: gunicorn's own lines (start, workers, timeouts) in the shop's JSON shape.
- KUBESHOP_METRICS_PORT: the workers count in prometheus-client's multiprocess mode and the master
  serves the sum on that port (KUBESHOP_METRICS_ADDRESS, all interfaces by default), away from the
  public port that the edge routes to.
"""

import glob
import os
import tempfile

from gunicorn import glogging

from kubeshop import logs

_metrics_port = int(os.environ.get("KUBESHOP_METRICS_PORT") or 0)
_metrics_address = os.environ.get("KUBESHOP_METRICS_ADDRESS") or "0.0.0.0"  # noqa: S104 (a pod's metrics port)
if _metrics_port:
    # Set here, before anything imports prometheus_client: the workers forked later inherit it and count
    # into files in this directory. One per port, so a restart (the pod's /tmp survives it) reuses it.
    os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"kubeshop-metrics-{_metrics_port}")
    )


def _metrics_files() -> list[str]:
    return glob.glob(os.path.join(os.environ["PROMETHEUS_MULTIPROC_DIR"], "*.db"))


def on_starting(server) -> None:
    """Empty the metrics directory: files of an earlier run would be summed into this one's counts."""
    if _metrics_port:
        os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
        for stale in _metrics_files():
            os.remove(stale)


def when_ready(server) -> None:
    if _metrics_port:
        from kubeshop import metrics  # only now: multiprocess mode is set for the master too

        if not metrics.serve(_metrics_port, _metrics_address):
            raise RuntimeError(f"KUBESHOP_METRICS_PORT={_metrics_port}: the port cannot be bound")


def child_exit(server, worker) -> None:
    """A worker ended: its live gauges go; its counters stay in the sums (a counter never goes back)."""
    if _metrics_port:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    if _metrics_port:
        for left in _metrics_files():
            os.remove(left)


class JsonLogger(glogging.Logger):
    """gunicorn's error log (and its access log, where a command line turns it on) as JSON lines."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in (*self.error_log.handlers, *self.access_log.handlers):
            handler.setFormatter(logs.JsonFormatter())
            handler.addFilter(logs.ContextFilter())


if os.environ.get("KUBESHOP_LOG_FORMAT") == "json":
    logger_class = JsonLogger
