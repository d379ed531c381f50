"""Sign-in lockout (django-axes): failed authenticate() calls lock out an address or a username."""

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest

from kubeshop.throttling import username_key


class SignInLockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out address or username before any password is checked.

    Every sign-in over HTTP (the token route, the storefront's form, the admin) passes its request;
    a call without one (the test client's login(), a shell) has no address to count, so it is let
    through to the password check rather than failing.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs
    ):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def attempted_username(request: HttpRequest, credentials: dict | None) -> str:
    """The username an attempt counts against, normalised so that case and width do not split it."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username", "") if hasattr(request, "POST") else ""
    return username_key(str(username)) if username else ""
