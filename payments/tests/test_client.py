"""payments.client in-process (this process mounts payments); the HTTP half lives in the contract suite."""

from decimal import Decimal

import pytest

from kubeshop import errors
from payments import client
from payments.client import PaymentInfo
from payments.models import Payment, PaymentStatus

pytestmark = pytest.mark.django_db

DECLINED_CARD = "4000000000000002"


def charge(key: str = "key-1", **overrides) -> PaymentInfo:
    arguments = {"idempotency_key": key, "user_id": "alice", "order_id": "order-1", "amount": Decimal("12.50")}
    return client.charge(**{**arguments, **overrides})


def test_charge_returns_a_payment_info():
    info = charge(card="4242424242424242")
    assert info == PaymentInfo(
        id=Payment.objects.get().id, order_id="order-1", user_id="alice", amount=Decimal("12.50"), status="succeeded"
    )
    assert type(info.amount) is Decimal and type(info.status) is str


def test_charge_stores_the_amount_in_whole_cents():
    assert str(charge(amount=Decimal("12.5")).amount) == "12.50"


def test_a_replayed_charge_returns_the_same_info_and_charges_once():
    assert charge() == charge()
    assert Payment.objects.count() == 1


def test_a_declined_charge_raises_payment_declined_every_time():
    with pytest.raises(errors.PaymentDeclined, match="The card was declined."):
        charge(card=DECLINED_CARD)
    with pytest.raises(errors.PaymentDeclined):
        charge(card=DECLINED_CARD)
    assert Payment.objects.get().status == PaymentStatus.DECLINED


def test_the_same_key_for_another_charge_raises_unprocessable():
    charge()
    with pytest.raises(errors.Unprocessable):
        charge(amount=Decimal("13.00"))


@pytest.mark.parametrize(
    "bad",
    [
        {"key": ""},
        {"key": "k" * 256},
        {"amount": Decimal("0")},
        {"amount": Decimal("-1")},
        {"amount": Decimal("1.234")},
        {"amount": Decimal("10000000000")},
        {"amount": Decimal("NaN")},
        {"card": "4242"},
        {"card": "4242 4242 4242 4242"},
        {"user_id": ""},
        {"order_id": "x" * 65},
    ],
)
def test_bad_arguments_raise_invalid_request_as_the_api_would(bad):
    with pytest.raises(errors.InvalidRequest):
        charge(**bad)
    assert not Payment.objects.exists()


def test_refund_returns_the_refunded_payment_and_is_idempotent():
    info = charge()
    refunded = client.refund(payment_id=info.id)
    assert refunded == PaymentInfo(
        id=info.id, order_id="order-1", user_id="alice", amount=Decimal("12.50"), status="refunded"
    )
    assert client.refund(payment_id=info.id) == refunded


def test_refunding_a_declined_payment_raises_conflict():
    with pytest.raises(errors.PaymentDeclined):
        charge(card=DECLINED_CARD)
    with pytest.raises(errors.Conflict):
        client.refund(payment_id=Payment.objects.get().id)


@pytest.mark.parametrize("payment_id", [999_999, 0, -1, 2**63])
def test_an_unknown_payment_raises_not_found(payment_id):
    with pytest.raises(errors.NotFound):
        client.refund(payment_id=payment_id)


def test_payments_of_order_returns_what_charge_returned():
    info = charge()
    assert client.payments_of_order("order-1") == [info]


def test_void_order_refunds_the_order_and_returns_payment_ids():
    first = charge("key-1")
    second = charge("key-2")
    charge("key-3", order_id="order-2")
    assert client.void_order(order_id="order-1") == [first.id, second.id]
    assert client.void_order(order_id="order-1") == [first.id, second.id]
    assert [p.status for p in client.payments_of_order("order-2")] == ["succeeded"]
    assert client.void_order(order_id="never-charged") == []
