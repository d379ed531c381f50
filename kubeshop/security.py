"""Django's SecurityMiddleware, except that calls between services are not redirected to HTTPS.

TLS ends at the ingress; inside the cluster services call each other over plain HTTP by Service
name. A call carrying the valid service credential is never a browser's, so the redirect (which
exists for browsers) does not apply to it. Merely naming the header earns nothing: anything else,
a wrong credential included, is redirected like any browser.
"""

from django.conf import settings
from django.core import checks
from django.middleware.security import SecurityMiddleware as DjangoSecurityMiddleware

from kubeshop.authentication import SERVICE_TOKEN_HEADER, ServiceAuthentication


class SecurityMiddleware(DjangoSecurityMiddleware):
    def process_request(self, request):
        if ServiceAuthentication.is_valid(request.headers.get(SERVICE_TOKEN_HEADER)):
            return None
        return super().process_request(request)


@checks.register(checks.Tags.security, deploy=True)
def check_security_middleware(app_configs, **kwargs) -> list[checks.Warning]:
    """Django's security.W001 looks for its own class by name (silenced in settings); this looks for ours."""
    if f"{__name__}.SecurityMiddleware" in settings.MIDDLEWARE:
        return []
    return [checks.Warning("kubeshop.security.SecurityMiddleware is not in MIDDLEWARE.", id="kubeshop.W001")]
