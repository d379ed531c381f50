"""Fixtures for cross-app tests: the shop started as real processes, and clients switched to HTTP."""

import json

import pytest
import requests
from rest_framework.test import APIClient

from conftest import TEST_SERVICE_TOKEN
from kubeshop.identity import issue_token
from tests.live import SPLIT, start_test_shop, stop_shop
from tests.processes import JWT_PRIVATE_KEY, JWT_PUBLIC_KEY, SECRET


@pytest.fixture(scope="session")
def split_shop(tmp_path_factory, django_db_blocker):
    """The six services, each a gunicorn process with its own database, logging JSON lines as in the pods."""
    with django_db_blocker.unblock():
        shop = start_test_shop(
            SPLIT,
            tmp_path_factory.mktemp("split"),
            secret_key=SECRET,
            token=TEST_SERVICE_TOKEN,
            extra_env={"KUBESHOP_LOG_FORMAT": "json"},
        )
    yield shop
    stop_shop(shop)


@pytest.fixture(params=["local", "http"])
def transport(request, settings):
    """Run a test once with every client in-process, once with every client over HTTP to the split shop."""
    if request.param == "local":
        return "local"
    # The frontend mounts none of the apps under test: every call goes over HTTP.
    call_split_shop(settings, request.getfixturevalue("split_shop"), as_service="frontend")
    return "http"


def call_split_shop(settings, shop: dict, *, as_service: str) -> None:
    """Make this test process act as `as_service` of the split shop, its peers that shop's processes."""
    settings.KUBESHOP_SERVICE = as_service
    settings.SERVICE_URLS = {name: service.url for name, service in shop.items()}
    settings.SECRET_KEY = SECRET
    settings.KUBESHOP_JWT_PRIVATE_KEY = JWT_PRIVATE_KEY  # tokens made here are verified there
    settings.KUBESHOP_JWT_PUBLIC_KEY = JWT_PUBLIC_KEY


class ShopApi:
    """The shop's REST API as a user sees it, wherever it runs: the test client, or real HTTP."""

    def __init__(self, shop: dict | None = None):
        self.shop = shop

    def call(self, service: str, method: str, path: str, *, user: str = "", staff: bool = False, body=None):
        headers = {"Authorization": f"Bearer {issue_token(username=user, is_staff=staff)}"} if user else {}
        if self.shop is None:
            response = APIClient().generic(
                method,
                path,
                json.dumps(body) if body is not None else "",
                content_type="application/json",
                **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
            )
        else:
            url = f"{self.shop[service].url}{path}"
            response = requests.request(method, url, json=body, headers=headers, timeout=30)
        return response.status_code, (response.json() if response.content else None)

    def make_product(self, name: str, *, price: str = "10.00", stock: int = 10) -> int:
        body = {"name": name, "price": price, "stock": stock}
        status, product = self.call("catalog", "POST", "/api/products", user="staff-fixture", staff=True, body=body)
        assert status == 201, product
        return product["id"]

    def stock_of(self, product_id: int) -> int:
        return self.call("catalog", "GET", f"/api/products/{product_id}", user="staff-fixture", staff=True)[1]["stock"]

    def add_to_cart(self, user: str, product_id: int, quantity: int = 1) -> None:
        body = {"productId": product_id, "quantity": quantity}
        status, line = self.call("cart", "POST", f"/api/cart/{user}/add", user=user, body=body)
        assert status == 200, line


@pytest.fixture
def api(transport, request) -> ShopApi:
    return ShopApi(request.getfixturevalue("split_shop") if transport == "http" else None)
