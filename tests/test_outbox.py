"""The orders outbox: failed deliveries wait with backoff, are retried, and land once."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Notification
from orders import outbox
from orders.models import IdempotencyRecord, OutboxEvent

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


def test_an_event_that_fails_too_often_is_parked_as_dead_and_counted(settings):
    settings.KUBESHOP_OUTBOX_MAX_ATTEMPTS = 2
    event = paid_notice("")  # refused by notifications every time
    live = paid_notice("Paid.")
    OutboxEvent.objects.filter(pk=live.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
    assert outbox.deliver_due() == 0
    outbox.retry_now()
    assert outbox.deliver_due() == 1  # the live one; the failing one fails its last attempt
    parked = OutboxEvent.objects.get(pk=event.pk)
    assert (parked.attempts, parked.dead_at is not None, parked.delivered_at) == (2, True, None)
    outbox.retry_now()
    assert outbox.deliver_due() == 0  # a dead event is not attempted again, even when everything is retried
    assert OutboxEvent.objects.get(pk=event.pk).attempts == 2
    assert outbox.backlog() == {"pending": 0, "dead": 1}


def test_staff_re_queue_a_dead_event_in_the_admin_and_it_is_delivered(settings, admin_client):
    settings.KUBESHOP_OUTBOX_MAX_ATTEMPTS = 1
    event = paid_notice("")
    outbox.deliver_due()
    assert "dead (parked)" in admin_client.get("/admin/orders/outboxevent/").content.decode()
    listed = admin_client.get("/admin/orders/outboxevent/?delivery=dead").context["cl"].result_list
    assert [e.pk for e in listed] == [event.pk]

    OutboxEvent.objects.filter(pk=event.pk).update(payload={"userId": "alice", "message": "Paid."})  # the cause fixed
    response = admin_client.post(
        "/admin/orders/outboxevent/", {"action": "requeue", "_selected_action": [str(event.pk)]}, follow=True
    )
    assert "1 events re-queued." in response.content.decode()
    assert outbox.backlog() == {"pending": 1, "dead": 0}
    assert outbox.deliver_due() == 1
    assert list(Notification.objects.values_list("message", flat=True)) == ["Paid."]


def test_delivered_events_and_idempotency_records_are_purged_after_the_retention_period(settings):
    settings.KUBESHOP_RETENTION_DAYS = 7
    old, recent, undelivered = paid_notice("Old."), paid_notice("Recent."), paid_notice("")
    outbox.deliver_due()
    eight_days_ago = timezone.now() - timedelta(days=8)
    OutboxEvent.objects.filter(pk__in=[old.pk, undelivered.pk]).update(
        created_at=eight_days_ago, next_attempt_at=eight_days_ago
    )
    OutboxEvent.objects.filter(pk=old.pk).update(delivered_at=eight_days_ago)
    IdempotencyRecord.objects.create(user_id="alice", key="old", fingerprint="x")
    IdempotencyRecord.objects.create(user_id="alice", key="new", fingerprint="x")
    IdempotencyRecord.objects.filter(key="old").update(created_at=eight_days_ago)

    call_command("deliver_outbox", "--once")  # the dispatcher purges every round
    assert set(OutboxEvent.objects.values_list("pk", flat=True)) == {recent.pk, undelivered.pk}
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_the_dispatcher_sweeps_stale_checkouts_every_round(settings, make_product):
    from orders.models import Order, OrderItem, OrderStatus

    settings.KUBESHOP_SWEEP_AFTER = 60
    mug = make_product("Mug", stock=3)
    order = Order.objects.create(user_id="alice", total_amount="12.50")
    OrderItem.objects.create(order=order, product_id=mug.id, name="Mug", quantity=1, price="12.50")
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(seconds=61))

    call_command("deliver_outbox", "--once")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.FAILED  # never charged: compensated
    out = io.StringIO()
    call_command("sweep_orders", "--older-than", "0", stdout=out)  # the command a schedule runs: nothing left
    assert out.getvalue().strip() == "swept stale orders: 0 paid, 0 failed, 0 left"
