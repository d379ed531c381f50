"""A release is final: a reservation of the order that arrives after it (a retry in flight) takes no stock."""

import pytest

from catalog import services
from catalog.data import StockLine
from catalog.models import Product, Reservation, ReservationState, StockGate
from kubeshop import errors
from tests.races import race_each_order


def stock_of(product) -> int:
    return Product.objects.get(pk=product.pk).stock


@pytest.mark.django_db
def test_a_reservation_after_its_order_was_released_is_refused_and_takes_no_stock(make_product):
    mug = make_product("Mug", stock=5)
    services.release_stock(order_id="o-1")  # the order was compensated before its reservation arrived
    with pytest.raises(errors.Conflict, match="gave its stock back"):
        services.reserve_stock(order_id="o-1", lines=[StockLine(mug.id, 2)])
    assert stock_of(mug) == 5
    assert not Reservation.objects.exists()


@pytest.mark.django_db
def test_a_repeated_reservation_after_a_release_does_not_take_the_stock_again(make_product):
    mug = make_product("Mug", stock=5)
    services.reserve_stock(order_id="o-2", lines=[StockLine(mug.id, 2)])
    services.release_stock(order_id="o-2")
    with pytest.raises(errors.Conflict):
        services.reserve_stock(order_id="o-2", lines=[StockLine(mug.id, 2)])
    assert stock_of(mug) == 5
    assert set(Reservation.objects.values_list("state", flat=True)) == {ReservationState.RELEASED}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reservation_racing_the_release_of_its_order_never_keeps_stock(make_product):
    mug = make_product("Mug", stock=1000)
    orders = [f"race-{n}" for n in range(30)]
    # Gate rows already there (an earlier call for the order made them): the row lock, not the insert, decides.
    StockGate.objects.bulk_create(StockGate(order_id=o) for o in orders)
    race_each_order(
        orders,
        lambda order_id: services.reserve_stock(order_id=order_id, lines=[StockLine(mug.id, 3)]),
        lambda order_id: services.release_stock(order_id=order_id),
    )
    assert stock_of(mug) == 1000
    assert not Reservation.objects.exclude(state=ReservationState.RELEASED).exists()
