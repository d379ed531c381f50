"""Customer accounts: registration and identity tokens."""
from dataclasses import dataclass

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kubeshop.errors import InvalidRequest
from kubeshop.identity import issue_token


@dataclass(frozen=True)
class IssuedToken:
    token: str
    user_id: str


class WrongCredentials(Exception):
    """The username and password do not match an active user."""


def register_user(*, username: str, password: str, email: str) -> str:
    """Create a customer account; returns its userId (the username)."""
    User = get_user_model()
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


def obtain_token(*, username: str, password: str) -> IssuedToken:
    user = authenticate(username=username, password=password)
    if user is None:
        raise WrongCredentials
    token = issue_token(username=user.username, is_staff=user.is_staff, email=user.email)
    return IssuedToken(token=token, user_id=user.username)
