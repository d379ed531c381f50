"""The client functions the storefront uses give the same results and errors in-process and over HTTP."""

import uuid
from decimal import Decimal

import pytest

from cart import client as cart
from catalog import client as catalog
from kubeshop.errors import NotFound, PaymentDeclined
from notifications import client as notifications
from orders import client as orders

pytestmark = pytest.mark.django_db  # the in-process half uses the test database


def someone() -> str:
    return f"u{uuid.uuid4().hex[:8]}"


def test_the_cart_is_changed_and_priced_through_its_client(api):
    user, mug = someone(), api.make_product("Priced Mug", price="2.50")
    cart.add_to_cart(user, product_id=mug, quantity=2)
    cart.set_quantity(user, product_id=mug, quantity=3)
    assert cart.priced_cart(user) == [cart.PricedCartLine(mug, 3, "Priced Mug", Decimal("2.50"), Decimal("7.50"))]
    cart.remove_from_cart(user, product_id=mug)
    assert cart.priced_cart(user) == []
    with pytest.raises(NotFound):
        cart.remove_from_cart(user, product_id=mug)


def test_merging_a_guest_cart_adds_quantities_caps_them_and_drops_what_is_off_sale(api):
    user, kept, new, gone = someone(), api.make_product("Kept"), api.make_product("New"), api.make_product("Gone")
    api.add_to_cart(user, kept, 95)
    api.call("catalog", "DELETE", f"/api/products/{gone}", user="staff-fixture", staff=True)
    cart.merge_cart(user, [cart.CartLine(kept, 10), cart.CartLine(new, 2), cart.CartLine(gone, 1)])
    assert cart.get_cart(user) == [cart.CartLine(kept, cart.MAX_QUANTITY), cart.CartLine(new, 2)]


def test_a_search_is_paged_and_says_whether_more_follow(api):
    tag = uuid.uuid4().hex[:8]
    for n in range(3):
        api.make_product(f"Paged {tag} {n}")
    first = catalog.search_products(q=tag, page=1, page_size=2)
    second = catalog.search_products(q=tag, page=2, page_size=2)
    assert ([p.name for p in first.products], first.has_next) == ([f"Paged {tag} 0", f"Paged {tag} 1"], True)
    assert ([p.name for p in second.products], second.has_next) == ([f"Paged {tag} 2"], False)


def test_browsing_gives_a_search_page_and_every_category_as_the_two_calls_do(api):
    tag = uuid.uuid4().hex[:8]
    for n in range(3):
        api.make_product(f"Browsed {tag} {n}")
    found, categories = catalog.browse(q=tag, page=2, page_size=2)
    assert found == catalog.search_products(q=tag, page=2, page_size=2)
    assert [p.name for p in found.products] == [f"Browsed {tag} 2"]
    assert categories == catalog.list_categories()


def test_placing_an_order_with_a_key_twice_places_it_once(api):
    user, mug = someone(), api.make_product("Keyed Mug", price="4.00", stock=10)
    api.add_to_cart(user, mug, 2)
    first = orders.place_order(user_id=user, card="4242424242424242", idempotency_key=f"k-{user}")
    again = orders.place_order(user_id=user, card="4242424242424242", idempotency_key=f"k-{user}")
    assert first == again
    assert (first.status, first.total_amount) == ("PAID", Decimal("8.00"))
    assert first.items == (orders.OrderLine(mug, "Keyed Mug", 2, Decimal("4.00")),)
    assert api.stock_of(mug) == 8
    assert [o.order_id for o in orders.list_orders(user)] == [first.order_id]


def test_a_declined_card_and_short_stock_raise_the_same_errors_with_or_without_a_key(api):
    user, mug = someone(), api.make_product("Scarce Mug", stock=1)
    api.add_to_cart(user, mug, 1)
    with pytest.raises(PaymentDeclined):
        orders.place_order(user_id=user, card="4000000000000002", idempotency_key=f"d-{user}")
    with pytest.raises(PaymentDeclined):  # the key's first outcome, replayed
        orders.place_order(user_id=user, card="4000000000000002", idempotency_key=f"d-{user}")
    api.add_to_cart(user, mug, 1)
    with pytest.raises(catalog.InsufficientStock, match="1 left") as raised:
        orders.place_order(user_id=user, idempotency_key=f"s-{user}")
    assert (raised.value.product_id, raised.value.wanted, raised.value.left) == (mug, 2, 1)
    with pytest.raises(catalog.InsufficientStock):  # the key's first outcome, replayed as the same class
        orders.place_order(user_id=user, idempotency_key=f"s-{user}")


def test_another_users_order_is_not_found_and_cannot_be_cancelled(api):
    owner, intruder, mug = someone(), someone(), api.make_product("Private Mug", stock=5)
    api.add_to_cart(owner, mug)
    order = orders.place_order(user_id=owner, idempotency_key=f"o-{owner}")
    with pytest.raises(NotFound):
        orders.get_order(user_id=intruder, order_id=order.order_id)
    with pytest.raises(NotFound):
        orders.cancel_order(user_id=intruder, order_id=order.order_id)
    with pytest.raises(NotFound):
        orders.get_order(user_id=owner, order_id="not-a-uuid")
    assert orders.get_order(user_id=owner, order_id=order.order_id).status == "PAID"


def test_a_paid_order_is_cancelled_once(api):
    user, mug = someone(), api.make_product("Returned Mug", stock=5)
    api.add_to_cart(user, mug, 2)
    order = orders.place_order(user_id=user, idempotency_key=f"c-{user}")
    assert orders.cancel_order(user_id=user, order_id=order.order_id).status in ("CANCELLED", "CANCELLING")
    assert api.stock_of(mug) == 5
    with pytest.raises(orders.OrderNotCancellable) as raised:
        orders.cancel_order(user_id=user, order_id=order.order_id)
    assert raised.value.status in ("CANCELLED", "CANCELLING")


def test_notifications_are_counted_and_marked_read_for_their_owner_only(api):
    user, other = someone(), someone()
    notice = notifications.notify(notifications.NewNotification(user_id=user, message="Hello", event_id=f"e-{user}"))
    assert notifications.unread_count(user) == 1
    with pytest.raises(NotFound):
        notifications.mark_read(user_id=other, notification_id=notice.id)
    notifications.mark_read(user_id=user, notification_id=notice.id)
    notifications.mark_read(user_id=user, notification_id=notice.id)  # again: still read, no error
    assert notifications.unread_count(user) == 0
    assert notifications.list_notifications(user)[0].created_at is not None
