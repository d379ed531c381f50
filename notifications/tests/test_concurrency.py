"""Racing deliveries of one event store one notification: the unique event_id decides, not a check."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from notifications import services
from notifications.data import NewNotification
from notifications.models import Notification


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_event_store_one_notification():
    def deliver(i: int) -> tuple[int, bool]:
        try:
            notification, created = services.notify(
                NewNotification(user_id="alice", message=f"try {i}", event_id="order.paid:9")
            )
            return notification.id, created
        finally:
            connection.close()

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(deliver, range(10)))
    assert [created for _, created in results].count(True) == 1
    assert {notification_id for notification_id, _ in results} == {Notification.objects.get().id}
