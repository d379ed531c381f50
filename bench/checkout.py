"""Checkout throughput and latency of a running shop, for `make bench` (bench.run starts the shop in one
process and as six services): N customers each buy one item at a time (add to cart, check out), C at once.
"""

import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
import urllib3

from tools.localshop import LocalService


def _url(shop: dict[str, LocalService], service: str) -> str:
    return (shop.get(service) or shop["all"]).url


def _staff_token(shop) -> str:
    frontend = shop.get("frontend") or shop["all"]
    frontend.manage(
        "createsuperuser",
        "--noinput",
        "--username",
        "bench",
        "--email",
        "b@example.com",
        DJANGO_SUPERUSER_PASSWORD="bench-password-123",
    )
    body = {"username": "bench", "password": "bench-password-123"}
    return requests.post(f"{_url(shop, 'frontend')}/api/auth/token", json=body, timeout=30).json()["token"]


def _customer_token(shop, session: requests.Session) -> tuple[str, str]:
    user = f"buyer{uuid.uuid4().hex[:8]}"
    body = {"username": user, "password": "correct-horse-battery", "email": f"{user}@example.com"}
    session.post(f"{_url(shop, 'frontend')}/api/auth/register", json=body, timeout=30).raise_for_status()
    return user, session.post(f"{_url(shop, 'frontend')}/api/auth/token", json=body, timeout=30).json()["token"]


def measure(shop, *, customers: int, orders_each: int, concurrency: int) -> dict:
    staff = {"Authorization": f"Bearer {_staff_token(shop)}"}
    product = requests.post(
        f"{_url(shop, 'catalog')}/api/products",
        headers=staff,
        timeout=30,
        json={"name": "Bench Mug", "price": "9.90", "stock": 1_000_000},
    ).json()["id"]

    def sign_up(_: int) -> tuple[str, dict[str, str]]:
        with requests.Session() as session:
            user, token = _customer_token(shop, session)
        return user, {"Authorization": f"Bearer {token}"}

    # The timed part speaks HTTP through urllib3's keep-alive pool alone: requests' per-call work (session
    # merging, cookies, hooks) would be the client's CPU taken from the shop on the same few cores.
    http = urllib3.PoolManager(maxsize=concurrency, timeout=30.0, retries=False)

    def buyer(customer: tuple[str, dict[str, str]]) -> list[float]:
        user, headers = customer
        latencies = []
        for _ in range(orders_each):
            body = {"productId": product, "quantity": 1}
            added = http.request("POST", f"{_url(shop, 'cart')}/api/cart/{user}/add", json=body, headers=headers)
            assert added.status == 200, added.data
            started = time.perf_counter()
            answer = http.request(
                "POST", f"{_url(shop, 'orders')}/api/orders/create", json={"userId": user}, headers=headers
            )
            latencies.append(time.perf_counter() - started)
            assert answer.status == 201, answer.data
        return latencies

    with ThreadPoolExecutor(concurrency) as pool:
        sessions = list(pool.map(sign_up, range(customers)))  # password hashing stays out of the figures
        list(pool.map(buyer, sessions[:concurrency]))  # warm up every worker's imports and connections
        started = time.perf_counter()
        latencies = [t for batch in pool.map(buyer, sessions) for t in batch]
        wall = time.perf_counter() - started
    latencies.sort()
    return {
        "orders": len(latencies),
        "orders_per_second": len(latencies) / wall,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }
