"""GET /api/notifications/{userId} and marking read: each user reaches only their own notifications."""

import pytest

from conftest import service_client
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def make(user_id: str = "alice", message: str = "Hello", **extra) -> Notification:
    return Notification.objects.create(user_id=user_id, message=message, **extra)


def test_a_user_lists_their_notifications_newest_first_with_order_ids(customer):
    make(message="first", order_id="41")
    make(message="second")
    make(message="third", order_id="43", event_id="order.paid:43")
    make("bob", message="not alice's")
    response = customer.get("/api/notifications/alice")
    assert response.status_code == 200
    newest_first = [("third", "43"), ("second", None), ("first", "41")]
    assert [(n["message"], n["orderId"]) for n in response.json()] == newest_first
    assert response.json()[0]["eventId"] == "order.paid:43"
    assert response["X-Total-Count"] == "3"


def test_a_user_without_notifications_gets_an_empty_list(customer):
    response = customer.get("/api/notifications/alice")
    assert (response.status_code, response.json(), response["X-Total-Count"]) == (200, [], "0")


def test_notifications_are_paginated_with_headers(customer):
    for i in range(5):
        make(message=f"n{i}")
    first = customer.get("/api/notifications/alice?page_size=2")
    assert [n["message"] for n in first.json()] == ["n4", "n3"]
    assert first["X-Total-Count"] == "5"
    assert first["Link"] == '<http://testserver/api/notifications/alice?page=2&page_size=2>; rel="next"'
    assert [n["message"] for n in customer.get("/api/notifications/alice?page_size=2&page=3").json()] == ["n0"]


@pytest.mark.parametrize("query", ["page=0", "page=x", "page_size=-1"])
def test_bad_paging_is_a_400(customer, query):
    response = customer.get(f"/api/notifications/alice?{query}")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("page")


def test_another_user_gets_a_403_and_nothing_revealed(other_customer):
    make(message="secret")
    response = other_customer.get("/api/notifications/alice")
    assert response.status_code == 403
    assert "secret" not in response.content.decode()
    assert "X-Total-Count" not in response


def test_anonymous_gets_a_401(anonymous):
    make()
    assert anonymous.get("/api/notifications/alice").status_code == 401


def test_staff_is_not_the_user(staff):
    assert staff.get("/api/notifications/alice").status_code == 403


def test_a_service_lists_for_the_user_it_acts_for(service):
    make(message="for alice")
    assert [n["message"] for n in service_client("alice").get("/api/notifications/alice").json()] == ["for alice"]
    assert service.get("/api/notifications/alice").status_code == 200


def test_a_user_marks_their_notification_read(customer):
    notification = make()
    response = customer.post(f"/api/notifications/alice/{notification.id}/read")
    assert (response.status_code, response.json()["id"], response.json()["read"]) == (200, notification.id, True)
    assert Notification.objects.get().read is True
    assert customer.post(f"/api/notifications/alice/{notification.id}/read").json()["read"] is True


def test_marking_another_users_notification_read_is_a_404_and_changes_nothing(customer):
    bobs = make("bob")
    response = customer.post(f"/api/notifications/alice/{bobs.id}/read")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert Notification.objects.get().read is False


@pytest.mark.parametrize("bad_id", ["999999", "0", "-1", "abc", "99999999999999999999999"])
def test_marking_an_unknown_notification_read_is_a_404(customer, bad_id):
    assert customer.post(f"/api/notifications/alice/{bad_id}/read").status_code == 404


def test_a_user_cannot_mark_read_under_another_users_path(other_customer):
    notification = make()
    assert other_customer.post(f"/api/notifications/alice/{notification.id}/read").status_code == 403
    assert Notification.objects.get().read is False
