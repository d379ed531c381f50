"""How one app reaches another: in-process when this process mounts it, else HTTP to its service.

The only module that imports `requests`. It owns the per-process session, the timeouts, retries
(only for idempotent or keyed calls), the service credential, the request and order ids passed on, and the
mapping of remote failures onto the exceptions the in-process call would have raised.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from kubeshop import errors, logs
from kubeshop.authentication import ACTING_USER_HEADER, SERVICE_TOKEN_HEADER
from kubeshop.registry import mounts, owner_of
from kubeshop.request_id import request_id

log = logging.getLogger(__name__)


def runs_here(app_label: str) -> bool:
    """Whether `app_label` is served in this process (so its client calls it directly).

    Every client asks this before each call, so the suite wraps it to refuse calls made inside an open
    transaction (tests/transactions.py).
    """
    return mounts(settings.KUBESHOP_SERVICE, app_label)


_deadline: ContextVar[float | None] = ContextVar("deadline", default=None)  # time.monotonic() by which to answer


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Within this block every call to a peer is capped by the time left, and none starts once it is spent."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def time_left() -> float | None:
    """Seconds left before the current deadline; None when there is none."""
    end = _deadline.get()
    return None if end is None else end - time.monotonic()


class DeadlineRetry(Retry):
    """urllib3's retries, exhausted once the current deadline is spent: a slow peer cannot hold a worker."""

    def is_exhausted(self) -> bool:
        left = time_left()
        return (left is not None and left <= 0) or super().is_exhausted()


def _capped(timeout: tuple[float, float]) -> tuple[float, float]:
    left = time_left()
    if left is None:
        return timeout
    return (min(timeout[0], left), min(timeout[1], left))


@cache
def _session(retry_all_methods: bool) -> requests.Session:
    """One pooled session per process and retry policy; connect errors are always safe to retry."""
    retry = DeadlineRetry(
        total=3,
        connect=3,
        read=2 if retry_all_methods else 0,
        status=2 if retry_all_methods else 0,
        backoff_factor=0.1,
        status_forcelist=(502, 503, 504),
        allowed_methods=None if retry_all_methods else Retry.DEFAULT_ALLOWED_METHODS,
        raise_on_status=False,
        respect_retry_after_header=False,  # a peer's Retry-After must not hold a worker past our timeouts
    )
    session = requests.Session()
    session.trust_env = False  # read once per peer instead (_environment)
    adapter = HTTPAdapter(max_retries=retry, pool_connections=4, pool_maxsize=32)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


@cache
def _environment(base: str) -> dict[str, Any]:
    """The proxies and CA bundle the environment names for a peer, as requests reads them, read once per process.

    requests would read them again on every call (os.environ, NO_PROXY matching, ~/.netrc), a cost paid on
    each of a checkout's hops; the environment of a running process does not change. (~/.netrc is not
    read at all: every peer call carries its own credential.)
    """
    settings_ = requests.Session().merge_environment_settings(base, {}, None, None, None)
    return {"proxies": settings_["proxies"], "verify": settings_["verify"]}


IMPATIENT_TIMEOUT = (0.5, 2.0)
_impatient: ContextVar[bool] = ContextVar("impatient", default=False)


@contextmanager
def impatient() -> Iterator[None]:
    """Within this block every HTTP call makes one short attempt: for work a later retry will redo."""
    token = _impatient.set(True)
    try:
        yield
    finally:
        _impatient.reset(token)


@cache
def _impatient_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # read once per peer instead (_environment)
    adapter = HTTPAdapter(max_retries=0, pool_maxsize=32)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def call(
    method: str,
    app_label: str,
    path: str,
    *,
    json: Any = None,
    params: dict | None = None,
    acting_for: str = "",
    idempotency_key: str = "",
    idempotent: bool = False,
) -> Any:
    """Call a peer service's API; return its JSON, or raise the domain error it answered with.

    Calls are retried only when repeating them is harmless: GET/PUT/DELETE, a call with an
    Idempotency-Key, or one the caller declares `idempotent`.
    """
    service = owner_of(app_label)
    base = settings.SERVICE_URLS.get(service.name)
    if not base:
        raise errors.Unavailable(f"{service.url_env} is not set; cannot reach the {service.name} service.")
    headers = {
        SERVICE_TOKEN_HEADER: settings.KUBESHOP_SERVICE_TOKEN,
        ACTING_USER_HEADER: quote(acting_for),  # header values are latin-1; usernames are not
        "X-Request-ID": request_id.get(),
    }
    left = time_left()
    if left is not None and left <= 0:
        log.warning("%s %s%s not attempted: the request's deadline is spent", method, service.name, path)
        raise errors.Unavailable(f"The {service.name} service is unavailable.")
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    if order_id := logs.current_order():  # the peer's log lines name the order too
        headers[logs.ORDER_ID_HEADER] = order_id
    idempotent = idempotent or method in ("GET", "PUT", "DELETE") or bool(idempotency_key)
    patient = not _impatient.get()
    session = _session(idempotent) if patient else _impatient_session()
    timeout = _capped(settings.SERVICE_TIMEOUT if patient else IMPATIENT_TIMEOUT)
    try:
        response = session.request(
            method, f"{base}{path}", json=json, params=params, headers=headers, timeout=timeout, **_environment(base)
        )
    except requests.RequestException as exc:
        log.warning("%s %s%s failed: %s", method, service.name, path, exc.__class__.__name__)
        raise errors.Unavailable(f"The {service.name} service is unavailable.") from exc
    return _result(response, service.name)


def _result(response: requests.Response, service_name: str) -> Any:
    if response.status_code == 204:
        return None
    try:
        body = response.json()
    except ValueError:
        body = None
        if response.ok:  # not a KubeShop service answering: a misrouted URL, a proxy's page
            log.warning("%s answered %s without JSON", service_name, response.status_code)
            raise errors.Unavailable(f"The {service_name} service is unavailable.") from None
    if response.ok:
        return body
    if response.status_code in (401, 429) or response.status_code >= 500:
        detail = body.get("detail") if isinstance(body, dict) else None
        log.warning("%s answered %s: %s", service_name, response.status_code, detail)
        raise errors.Unavailable(f"The {service_name} service is unavailable.")
    raise errors.from_body(response.status_code, body)
