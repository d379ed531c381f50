"""DRF authentication: end users by signed bearer token, peer services by the shared credential."""
import hmac
from urllib.parse import unquote

from django.conf import settings
from rest_framework import authentication, exceptions

from kubeshop.identity import Identity, verify_token

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
    """A peer service presents KUBESHOP_SERVICE_TOKEN and names the end user it acts for."""

    def authenticate(self, request):
        presented = request.headers.get(SERVICE_TOKEN_HEADER)
        if presented is None:
            return None
        expected = settings.KUBESHOP_SERVICE_TOKEN
        if not expected or not hmac.compare_digest(presented.encode(), expected.encode()):
            raise exceptions.AuthenticationFailed("Invalid service credential.")
        acting_for = unquote(request.headers.get(ACTING_USER_HEADER, ""))
        return Identity(username=acting_for, is_service=True), None
