"""Rate limits: sign-up and sign-in attempts per client address, against password guessing."""
from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class SignInRateThrottle(SimpleRateThrottle):
    scope = "sign-in"

    def get_rate(self) -> str:
        return settings.KUBESHOP_SIGN_IN_RATE  # read per request, so tests and operators can change it

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
