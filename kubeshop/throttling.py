"""Rate limits on sign-up and sign-in, per client address and per username, in the shared cache.

The counters live in CACHES["default"] (Redis when split or scaled), so a limit holds across every
worker and replica rather than once per process. Each is one atomic increment (Redis INCR): DRF's own
throttle reads a history, appends and writes it back, so concurrent sign-ins on two workers each
write over the other's count and more than the limit get through.
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


class CountingThrottle(SimpleRateThrottle):
    """At most `num_requests` per `duration` seconds per key, counted atomically in the shared cache.

    The window opens with a key's first request and closes `duration` seconds later (INCR keeps the
    key's expiry); `wait()` says how long until it closes.
    """

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        self.cache.add(f"{self.key}:opened", now, self.duration)
        self.cache.add(self.key, 0, self.duration)
        try:
            count = self.cache.incr(self.key)
        except ValueError:  # the window closed between add() and incr(): this request opens the next
            self.cache.add(self.key, 1, self.duration)
            count = 1
        self.opened = self.cache.get(f"{self.key}:opened", now)
        return count <= self.num_requests

    def wait(self) -> float:
        return max(self.opened + self.duration - self.timer(), 0.0)


class SignInRateThrottle(CountingThrottle):
    """Sign-up and sign-in requests per client address."""

    scope = "sign-in"

    def get_rate(self) -> str:
        return settings.KUBESHOP_SIGN_IN_RATE  # read per request, so tests and operators can change it

    def get_ident(self, request) -> str:
        return client_address(request)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInUsernameThrottle(CountingThrottle):
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
