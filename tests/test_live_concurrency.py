"""Concurrent writes to a live service with several workers: never a 500, on SQLite or PostgreSQL."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import TEST_SERVICE_TOKEN
from tests.test_end_to_end import Visit, new_product, stock_of

pytestmark = pytest.mark.e2e


def test_concurrent_reservations_against_two_workers_all_succeed(split_shop):
    visit = Visit(split_shop)
    products = [new_product(visit, f"Busy Shelf {i}", stock=100) for i in range(2)]
    headers = {"X-Service-Token": TEST_SERVICE_TOKEN}

    def reserve(_: int) -> int:
        body = {"orderId": uuid.uuid4().hex, "lines": [{"productId": p, "quantity": 1} for p in products]}
        url = f"{split_shop['catalog'].url}/api/reservations"
        return requests.post(url, json=body, headers=headers, timeout=60).status_code

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(reserve, range(48)))
    assert statuses == [201] * 48
    assert [stock_of(visit, p) for p in products] == [52, 52]
