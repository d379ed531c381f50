"""Identity tokens: signed, expiring, carrying the username and staff flag.

Any service verifies a token on its own with the shared secret key: no database and no peer call.
"""
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

_SALT = "kubeshop.identity.token"


@dataclass(frozen=True)
class Identity:
    """Who is calling: an end user, or a peer service (acting for `username` when it names one)."""

    username: str
    email: str = ""
    is_staff: bool = False
    is_service: bool = False
    is_authenticated: bool = True

    @property
    def pk(self) -> str:
        return self.username

    def may_act_for(self, username: str) -> bool:
        return self.is_service or self.username == username


def issue_token(*, username: str, is_staff: bool, email: str = "") -> str:
    return signing.dumps({"sub": username, "staff": is_staff, "email": email}, salt=_SALT, compress=True)


def verify_token(token: str) -> Identity | None:
    """The identity a token proves, or None if it is forged, tampered with or expired."""
    try:
        claims = signing.loads(token, salt=_SALT, max_age=settings.TOKEN_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("sub"), str):
        return None
    return Identity(username=claims["sub"], email=str(claims.get("email", "")), is_staff=bool(claims.get("staff")))
