"""How the API's two authentication schemes appear in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from kubeshop.authentication import SERVICE_TOKEN_HEADER


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "kubeshop.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Token from POST /api/auth/token."}


class ServiceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "kubeshop.authentication.ServiceAuthentication"
    name = "serviceToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": SERVICE_TOKEN_HEADER, "description": "Peer services only."}
