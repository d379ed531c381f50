"""One set of users: every sign-in, on whichever service, is checked against the frontend's accounts.

Named in AUTHENTICATION_BACKENDS (after the lockout backend, which counts every attempt where it is made).
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from frontend import client
from kubeshop import transport
from kubeshop.errors import Unavailable


class AccountsBackend(ModelBackend):
    """Django's ModelBackend where the accounts are (the frontend, one process); elsewhere the frontend is asked.

    A split service's admin keeps a shadow row for each staff member who signed in to it: no usable
    password, flags and permissions copied from the account at every sign-in, so that its admin sessions
    and its change history have a local user to point at. Sign-in is refused to anyone the frontend does
    not vouch for as active staff; a frontend out of reach raises Unavailable (the admin's form says so).
    A signed-in staff member is vouched for again at every request (`get_user`), so that a demotion, a
    deactivation or a change of permissions on the frontend holds at once; while the frontend cannot be
    reached, nobody is signed in to a split service's admin.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs
    ) -> AbstractBaseUser | None:
        if transport.runs_here("frontend"):
            return super().authenticate(request, username=username, password=password, **kwargs)
        if username is None or password is None:
            return None
        try:
            staff = client.verify_staff(username=username, password=password)
        except client.StaffSignInRefused:
            return None
        return shadow_of(staff)

    def get_user(self, user_id) -> AbstractBaseUser | None:
        user = super().get_user(user_id)
        if user is None or transport.runs_here("frontend"):
            return user
        try:
            staff = client.staff_member(username=user.get_username())
        except (client.StaffSignInRefused, Unavailable):
            return None  # signed out: no longer staff, or nobody to say that they still are
        return shadow_of(staff)


def shadow_of(staff: client.StaffMember) -> AbstractBaseUser:
    """This database's row for a staff member, made or brought up to date with the account's flags."""
    User = get_user_model()
    with transaction.atomic():
        user, _ = User.objects.update_or_create(
            username=staff.username,
            defaults={"email": staff.email, "is_staff": True, "is_superuser": staff.is_superuser, "is_active": True},
            create_defaults={
                "email": staff.email,
                "is_staff": True,
                "is_superuser": staff.is_superuser,
                "is_active": True,
                "password": make_password(None),  # unusable: the password is checked by the frontend only
            },
        )
        user.user_permissions.set(_permissions(staff.permissions))
    return user


def _permissions(names: Iterable[str]) -> list[Permission]:
    """This database's Permission rows for "app_label.codename" names (the same apps are installed everywhere)."""
    wanted = Q(pk__in=[])
    for name in names:
        app_label, _, codename = name.partition(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(wanted))
