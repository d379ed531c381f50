"""DRF authentication: end users by signed bearer token, peer services by the shared credential."""

import hmac
from urllib.parse import unquote

from django.conf import settings
from rest_framework import authentication, exceptions

from kubeshop.identity import Identity, verify_token
from kubeshop.registry import MONOLITH

SERVICE_TOKEN_HEADER = "X-Service-Token"
ACTING_USER_HEADER = "X-Acting-User"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header; expected 'Bearer <token>'.")
        identity = verify_token(header[1])
        if identity is None:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        return identity, header[1]

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="kubeshop"'


class ServiceAuthentication(authentication.BaseAuthentication):
    """A peer service presents KUBESHOP_SERVICE_TOKEN and names the end user it acts for.

    Only split services accept it: in one process no service calls another over HTTP, so there the
    credential would be nothing but a way for whoever learns it to act as any user.
    """

    def authenticate(self, request):
        presented = request.headers.get(SERVICE_TOKEN_HEADER)
        if presented is None:
            return None
        if settings.KUBESHOP_SERVICE == MONOLITH:
            raise exceptions.AuthenticationFailed("This process runs every service: no service credential is accepted.")
        if not self.is_valid(presented):
            raise exceptions.AuthenticationFailed("Invalid service credential.")
        acting_for = unquote(request.headers.get(ACTING_USER_HEADER, ""))
        return Identity(username=acting_for, is_service=True), None

    @staticmethod
    def is_valid(presented: str | None) -> bool:
        """Whether `presented` is this split service's credential (never in one process)."""
        expected = settings.KUBESHOP_SERVICE_TOKEN
        if presented is None or settings.KUBESHOP_SERVICE == MONOLITH or len(expected) < 32:
            return False
        return hmac.compare_digest(presented.encode(), expected.encode())
