"""Error pages Django itself asks for: a refused form (CSRF), as a page a customer understands."""
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views import csrf

from frontend.pages.base import error_page
from kubeshop.registry import mounts


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if not mounts(settings.KUBESHOP_SERVICE, "frontend"):  # the admin of another service: Django's page
        return csrf.csrf_failure(request, reason)
    return error_page(
        request, 403, "This form has expired",
        "The page was open for a long time, or your cookies were cleared, so the form could not be accepted. "
        "Go back, reload the page and try again.",
    )  # fmt: skip
