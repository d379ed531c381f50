"""orders.client gives the same results in-process and over HTTP."""

import uuid

import pytest

from orders import client as orders

pytestmark = pytest.mark.django_db  # the in-process half uses the test database


def test_list_orders_lists_a_users_orders_newest_first(api):
    user = f"u{uuid.uuid4().hex[:8]}"
    assert orders.list_orders(user) == []
    product = api.make_product("Orderable")
    placed = []
    for _ in range(2):
        api.add_to_cart(user, product)
        status, order = api.call("orders", "POST", "/api/orders/create", user=user, body={"userId": user})
        assert status == 201, order
        placed.append(order["orderId"])
    assert [o.order_id for o in orders.list_orders(user)] == placed[::-1]
    assert {o.status for o in orders.list_orders(user)} == {"PAID"}
