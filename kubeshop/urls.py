"""URLs of this process: the routes of the apps that KUBESHOP_SERVICE mounts, its admin and its API docs.

Built once, when the process first resolves a URL. The test suite switches services through
ROOT_URLCONF instead (tests/urlconfs.py).
"""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from kubeshop.admin_site import site_for
from kubeshop.registry import SERVICES, admin_prefix

handler400 = "kubeshop.api.bad_request"
handler403 = "kubeshop.api.permission_denied"
handler404 = "frontend.pages.errors.not_found"  # an HTML page for the storefront, JSON for the API
handler500 = "kubeshop.api.server_error"


def service_urlpatterns(service_name: str) -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = [include_app(app) for app in SERVICES[service_name].apps]
    patterns += [
        path(admin_prefix(service_name), site_for(service_name).urls),
        path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
        path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    ]
    return patterns


def include_app(app_label: str) -> URLResolver:
    return path("", include(f"{app_label}.urls"))


urlpatterns = service_urlpatterns(settings.KUBESHOP_SERVICE)
