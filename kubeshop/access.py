"""One access-log line and one metrics sample per request: the URL pattern it matched, its status, its time.

Placed right after the probes (which would drown everything else), so what whitenoise, the security
checks or a 404 answer is counted too. Each request is a logging scope of its own: an order named by
the route (`<uuid:order_id>`), by the calling service (X-Order-ID beside a valid service credential,
as kubeshop.transport sends it) or by the work itself (kubeshop.logs.about_order) is on every line it
writes, the access line included.
"""

import logging
import re
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from kubeshop import logs, metrics
from kubeshop.authentication import SERVICE_TOKEN_HEADER, ServiceAuthentication

log = logging.getLogger(__name__)
_SAFE_ORDER_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def order_from_peer(request: HttpRequest) -> str:
    """The order a peer service says this call is about; nobody else may write a log line under an order's id."""
    named = request.headers.get(logs.ORDER_ID_HEADER, "")
    if not named or not _SAFE_ORDER_ID.match(named):
        return ""
    return named if ServiceAuthentication.is_valid(request.headers.get(SERVICE_TOKEN_HEADER)) else ""


def route_of(request: HttpRequest) -> str:
    """The URL pattern a request matched (`api/orders/<uuid:order_id>`), never its path: ids are not labels."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.route
    if request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
        return "static"
    return "unmatched"


class AccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        with logs.scope(order_id=order_from_peer(request)):
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            route = route_of(request)
            metrics.observe_request(route=route, method=request.method, status=response.status_code, seconds=seconds)
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "request_id": response.get("X-Request-ID", ""),
                },
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if "order_id" in view_kwargs:
            logs.about_order(view_kwargs["order_id"])
