"""The frontend vouches for staff to the other services' admins: active staff with the right password only."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from conftest import service_client
from frontend import client, services
from frontend.client import StaffMember, StaffSignInRefused

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def clerk() -> User:
    """Staff with the outbox's permissions through a group, and one of their own."""
    user = User.objects.create_user("clerk", "clerk@example.com", PASSWORD, is_staff=True)
    desk = Group.objects.create(name="outbox desk")
    desk.permissions.add(Permission.objects.get(content_type__app_label="orders", codename="view_outboxevent"))
    user.groups.add(desk)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="orders", codename="change_outboxevent"))
    return user


def test_staff_are_vouched_for_with_the_permissions_of_their_account_and_groups(clerk):
    assert client.verify_staff(username="clerk", password=PASSWORD) == StaffMember(
        username="clerk",
        email="clerk@example.com",
        is_superuser=False,
        permissions=("orders.change_outboxevent", "orders.view_outboxevent"),
    )


def test_a_superuser_is_vouched_for_as_one():
    User.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    staff = services.verify_staff(username="boss", password=PASSWORD)
    assert (staff.username, staff.is_superuser, staff.permissions) == ("boss", True, ())


@pytest.mark.parametrize(
    ("username", "password", "change"),
    [
        ("clerk", "wrong-password", {}),
        ("nobody", PASSWORD, {}),
        ("clerk", PASSWORD, {"is_staff": False}),  # a customer
        ("clerk", PASSWORD, {"is_active": False}),
    ],
    ids=["wrong-password", "unknown-user", "not-staff", "inactive"],
)
def test_anyone_but_active_staff_with_their_password_is_refused_with_one_answer(clerk, username, password, change):
    User.objects.filter(pk=clerk.pk).update(**change)
    with pytest.raises(StaffSignInRefused) as refused:
        client.verify_staff(username=username, password=password)
    assert refused.value.detail == "Not an active staff account with this username and password."


def test_the_route_answers_a_service_with_the_staff_member_and_refuses_a_customer_with_a_403(clerk):
    User.objects.create_user("carl", "carl@example.com", PASSWORD)
    route = "/api/staff/verify"
    answer = service_client().post(route, {"username": "clerk", "password": PASSWORD}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {
        "username": "clerk",
        "email": "clerk@example.com",
        "isSuperuser": False,
        "permissions": ["orders.change_outboxevent", "orders.view_outboxevent"],
    }
    refused = service_client().post(route, {"username": "carl", "password": PASSWORD}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "staff_sign_in_refused"


def test_attempts_at_one_username_are_limited_across_every_admin_that_asks(clerk, settings):
    settings.KUBESHOP_SIGN_IN_USERNAME_RATE = "3/min"
    route = "/api/staff/verify"
    statuses = [
        service_client().post(route, {"username": name, "password": "guess"}, format="json").status_code
        for name in ("quill", "QUILL", "ｑｕｉｌｌ", "Quill")
    ]
    assert statuses == [403, 403, 403, 429]  # however the name is written, and from whichever service
    other = service_client().post(route, {"username": "someone-else", "password": "guess"}, format="json")
    assert other.status_code == 403


def test_a_staff_member_is_vouched_for_by_name_only_while_active_staff(clerk):
    assert client.staff_member(username="clerk").permissions == (
        "orders.change_outboxevent",
        "orders.view_outboxevent",
    )
    for change in ({"is_staff": False}, {"is_active": False}):
        User.objects.filter(pk=clerk.pk).update(**change)
        with pytest.raises(StaffSignInRefused):
            client.staff_member(username="clerk")
        User.objects.filter(pk=clerk.pk).update(is_staff=True, is_active=True)
    with pytest.raises(StaffSignInRefused):
        client.staff_member(username="nobody")


def test_the_status_route_answers_a_service_only(clerk):
    answer = service_client().post("/api/staff/status", {"username": "clerk"}, format="json")
    assert answer.status_code == 200 and answer.json()["username"] == "clerk"
    refused = service_client().post("/api/staff/status", {"username": "nobody"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "staff_sign_in_refused"
