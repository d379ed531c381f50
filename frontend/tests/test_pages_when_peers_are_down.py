"""The pages as the split frontend serves them when a peer service does not answer: a 503 page that
names what is unavailable, and the catalog still shown when only the cart or orders are down."""

import re
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model

from kubeshop.registry import DOMAIN_SERVICES
from tests.fake_peer import FakePeer, Reply, closed_port

pytestmark = pytest.mark.django_db

PRODUCT = {
    "id": 7,
    "name": "Peer Mug",
    "slug": "peer-mug",
    "description": "",
    "price": "4.20",
    "stock": 9,
    "category": None,
    "image_url": "",
    "is_active": True,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
}


@pytest.fixture
def nobody_answers(settings) -> Iterator[str]:
    """This process is the split frontend, and every peer's port refuses connections."""
    sock = closed_port()
    dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings.KUBESHOP_SERVICE = "frontend"
    settings.SERVICE_URLS = {name: dead for name in DOMAIN_SERVICES if name != "frontend"}
    yield dead
    sock.close()


@pytest.fixture
def catalog_peer(settings, nobody_answers) -> Iterator[FakePeer]:
    """The catalog answers (scripted); every other peer is down."""
    peer = FakePeer().start()
    settings.SERVICE_URLS = {**settings.SERVICE_URLS, "catalog": peer.url}
    yield peer
    peer.stop()


@pytest.fixture
def shopper(client):
    client.force_login(get_user_model().objects.create_user("erin", "erin@example.com", "x"))
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_catalog_page_is_a_503_naming_the_catalog_when_it_is_down(client, nobody_answers):
    response = client.get("/")
    assert response.status_code == 503
    assert "The product catalog is unavailable right now" in text(response)
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize(
    ("path", "part"),
    [("/cart", "Your cart"), ("/orders", "Checkout and your orders"), ("/notifications", "Your notifications")],
)
def test_a_page_whose_service_is_down_is_a_503_naming_it(shopper, nobody_answers, path, part):
    response = shopper.get(path)
    assert response.status_code == 503
    assert f"{part} is unavailable right now" in text(response)


def test_placing_an_order_with_orders_down_is_a_503_page(shopper, nobody_answers):
    response = shopper.post("/checkout", {"card": "", "idempotency_key": "checkout-1"})
    assert response.status_code == 503 and "Checkout and your orders is unavailable" in text(response)


def test_the_catalog_still_renders_when_cart_orders_and_notifications_are_down(shopper, catalog_peer):
    catalog_peer.answer(Reply(200, [PRODUCT]), Reply(200, [{"id": 1, "name": "Mugs", "slug": "mugs"}]))
    response = shopper.get("/")
    assert response.status_code == 200
    page = text(response)
    assert "Peer Mug" in page and "$4.20" in page and "Mugs" in page
    assert 'data-testid="cart-count"' not in page  # the cart's count is left out, not the page
    assert [r.path for r in catalog_peer.requests] == ["/api/products", "/api/categories"]


def test_signing_in_with_the_cart_down_keeps_the_guest_cart_for_later(client, catalog_peer):
    get_user_model().objects.create_user("erin", "erin@example.com", "correct-horse-battery-staple")
    catalog_peer.answer(Reply(200, PRODUCT))
    assert client.post("/cart/add", {"product_id": 7, "quantity": 2}).status_code == 302
    response = client.post("/signin", {"username": "erin", "password": "correct-horse-battery-staple"}, follow=True)
    assert "what you added is kept for later" in text(response)
    assert client.session["guest_cart"] == {"7": 2}
