"""When the database or the shared cache cannot serve a request, every route answers 503 with Retry-After.

A database (or Redis) that is down, refusing connections or dropping them is an outage to wait out, not a bug:
clients and the ingress retry a 503 later, and the process recovers by itself once the database is
back (CONN_HEALTH_CHECKS drops a broken persistent connection and the next request opens a new one).
DRF views reach kubeshop.api.exception_handler first; everything else reaches this middleware, and
what escapes both (an error in another middleware) reaches handler500, which asks `is_database_outage`.
"""

import logging

import redis
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

log = logging.getLogger(__name__)

# The cache (CACHE_URL) holds the sign-in limits: when Redis is away they cannot be checked either.
DATABASE_ERRORS = (OperationalError, InterfaceError, redis.ConnectionError, redis.TimeoutError)
RETRY_AFTER_SECONDS = 5  # a restarted PostgreSQL or a failed-over primary is usually back within seconds
API_DETAIL = "The shop's data cannot be reached right now; try again in a few seconds."
PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>KubeShop will be right back</title></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 4em auto; line-height: 1.5">
<h1>We will be right back</h1>
<p>The shop cannot open its records at the moment, so pages cannot be shown and orders cannot be placed.</p>
<p>Please try again in a minute. There is no need to sign in again.</p>
</body>
</html>
"""


def is_database_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_ERRORS)


def retry_after() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_SECONDS)}


def unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """503 with Retry-After: JSON with a `detail` under /api/, a small page in plain words elsewhere."""
    log.warning("unavailable for %s %s: %s: %s", request.method, request.path, type(exc).__name__, exc)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": API_DETAIL}, status=503, headers=retry_after())
    return HttpResponse(PAGE, status=503, content_type="text/html; charset=utf-8", headers=retry_after())


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return unavailable(request, exception) if is_database_outage(exception) else None
