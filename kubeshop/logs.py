"""Log lines that say which service wrote them, for which request and about which order.

With KUBESHOP_LOG_FORMAT=json (the image and the pods) every line is one JSON object (python-json-logger)
carrying `service`, `request_id` (the X-Request-ID that crosses the services) and, once the work is
about an order, `order_id`: one order's lines in the orders, payments and notifications logs are found
with one grep. Plain text stays the default (`make run`). Imports nothing of Django: gunicorn's master
formats its own lines with it too (gunicorn.conf.py).
"""

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from kubeshop.request_id import request_id

ORDER_ID_HEADER = "X-Order-ID"  # passed on by kubeshop.transport; honoured only beside a valid service credential
FORMATS = ("plain", "json")

_order_id: ContextVar[str] = ContextVar("order_id", default="")


def about_order(order_id: object) -> None:
    """Name the order the rest of this unit of work (a request, a dispatcher round) is about."""
    _order_id.set(str(order_id) if order_id else "")


def current_order() -> str:
    return _order_id.get()


@contextmanager
def scope(*, order_id: str = "") -> Iterator[None]:
    """One unit of work: the order it names is forgotten when it ends, so the next one starts clean."""
    token = _order_id.set(order_id)
    try:
        yield
    finally:
        _order_id.reset(token)


class ContextFilter(logging.Filter):
    """Adds `service`, `request_id` and `order_id` to every record, unless the record brings its own."""

    service = os.environ.get("KUBESHOP_SERVICE", "all")  # the settings read the same variable

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        for name, value in (("request_id", request_id.get()), ("order_id", _order_id.get())):
            if value and not getattr(record, name, ""):
                setattr(record, name, value)
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: time, level, logger, process, message, then the context and any `extra`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger", "process": "pid"})
        kwargs.setdefault("timestamp", True)
        super().__init__("%(levelname)s %(name)s %(process)s %(message)s", *args, **kwargs)
