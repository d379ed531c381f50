"""Checkouts racing on PostgreSQL: threads with their own connections, no oversell, no deadlock."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection

from catalog import client as catalog
from catalog.models import Product
from conftest import client_for
from orders import sweeper
from orders.models import Order, OrderStatus, OutboxEvent
from payments import client as payments
from payments.models import Payment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_own_connection(work):
    def run(*args):
        try:
            return work(*args)
        finally:
            connection.close()

    return run


def fill_cart(user: str, *lines: tuple[Product, int]) -> None:
    client = client_for(user)
    for product, quantity in lines:
        response = client.post(f"/api/cart/{user}/add", {"productId": product.id, "quantity": quantity}, format="json")
        assert response.status_code == 200


@in_own_connection
def checkout(user: str) -> int:
    return client_for(user).post("/api/orders/create", {"userId": user}, format="json").status_code


def test_fifty_concurrent_checkouts_of_ten_in_stock_sell_exactly_ten(make_product):
    lamp = make_product("Last Lamps", stock=10)
    buyers = [f"buyer{i}" for i in range(50)]
    for user in buyers:
        fill_cart(user, (lamp, 1))
    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(checkout, buyers))
    assert statuses.count(201) == 10
    assert set(statuses) == {201, 409}
    assert Product.objects.get(pk=lamp.pk).stock == 0
    assert Order.objects.filter(status=OrderStatus.PAID).count() == 10


def test_carts_holding_the_same_products_in_opposite_order_never_deadlock(make_product):
    a, b = make_product("A", stock=1000), make_product("B", stock=1000)
    pairs = [(f"ab{i}", (a, 1), (b, 1)) for i in range(20)] + [(f"ba{i}", (b, 1), (a, 1)) for i in range(20)]
    for user, *lines in pairs:
        fill_cart(user, *lines)
    with ThreadPoolExecutor(40) as pool:
        statuses = list(pool.map(checkout, [user for user, *_ in pairs]))
    assert statuses == [201] * 40
    assert (Product.objects.get(pk=a.pk).stock, Product.objects.get(pk=b.pk).stock) == (960, 960)


@in_own_connection
def edit_price(product: Product, price: str) -> int:
    staff = client_for("carol", staff=True)
    return staff.patch(f"/api/products/{product.id}", {"price": price}, format="json").status_code


def test_staff_price_edits_racing_checkouts_leave_the_stock_exact(make_product):
    mugs = make_product("Racing Mugs", stock=100, price="10.00")
    buyers = [f"racer{i}" for i in range(40)]
    for user in buyers:
        fill_cart(user, (mugs, 1))
    with ThreadPoolExecutor(40) as pool:  # a price edit between every two checkouts, all at once
        sales, edits = [], []
        for i, user in enumerate(buyers):
            sales.append(pool.submit(checkout, user))
            edits.append(pool.submit(edit_price, mugs, f"{11 + i}.00"))
        assert [s.result() for s in sales] == [201] * 40
        assert [e.result() for e in edits] == [200] * 40
    assert Product.objects.get(pk=mugs.pk).stock == 60


def test_two_sweepers_racing_over_the_same_stale_orders_settle_each_once(make_product):
    kettle = make_product("Kettle", stock=100)
    stale = []
    for i in range(20):  # a crash left each PENDING with its stock reserved; every other one also charged
        order = Order.objects.create(user_id=f"stale{i}", total_amount="10.00")
        order.items.create(product_id=kettle.id, name="Kettle", quantity=1, price="10.00")
        catalog.reserve_stock(order_id=str(order.id), lines=[catalog.StockLine(kettle.id, 1)])
        if i % 2 == 0:
            payments.charge(
                idempotency_key=f"order-{order.id}",
                user_id=order.user_id,
                order_id=str(order.id),
                amount=Decimal("10.00"),
            )
        stale.append(order)

    sweep = in_own_connection(lambda _: sweeper.sweep_stale(older_than=timedelta(0)))
    with ThreadPoolExecutor(2) as pool:
        rounds = list(pool.map(sweep, range(2)))
    assert sum(r["paid"] for r in rounds) == 10 and sum(r["failed"] for r in rounds) == 10
    assert Order.objects.filter(status=OrderStatus.PAID).count() == 10
    assert Order.objects.filter(status=OrderStatus.FAILED).count() == 10
    for kind, expected in (("stock.commit", 10), ("order.paid", 10), ("stock.release", 10), ("payment.void", 10)):
        assert OutboxEvent.objects.filter(kind=kind).count() == expected  # follow-ups written by one winner only
    assert Payment.objects.filter(status="succeeded").count() == 10
    assert Product.objects.get(pk=kettle.pk).stock == 90
