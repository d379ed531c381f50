"""Error pages Django itself asks for: a refused form (CSRF), as a page a customer understands."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views import csrf

from frontend.pages.base import error_page
from kubeshop import api
from kubeshop.registry import mounts


def _storefront_page(request: HttpRequest) -> bool:
    return mounts(settings.KUBESHOP_SERVICE, "frontend") and not request.path.startswith("/api/")


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """A page for a browser that followed a wrong link; the API keeps its JSON 404."""
    if not _storefront_page(request):
        return api.not_found(request, exception)
    return error_page(request, 404, "There is no such page", "The link may be old or mistyped.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if not _storefront_page(request):  # the admin of another service: Django's page
        return csrf.csrf_failure(request, reason)
    return error_page(
        request,
        403,
        "This form has expired",
        "The page was open for a long time, or your cookies were cleared, so the form could not be accepted. "
        "Go back, reload the page and try again.",
    )
