"""The checkout saga's state transitions, run in one process against the real apps."""

import pytest

from cart import client as cart
from catalog import client as catalog
from orders import services
from orders.errors import CartEmpty
from orders.events import EventKind
from orders.models import Order, OrderStatus, OutboxEvent
from payments import client as payments

pytestmark = pytest.mark.django_db


def kinds(order: Order) -> list[str]:
    return sorted(OutboxEvent.objects.filter(order_id=order.id).values_list("kind", flat=True))


def test_an_empty_cart_places_no_order():
    with pytest.raises(CartEmpty):
        services.place_order(user_id="alice")
    assert not Order.objects.exists()


def test_a_paid_order_records_its_follow_ups_and_takes_the_stock(make_product):
    mug = make_product(stock=5, price="2.50")
    cart.add_to_cart("alice", product_id=mug.id, quantity=2)
    order = services.place_order(user_id="alice", email="alice@example.com")
    assert (order.status, order.total_amount) == (OrderStatus.PAID, 5)
    assert kinds(order) == sorted(
        [EventKind.STOCK_COMMIT, EventKind.CART_CLEAR, EventKind.ORDER_PAID, EventKind.ORDER_MAIL]
    )
    assert catalog.get_product(mug.id).stock == 3
    assert cart.get_cart("alice") == []  # delivered at once: only the mail waits for the dispatcher


def test_short_stock_rejects_the_order_and_reserves_nothing(make_product):
    mug = make_product(stock=1)
    cart.add_to_cart("alice", product_id=mug.id, quantity=2)
    with pytest.raises(catalog.InsufficientStock):
        services.place_order(user_id="alice")
    (order,) = Order.objects.all()
    assert order.status == OrderStatus.REJECTED
    assert kinds(order) == []
    assert catalog.get_product(mug.id).stock == 1


def test_a_product_gone_off_sale_before_checkout_places_no_order(make_product):
    mug = make_product()
    cart.add_to_cart("alice", product_id=mug.id, quantity=1)
    mug.is_active = False
    mug.save()
    with pytest.raises(catalog.ProductOffSale):
        services.place_order(user_id="alice")
    assert not Order.objects.exists()


def test_a_declined_card_fails_the_payment_and_gives_the_stock_back(make_product):
    mug = make_product(stock=3)
    cart.add_to_cart("alice", product_id=mug.id, quantity=1)
    with pytest.raises(payments.CardDeclined):
        services.place_order(user_id="alice", card=payments.DECLINED_CARD)
    (order,) = Order.objects.all()
    assert order.status == OrderStatus.PAYMENT_FAILED
    assert kinds(order) == [EventKind.STOCK_RELEASE]
    assert catalog.get_product(mug.id).stock == 3
    assert cart.get_cart("alice") == [cart.CartLine(mug.id, 1)]


def test_settling_is_done_once_the_first_settlement_wins():
    order = Order.objects.create(user_id="alice", total_amount=1)
    assert services.compensate(order) is True
    assert services.compensate(order, OrderStatus.PAYMENT_FAILED) is False
    order.refresh_from_db()
    assert order.status == OrderStatus.FAILED
    assert kinds(order) == sorted([EventKind.STOCK_RELEASE, EventKind.PAYMENT_VOID])


def test_resuming_a_paid_order_returns_it_without_charging_again(make_product):
    mug = make_product(stock=5)
    cart.add_to_cart("alice", product_id=mug.id, quantity=1)
    order = services.place_order(user_id="alice")
    assert services.resume_order(order_id=order.id).status == OrderStatus.PAID
    assert len(payments.payments_of_order(str(order.id))) == 1


def test_a_checkout_reads_back_neither_its_order_nor_its_items_and_marks_its_follow_ups_in_one_write(
    customer, make_product
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    mug = make_product(stock=5, price="2.50")
    cart.add_to_cart("alice", product_id=mug.id, quantity=2)
    with CaptureQueriesContext(connection) as queries:
        answer = customer.post("/api/orders/create", {"userId": "alice"}, format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["status"], body["totalAmount"], body["paymentId"]) == (
        "PAID",
        "5.00",
        payments.payments_of_order(body["orderId"])[0].id,
    )
    assert [(i["productId"], i["quantity"], i["price"]) for i in body["items"]] == [(mug.id, 2, "2.50")]
    statements = [q["sql"] for q in queries.captured_queries]
    assert [s for s in statements if s.startswith("SELECT") and '"orders_' in s] == []  # all known from the writes
    assert len([s for s in statements if s.startswith('UPDATE "orders_outboxevent"')]) == 1
    assert OutboxEvent.objects.filter(order_id=body["orderId"], delivered_at__isnull=False).count() == 3
    assert Order.objects.get(pk=body["orderId"]).updated_at.isoformat().replace("+00:00", "Z") == body["updatedAt"]
