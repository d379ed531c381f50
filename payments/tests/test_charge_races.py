"""Two first calls with one key race: the unique key lets one charge through, the other reads it."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from kubeshop import errors
from payments import services
from payments.models import Payment

ARGUMENTS = {"user_id": "alice", "order_id": "order-1", "amount": Decimal("12.50")}


@pytest.mark.django_db
def test_a_charge_that_loses_the_insert_race_returns_the_winners_payment(monkeypatch):
    winner = services.charge(idempotency_key="key-1", **ARGUMENTS)
    real_filter = Payment.objects.filter

    def not_yet_there(*args, **kwargs):  # the loser looked before the winner had committed
        return real_filter(*args, **kwargs).none()

    monkeypatch.setattr(Payment.objects, "filter", not_yet_there)
    assert services.charge(idempotency_key="key-1", **ARGUMENTS) == winner
    with pytest.raises(errors.Unprocessable):
        services.charge(idempotency_key="key-1", **{**ARGUMENTS, "amount": Decimal("1.00")})
    monkeypatch.undo()
    assert Payment.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_charges_with_one_key_charge_once():
    def charge(_) -> int:
        try:
            return services.charge(idempotency_key="key-1", **ARGUMENTS).id
        finally:
            connection.close()

    with ThreadPoolExecutor(20) as pool:
        ids = list(pool.map(charge, range(20)))
    assert len(set(ids)) == 1
    assert Payment.objects.count() == 1
