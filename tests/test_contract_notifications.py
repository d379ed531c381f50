"""notifications.client gives the same results in-process and over HTTP."""

import uuid

import pytest

from notifications import client as notifications

pytestmark = pytest.mark.django_db  # the in-process half uses the test database


def test_notify_stores_once_per_event_and_lists_newest_first(api):
    user, order_id = f"u{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    first = notifications.notify(
        notifications.NewNotification(user_id=user, message="Paid", event_id=f"e-{order_id}", order_id=order_id)
    )
    again = notifications.notify(
        notifications.NewNotification(user_id=user, message="Paid", event_id=f"e-{order_id}", order_id=order_id)
    )
    assert again == first
    second = notifications.notify(notifications.NewNotification(user_id=user, message="Shipped"))
    assert (first.user_id, first.message, first.order_id, first.read) == (user, "Paid", order_id, False)
    assert [n.id for n in notifications.list_notifications(user)] == [second.id, first.id]
