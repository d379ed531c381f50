"""Identity tokens: short-lived access tokens (JWT, EdDSA) carrying the username, staff flag and email.

Only the service holding the accounts has the private key and can mint one; every service verifies
one on its own with the public key: no database and no peer call. Revocation is the refresh token's
business (frontend.services): an access token simply expires within KUBESHOP_ACCESS_TOKEN_LIFETIME.
"""

import time
import uuid
from dataclasses import dataclass

import jwt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework_simplejwt.backends import TokenBackend

from kubeshop import keys

ACCESS = "access"
REFRESH = "refresh"


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


class CannotSign(ImproperlyConfigured):
    """This service holds no private key: only the one that owns the accounts mints tokens."""


def token_backend() -> TokenBackend:
    """simplejwt's encoder and decoder with this process's keys (read per call: tests swap them)."""
    return TokenBackend(
        keys.ALGORITHM,
        signing_key=settings.KUBESHOP_JWT_PRIVATE_KEY or None,
        verifying_key=settings.KUBESHOP_JWT_PUBLIC_KEY,
    )


def sign(claims: dict) -> str:
    """A JWT of `claims` signed with the private key; CannotSign where there is none."""
    if not settings.KUBESHOP_JWT_PRIVATE_KEY:
        raise CannotSign(f"KUBESHOP_SERVICE={settings.KUBESHOP_SERVICE} holds no signing key and cannot mint tokens")
    return jwt.encode(claims, keys.private_key(settings.KUBESHOP_JWT_PRIVATE_KEY), algorithm=keys.ALGORITHM)


def issue_token(*, username: str, is_staff: bool, email: str = "", lifetime: int | None = None) -> str:
    """An access token for this user, valid for `lifetime` seconds (KUBESHOP_ACCESS_TOKEN_LIFETIME)."""
    now = int(time.time())
    lifetime = settings.ACCESS_TOKEN_LIFETIME if lifetime is None else lifetime
    return sign(
        {
            "token_type": ACCESS,
            "sub": username,
            "staff": is_staff,
            "email": email,
            "iat": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
        }
    )


def verify_token(token: str) -> Identity | None:
    """The identity an access token proves, or None if it is forged, tampered with, expired or not one."""
    try:
        claims = jwt.decode(
            token,
            keys.public_key(settings.KUBESHOP_JWT_PUBLIC_KEY),
            algorithms=[keys.ALGORITHM],
            options={"require": ["exp", "iat", "sub"]},
        )
    except jwt.InvalidTokenError:  # ExpiredSignatureError is one
        return None
    if claims.get("token_type") != ACCESS or not isinstance(claims.get("sub"), str):
        return None  # a refresh token is not an access token
    return Identity(username=claims["sub"], email=str(claims.get("email", "")), is_staff=claims.get("staff") is True)
