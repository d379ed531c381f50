"""The orders outbox: failed deliveries wait with backoff, are retried, and land once."""
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Notification
from orders import outbox
from orders.models import OutboxEvent

# transaction=True: deliver_outbox closes stale connections between rounds, as a long-running process must
pytestmark = pytest.mark.django_db(transaction=True)


def paid_notice(message: str) -> OutboxEvent:
    return outbox.record("order.paid", order_id=uuid.uuid4(), userId="alice", message=message)


def test_a_failed_delivery_waits_with_growing_backoff_then_is_retried():
    event = paid_notice("")  # refused by notifications: an empty message
    assert outbox.deliver_due() == 0
    first = OutboxEvent.objects.get(pk=event.pk)
    assert (first.attempts, first.delivered_at) == (1, None)
    assert first.next_attempt_at > timezone.now()
    assert "message" in first.last_error
    assert outbox.deliver_due() == 0  # not due yet: nothing attempted
    assert OutboxEvent.objects.get(pk=event.pk).attempts == 1

    OutboxEvent.objects.filter(pk=event.pk).update(payload={"userId": "alice", "message": "Paid."})
    call_command("deliver_outbox", "--once", "--ignore-backoff")
    delivered = OutboxEvent.objects.get(pk=event.pk)
    assert (delivered.attempts, delivered.delivered_at is not None) == (2, True)
    assert list(Notification.objects.values_list("message", flat=True)) == ["Paid."]


def test_a_delivered_event_is_not_delivered_again():
    paid_notice("Paid.")
    assert outbox.deliver_due() == 1
    assert outbox.deliver_due() == 0
    assert Notification.objects.count() == 1


def test_an_event_kind_without_a_handler_cannot_be_recorded():
    with pytest.raises(ValueError, match="no handler"):
        outbox.record("order.shipped", order_id=uuid.uuid4())
