"""payments.client gives the same results and raises the same errors in-process and over HTTP."""

import uuid
from decimal import Decimal

import pytest

from kubeshop.errors import Conflict, NotFound, PaymentDeclined, Unprocessable
from payments import client as payments

pytestmark = pytest.mark.django_db  # the in-process half uses the test database


def charge(key: str, order_id: str, amount: str = "12.50", card: str = "") -> payments.PaymentInfo:
    return payments.charge(idempotency_key=key, user_id="alice", order_id=order_id, amount=Decimal(amount), card=card)


def test_charge_succeeds_once_per_key(api):
    key, order_id = uuid.uuid4().hex, uuid.uuid4().hex
    first = charge(key, order_id)
    assert (first.order_id, first.user_id, first.amount) == (order_id, "alice", Decimal("12.50"))
    assert first.status == "succeeded"
    assert charge(key, order_id) == first
    assert payments.payments_of_order(order_id) == [first]


def test_the_decline_card_raises_card_declined(api):
    with pytest.raises(payments.CardDeclined):
        charge(uuid.uuid4().hex, uuid.uuid4().hex, card="4000000000000002")


def test_a_key_reused_for_another_charge_is_unprocessable(api):
    key = uuid.uuid4().hex
    charge(key, uuid.uuid4().hex)
    with pytest.raises(Unprocessable):
        charge(key, uuid.uuid4().hex, amount="99.00")


def test_refund_is_idempotent_and_void_refunds_an_order(api):
    paid = charge(uuid.uuid4().hex, uuid.uuid4().hex)
    assert payments.refund(payment_id=paid.id).status == "refunded"
    assert payments.refund(payment_id=paid.id).status == "refunded"
    order_id = uuid.uuid4().hex
    other = charge(uuid.uuid4().hex, order_id)
    assert payments.void_order(order_id=order_id) == [other.id]
    assert [p.status for p in payments.payments_of_order(order_id)] == ["refunded"]


def test_refunding_a_declined_payment_is_a_conflict_and_unknown_ids_are_not_found(api):
    with pytest.raises(NotFound):
        payments.refund(payment_id=987654321)
    order_id = uuid.uuid4().hex
    with pytest.raises(PaymentDeclined):
        charge(uuid.uuid4().hex, order_id, card="4000000000000002")
    assert payments.void_order(order_id=order_id) == []
    with pytest.raises(Conflict):
        payments.refund(payment_id=_declined_payment_id(api, order_id))


def _declined_payment_id(api, order_id: str) -> int:
    if api.shop is None:
        from payments.models import Payment

        return Payment.objects.get(order_id=order_id).id
    # over HTTP the declined payment's id is not returned to the caller: find it via the service's database
    result = api.shop["payments"].manage(
        "shell",
        "--no-imports",
        "-c",
        f"from payments.models import Payment; print(Payment.objects.get(order_id='{order_id}').id)",
    )
    return int(result.stdout.strip().splitlines()[-1])
