"""Customer accounts: registration, sign-in, token refresh, sign-out and password change.

Access tokens are short-lived and checked by every service on its own (kubeshop.identity); refresh
tokens are honoured only here, against this service's users and simplejwt's token blacklist. A
refresh token names the account's "version" — a keyed digest of its password hash and its active
and staff flags — so changing any of them, from this API or the admin, ends every refresh token
issued before.
"""

import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare, salted_hmac
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from frontend.data import StaffMember
from frontend.errors import StaffSignInRefused
from kubeshop.errors import InvalidRequest
from kubeshop.identity import issue_token, token_backend


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the access token
    user_id: str
    refresh: str = ""


class WrongCredentials(Exception):
    """The username and password do not match an active user."""


class SignInLocked(Exception):
    """Too many failed sign-ins from this address or for this username: refused without a check."""


class InvalidRefreshToken(Exception):
    """The refresh token is forged, expired, revoked, or its account changed since it was issued."""


class AccountRefreshToken(RefreshToken):
    """simplejwt's refresh token, signed and checked with this process's key pair and lifetime."""

    @property
    def lifetime(self) -> timedelta:  # type: ignore[override]
        return timedelta(seconds=settings.REFRESH_TOKEN_LIFETIME)

    def get_token_backend(self):
        return token_backend()


def normalise_username(username: str) -> str:
    """NFKC, as Django stores it: ＡＬＩＣＥ is ALICE, so the case-insensitive check sees it."""
    return unicodedata.normalize("NFKC", username)


def register_user(*, username: str, password: str, email: str) -> str:
    """Create a customer account; returns its userId (the username, normalised)."""
    User = get_user_model()
    username = normalise_username(username)
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        raise InvalidRequest("username: " + " ".join(exc.messages)) from None
    try:
        password_validation.validate_password(password, user=User(username=username, email=email))
    except ValidationError as exc:
        raise InvalidRequest("password: " + " ".join(exc.messages)) from None
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidRequest(f"username: {username!r} is already taken.")
    try:
        with transaction.atomic():
            User.objects.create_user(username=username, password=password, email=email)
    except IntegrityError:  # a concurrent registration took it first
        raise InvalidRequest(f"username: {username!r} is already taken.") from None
    return username


def obtain_token(*, request: HttpRequest, username: str, password: str) -> IssuedToken:
    """Sign in: an access and a refresh token for an active user with this password."""
    user = authenticate(request, username=normalise_username(username), password=password)
    if getattr(request, "axes_locked_out", False):
        raise SignInLocked
    if user is None:
        raise WrongCredentials
    return _issue(user)


def verify_staff(*, username: str, password: str) -> StaffMember:
    """The active staff account with this username and password, for another service's admin.

    Checked as the admin here would (the password, the active flag), but without counting the attempt: the
    service asking counts it against the client who made it. Anyone else is refused with one answer.
    """
    return _vouch_for(ModelBackend().authenticate(None, username=normalise_username(username), password=password))


def staff_member(*, username: str) -> StaffMember:
    """The staff account with this (canonical) username as it stands now: another service's admin asks
    at every request of a signed-in staff member, so that a demotion or a deactivation ends their session."""
    return _vouch_for(get_user_model().objects.filter(username=username).first())


def _vouch_for(user: AbstractBaseUser | None) -> StaffMember:
    if user is None or not user.is_active or not user.is_staff:
        raise StaffSignInRefused
    return StaffMember(
        username=user.get_username(),
        email=user.email,
        is_superuser=user.is_superuser,
        permissions=() if user.is_superuser else tuple(sorted(user.get_all_permissions())),
    )


def refresh_tokens(*, refresh: str) -> IssuedToken:
    """A new access and refresh token for a refresh token still good; the old one is used up."""
    old = _decode_refresh(refresh)
    User = get_user_model()
    with transaction.atomic():
        # The user's row lock serialises two refreshes of one token: only the first one rotates it.
        user = User.objects.select_for_update().filter(username=old.get("sub")).first()
        if user is None or not user.is_active or not constant_time_compare(str(old.get("ver")), account_version(user)):
            raise InvalidRefreshToken
        if BlacklistedToken.objects.filter(token__jti=old["jti"]).exists():
            raise InvalidRefreshToken
        old.blacklist()
        return _issue(user)


def sign_out(*, refresh: str) -> None:
    """Revoke one refresh token (the access token it came with runs out on its own, within minutes)."""
    _decode_refresh(refresh).blacklist()


def change_password(*, request: HttpRequest, username: str, old: str, new: str) -> None:
    """Set a new password after checking the old one; every refresh token of the account is revoked."""
    user = authenticate(request, username=username, password=old)
    if getattr(request, "axes_locked_out", False):
        raise SignInLocked
    if user is None:
        raise InvalidRequest("old: this is not your current password.")
    try:
        password_validation.validate_password(new, user=user)
    except ValidationError as exc:
        raise InvalidRequest("new: " + " ".join(exc.messages)) from None
    with transaction.atomic():
        user.set_password(new)
        user.save(update_fields=["password"])
        revoke_refresh_tokens(user)


def revoke_refresh_tokens(user: AbstractBaseUser) -> int:
    """Blacklist every outstanding refresh token of a user; returns how many were still good."""
    outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    revoked = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    return len(revoked)


def account_version(user: AbstractBaseUser) -> str:
    """Changes when the password, the active flag or the staff flag changes (keyed: hides the hash)."""
    state = f"{user.password}|{user.is_active}|{getattr(user, 'is_staff', False)}"
    return salted_hmac("kubeshop.account-version", state, algorithm="sha256").hexdigest()[:32]


def _issue(user: AbstractBaseUser) -> IssuedToken:
    refresh = AccountRefreshToken()
    refresh["sub"] = user.get_username()
    refresh["ver"] = account_version(user)
    OutstandingToken.objects.create(
        user=user,
        jti=refresh["jti"],
        token=str(refresh),
        created_at=refresh.current_time,
        expires_at=datetime_from_epoch(refresh["exp"]),
    )
    access = issue_token(username=user.get_username(), is_staff=user.is_staff, email=user.email)
    return IssuedToken(token=access, user_id=user.get_username(), refresh=str(refresh))


def _decode_refresh(refresh: str) -> AccountRefreshToken:
    try:
        return AccountRefreshToken(refresh)  # signature, expiry, type and blacklist
    except TokenError:
        raise InvalidRefreshToken from None
