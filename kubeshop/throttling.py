"""Rate limits on sign-up and sign-in, per client address and per username, in the shared cache.

The counters live in CACHES["default"] (Redis when split or scaled), so a limit holds across every
worker and replica rather than once per process.
"""

import hashlib
import unicodedata

from django.conf import settings
from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


def client_address(request: HttpRequest) -> str:
    """The caller's address: REMOTE_ADDR, or the entry the last of KUBESHOP_NUM_PROXIES proxies added.

    With no proxy configured X-Forwarded-For is ignored: a client could write anything in it.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    num_proxies = api_settings.NUM_PROXIES or 0
    if num_proxies <= 0 or not forwarded:
        return remote_addr
    entries = [e.strip() for e in forwarded.split(",")]
    return entries[-min(num_proxies, len(entries))] or remote_addr


def username_key(username: str) -> str:
    """One key per account name however it is written (ＡＬＩＣＥ, Alice, alice)."""
    return unicodedata.normalize("NFKC", username).casefold()


class SignInRateThrottle(SimpleRateThrottle):
    """Sign-up and sign-in requests per client address."""

    scope = "sign-in"

    def get_rate(self) -> str:
        return settings.KUBESHOP_SIGN_IN_RATE  # read per request, so tests and operators can change it

    def get_ident(self, request) -> str:
        return client_address(request)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInUsernameThrottle(SimpleRateThrottle):
    """Sign-up and sign-in requests per username, from any number of addresses."""

    scope = "sign-in-username"

    def get_rate(self) -> str:
        return settings.KUBESHOP_SIGN_IN_USERNAME_RATE

    def get_cache_key(self, request, view) -> str | None:
        data = request.data
        username = data.get("username") if hasattr(data, "get") else None
        if not isinstance(username, str) or not username:
            return None  # nothing to count: the view answers 400
        digest = hashlib.sha256(username_key(username).encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}
