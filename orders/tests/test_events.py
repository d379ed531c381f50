"""Outbox event kinds: each carries its own payload, checked when it is recorded."""

import uuid

import pytest
from django.utils import timezone

from orders import outbox
from orders.events import CartClear, EventKind, Mail, NoPayload, Notice, PaymentRefund
from orders.models import OutboxEvent

pytestmark = pytest.mark.django_db


def test_a_typed_payload_is_stored_under_its_wire_keys_and_read_back_the_same():
    event = outbox.record(
        EventKind.CART_CLEAR, order_id=uuid.uuid4(), payload=CartClear(user_id="alice", product_ids=[3, 1])
    )
    stored = OutboxEvent.objects.get(pk=event.pk)
    assert stored.payload == {"userId": "alice", "productIds": [3, 1]}
    assert outbox.payload_of(stored) == CartClear(user_id="alice", product_ids=[3, 1])


def test_a_payload_of_another_kind_is_refused_and_nothing_is_recorded():
    with pytest.raises(TypeError, match="order.paid event carries Notice"):
        outbox.record(EventKind.ORDER_PAID, order_id=uuid.uuid4(), payload=Mail(email="a@example.com"))
    assert not OutboxEvent.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [{}, {"userId": "alice"}, {"userId": "alice", "message": "Paid.", "extra": 1}, {"userId": None, "message": "x"}],
)
def test_fields_missing_unknown_or_null_are_refused_when_recorded(fields):
    with pytest.raises(TypeError):
        outbox.record("order.paid", order_id=uuid.uuid4(), **fields)
    assert not OutboxEvent.objects.exists()


def test_mistyped_fields_are_refused():
    with pytest.raises(TypeError):
        PaymentRefund(payment_id="7")
    with pytest.raises(TypeError):
        CartClear(user_id="alice", product_ids=["1"])


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="no handler"):
        outbox.record("order.shipped", order_id=uuid.uuid4(), payload=NoPayload())


def test_a_row_an_older_version_wrote_with_extra_keys_still_reads():
    event = OutboxEvent.objects.create(
        kind=EventKind.ORDER_PAID,
        order_id=uuid.uuid4(),
        payload={"userId": "alice", "message": "Paid.", "productIds": [1], "email": ""},
        next_attempt_at=timezone.now(),
    )
    assert outbox.payload_of(event) == Notice(user_id="alice", message="Paid.")


def test_every_kind_has_a_handler():
    assert set(outbox.HANDLERS) == set(EventKind)
