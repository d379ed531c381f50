"""A void is final: a charge of the order that arrives after it (a retry still in flight) is refused."""

from decimal import Decimal

import pytest

from kubeshop import errors
from payments import services
from payments.models import OrderGate, Payment, PaymentStatus
from tests.races import race_each_order


def charge(order_id: str, key: str = "") -> Payment:
    return services.charge(
        idempotency_key=key or f"order-{order_id}", user_id="alice", order_id=order_id, amount=Decimal("12.50")
    )


@pytest.mark.django_db
def test_a_charge_after_its_order_was_voided_is_refused_and_charges_nothing():
    services.void_order(order_id="o-1")  # the sweeper gave up on the order before its charge arrived
    with pytest.raises(errors.Conflict, match="voided"):
        charge("o-1")
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_a_replay_of_a_charge_that_was_voided_answers_the_refunded_payment():
    first = charge("o-2")
    services.void_order(order_id="o-2")
    assert charge("o-2").id == first.id
    assert Payment.objects.get().status == PaymentStatus.REFUNDED


@pytest.mark.django_db
def test_other_orders_are_charged_as_before():
    services.void_order(order_id="o-3")
    assert charge("o-4").status == PaymentStatus.SUCCEEDED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_charge_racing_the_void_of_its_order_never_stands():
    orders = [f"race-{n}" for n in range(30)]
    # Gate rows already there (an earlier call for the order made them): the row lock, not the insert, decides.
    OrderGate.objects.bulk_create(OrderGate(order_id=o) for o in orders)
    race_each_order(orders, charge, lambda order_id: services.void_order(order_id=order_id))
    assert not Payment.objects.filter(status=PaymentStatus.SUCCEEDED).exists()
