"""Faults in the split shop: a service stopped mid-visit, an event delivered twice."""

import pytest

from tests.test_end_to_end import Visit, checkout, new_product, register, stock_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def stopped(split_shop):
    """Stop a service for the length of a test; it is started again afterwards whatever happens."""
    down = []

    def stop(name: str):
        split_shop[name].stop()
        down.append(split_shop[name])
        return split_shop[name]

    yield stop
    for service in down:
        if service.process is None:
            service.start()


def shopper_with_a_cart(shop, product_name: str, *, stock: int, quantity: int) -> tuple[Visit, str, int]:
    visit = Visit(shop)
    product = new_product(visit, product_name, stock=stock)
    user = register(visit)
    visit.call("cart", "POST", f"/api/cart/{user}/add", json={"productId": product, "quantity": quantity})
    return visit, user, product


def deliver_outbox(shop) -> str:
    result = shop["orders"].manage("deliver_outbox", "--once", "--ignore-backoff")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_checkout_with_payments_down_is_a_503_and_gives_the_stock_back(split_shop, stopped):
    visit, user, product = shopper_with_a_cart(split_shop, "Fault Lamp", stock=4, quantity=3)
    stopped("payments")

    response = checkout(visit, user)
    assert response.status_code == 503
    assert response.json()["detail"] == "The payments service is unavailable."
    assert stock_of(visit, product) == 4
    orders = visit.call("orders", "GET", "/api/orders", params={"userId": user}).json()
    assert [o["status"] for o in orders] == ["PAYMENT_FAILED"]
    assert [line["quantity"] for line in visit.call("cart", "GET", f"/api/cart/{user}").json()] == [3]

    split_shop["payments"].start()
    deliver_outbox(split_shop)  # voids a charge that might have landed before the connection dropped
    retried = checkout(visit, user)
    assert (retried.status_code, retried.json()["status"]) == (201, "PAID")
    assert stock_of(visit, product) == 1


def test_checkout_with_notifications_down_succeeds_and_the_notice_follows(split_shop, stopped):
    visit, user, product = shopper_with_a_cart(split_shop, "Quiet Clock", stock=2, quantity=1)
    stopped("notifications")

    response = checkout(visit, user)
    assert (response.status_code, response.json()["status"]) == (201, "PAID")
    assert stock_of(visit, product) == 1

    split_shop["notifications"].start()
    assert visit.call("notifications", "GET", f"/api/notifications/{user}").json() == []
    deliver_outbox(split_shop)
    deliver_outbox(split_shop)
    notices = visit.call("notifications", "GET", f"/api/notifications/{user}").json()
    assert [n["orderId"] for n in notices] == [response.json()["orderId"]]


def test_checkout_with_catalog_down_is_a_503_and_changes_nothing(split_shop, stopped):
    visit, user, product = shopper_with_a_cart(split_shop, "Patient Vase", stock=2, quantity=1)
    stopped("catalog")

    response = checkout(visit, user)
    assert response.status_code == 503
    assert "catalog" in response.json()["detail"]
    assert visit.call("orders", "GET", "/api/orders", params={"userId": user}).json() == []
    split_shop["catalog"].start()
    assert stock_of(visit, product) == 2
