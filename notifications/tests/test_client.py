"""The in-process half of notifications.client (the HTTP half runs in the contract suite)."""

import pytest

from kubeshop.errors import Conflict, InvalidRequest
from notifications import client
from notifications.client import NewNotification, NotificationInfo
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_notify_returns_a_notification_info():
    info = client.notify(
        NewNotification(user_id="alice", message="Paid", event_id="order.paid:7", order_id="7", kind="order.paid")
    )
    stored = Notification.objects.get()
    assert info == NotificationInfo(
        id=stored.id,
        user_id="alice",
        message="Paid",
        kind="order.paid",
        event_id="order.paid:7",
        order_id="7",
        read=False,
    )


def test_notify_is_idempotent_on_the_event_id():
    first = client.notify(NewNotification(user_id="alice", message="Paid", event_id="order.paid:7"))
    again = client.notify(NewNotification(user_id="alice", message="Paid again", event_id="order.paid:7"))
    assert again == first
    assert Notification.objects.count() == 1


def test_notify_without_ids_gives_none_for_them():
    info = client.notify(NewNotification(user_id="alice", message="Hello"))
    assert (info.event_id, info.order_id, info.kind) == (None, None, "info")


def test_list_notifications_returns_the_users_newest_first():
    older = client.notify(NewNotification(user_id="alice", message="older", order_id="1"))
    newer = client.notify(NewNotification(user_id="alice", message="newer"))
    client.notify(NewNotification(user_id="bob", message="bob's"))
    assert client.list_notifications("alice") == [newer, older]
    assert client.list_notifications("nobody") == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"user_id": "", "message": "Hi"},
        {"user_id": "alice", "message": ""},
        {"user_id": "alice", "message": "   "},
        {"user_id": "alice", "message": "x" * 2001},
        {"user_id": "a b", "message": "Hi"},
        {"user_id": "alice", "message": "Hi", "kind": "not a slug"},
        {"user_id": "alice", "message": "Hi", "event_id": "e" * 101},
        {"user_id": "alice", "message": "Hi", "order_id": "o" * 65},
        {"user_id": "alice", "message": "Hi", "email": "nope"},
    ],
)
def test_bad_input_raises_invalid_request_and_stores_nothing(kwargs):
    with pytest.raises(InvalidRequest):
        client.notify(NewNotification(**kwargs))
    assert not Notification.objects.exists()


def test_an_event_id_of_another_user_is_a_conflict():
    client.notify(NewNotification(user_id="alice", message="Paid", event_id="order.paid:7"))
    with pytest.raises(Conflict):
        client.notify(NewNotification(user_id="bob", message="Paid", event_id="order.paid:7"))
