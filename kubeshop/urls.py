"""URLs of this process: the routes of the apps that KUBESHOP_SERVICE mounts, plus its API docs.

`urlpatterns` is computed on access (PEP 562) so that `override_settings(KUBESHOP_SERVICE=…)`
switches a test process between services; see kubeshop.apps for the cache reset.
"""
from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from kubeshop.registry import SERVICES

handler400 = "kubeshop.api.bad_request"
handler403 = "kubeshop.api.permission_denied"
handler404 = "frontend.pages.errors.not_found"  # an HTML page for the storefront, JSON for the API
handler500 = "kubeshop.api.server_error"


def service_urlpatterns(service_name: str) -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = [include_app(app) for app in SERVICES[service_name].apps]
    patterns += [
        path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
        path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    ]
    return patterns


def include_app(app_label: str) -> URLResolver:
    return path("", include(f"{app_label}.urls"))


def __getattr__(name: str):
    if name == "urlpatterns":
        return service_urlpatterns(settings.KUBESHOP_SERVICE)
    raise AttributeError(name)
