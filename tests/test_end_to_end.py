"""A customer's whole visit over real HTTP: six gunicorn services with their own databases, or one."""

import uuid

import pytest
import requests

from tests.live import start_test_shop, stop_shop
from tests.processes import SECRET

pytestmark = pytest.mark.e2e
DECLINED_CARD = "4000000000000002"


class Visit:
    """One customer's session with the shop, by service name → base URL."""

    def __init__(self, shop):
        self.shop = shop
        self.token = ""

    def url(self, service: str, path: str) -> str:
        return f"{(self.shop.get(service) or self.shop['all']).url}{path}"

    def call(self, service: str, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        token = self.token if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.request(method, self.url(service, path), headers=headers, timeout=30, **kwargs)

    def service(self, name: str):
        return self.shop.get(name) or self.shop["all"]


def staff_token(visit: Visit) -> str:
    username = f"boss{uuid.uuid4().hex[:6]}"
    created = visit.service("frontend").manage(
        "createsuperuser",
        "--noinput",
        "--username",
        username,
        "--email",
        "boss@example.com",
        DJANGO_SUPERUSER_PASSWORD="boss-password-123",
    )
    assert created.returncode == 0, created.stderr
    response = visit.call(
        "frontend", "POST", "/api/auth/token", token="", json={"username": username, "password": "boss-password-123"}
    )
    return response.json()["token"]


def register(visit: Visit) -> str:
    user = f"shopper{uuid.uuid4().hex[:6]}"
    body = {"username": user, "password": "correct-horse-battery", "email": f"{user}@example.com"}
    assert visit.call("frontend", "POST", "/api/auth/register", token="", json=body).status_code == 201
    response = visit.call("frontend", "POST", "/api/auth/token", token="", json=body)
    assert response.json()["userId"] == user
    visit.token = response.json()["token"]
    return user


def new_product(visit: Visit, name: str, *, stock: int, price: str = "12.50") -> int:
    body = {"name": name, "price": price, "stock": stock, "description": "e2e"}
    response = visit.call("catalog", "POST", "/api/products", token=staff_token(visit), json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def stock_of(visit: Visit, product_id: int) -> int:
    return visit.call("catalog", "GET", f"/api/products/{product_id}", token="").json()["stock"]


def checkout(visit: Visit, user: str, **body) -> requests.Response:
    return visit.call("orders", "POST", "/api/orders/create", json={"userId": user, **body})


def notices_after_delivery(visit: Visit, user: str) -> list[dict]:
    """The user's notifications once the outbox delivered (usually right after checkout, else by the dispatcher)."""
    notices = visit.call("notifications", "GET", f"/api/notifications/{user}").json()
    if not notices:  # the one quick attempt after commit can lose to a loaded machine; the dispatcher retries
        visit.service("orders").manage("deliver_outbox", "--once", "--ignore-backoff")
        notices = visit.call("notifications", "GET", f"/api/notifications/{user}").json()
    return notices


def buy_and_check(visit: Visit) -> None:
    name = f"Enamel Camping Mug {uuid.uuid4().hex[:6]}"
    product = new_product(visit, name, stock=5)
    user = register(visit)
    assert name in visit.call("frontend", "GET", "/", token="", params={"q": name}).text

    added = visit.call("cart", "POST", f"/api/cart/{user}/add", json={"productId": product, "quantity": 2})
    assert added.status_code == 200, added.text
    cart = visit.call("cart", "GET", f"/api/cart/{user}").json()
    assert [(line["product_id"], line["quantity"], line["name"]) for line in cart] == [(product, 2, name)]

    order = checkout(visit, user)
    assert order.status_code == 201, order.text
    assert (order.json()["status"], order.json()["totalAmount"]) == ("PAID", "25.00")
    order_id = order.json()["orderId"]
    assert visit.call("orders", "GET", f"/api/orders/{order_id}").json()["status"] == "PAID"
    assert visit.call("cart", "GET", f"/api/cart/{user}").json() == []
    assert stock_of(visit, product) == 3
    assert [n["orderId"] for n in notices_after_delivery(visit, user)] == [order_id]
    assert f"notification sent to {user} for order {order_id}" in visit.service("notifications").log.read_text()

    visit.call("cart", "POST", f"/api/cart/{user}/add", json={"productId": product, "quantity": 1})
    declined = checkout(visit, user, card=DECLINED_CARD)
    assert declined.status_code == 402
    assert stock_of(visit, product) == 3
    statuses = [o["status"] for o in visit.call("orders", "GET", "/api/orders", params={"userId": user}).json()]
    assert statuses == ["PAYMENT_FAILED", "PAID"]


def test_a_customer_buys_through_the_six_split_services(split_shop):
    buy_and_check(Visit(split_shop))


@pytest.fixture(scope="module")
def monolith(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        shop = start_test_shop(["all"], tmp_path_factory.mktemp("monolith"), secret_key=SECRET, token="monolith-token")
    yield shop
    stop_shop(shop)


def test_a_customer_buys_from_the_monolith(monolith):
    buy_and_check(Visit(monolith))
