"""Checkout throughput and latency, the whole shop in one process vs six services, measured in one run.

    python -m bench.checkout [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--output bench/results.md]

Each topology is started by tools.localshop exactly as the tests start it (gunicorn, 2 workers x 4
threads per service); N customers each buy one item at a time (add to cart, check out), C at once.
"""

import argparse
import os
import platform
import secrets
import statistics
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests
import urllib3

from tools.localshop import SPLIT, LocalService, start_shop, stop_shop


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="", help="PostgreSQL server URL (else SQLite files)")
    parser.add_argument("--customers", type=int, default=16)
    parser.add_argument("--orders-each", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--output", default="bench/results.md")
    args = parser.parse_args()
    results = {}
    for topology, services in [("monolith (KUBESHOP_SERVICE=all)", ["all"]), ("split (six services)", SPLIT)]:
        with tempfile.TemporaryDirectory() as workdir:
            shop = start_shop(
                services,
                Path(workdir),
                secret_key=secrets.token_urlsafe(50),
                token=secrets.token_urlsafe(32),
                postgres_url=args.postgres,
                database_prefix="kubeshop_bench_",
                extra_env={"KUBESHOP_SIGN_IN_RATE": "100000/min", "KUBESHOP_COMPRESS_STATIC": "false"},
            )
            try:
                results[topology] = measure(
                    shop, customers=args.customers, orders_each=args.orders_each, concurrency=args.concurrency
                )
            finally:
                stop_shop(shop)
        print(topology, results[topology])
    mono, split = results.values()
    lines = [
        "# Checkout benchmark",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs ({platform.machine()}), "
        f"database: {'PostgreSQL' if args.postgres else 'SQLite'}; {args.customers} customers x "
        f"{args.orders_each} orders, {args.concurrency} at once; gunicorn 2 workers x 4 threads per service.",
        "Command: `make bench`. One run on a shared, noisy machine: compare the rows, not other runs.",
        "",
        "| topology | orders | orders/s (add to cart + checkout) | checkout median ms | checkout p95 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {t} | {r['orders']} | {r['orders_per_second']:.1f} | {r['median_ms']:.0f} | {r['p95_ms']:.0f} |"
            for t, r in results.items()
        ),
        "",
        f"Split vs monolith: {split['orders_per_second'] / mono['orders_per_second']:.2f}x the throughput, "
        f"{split['median_ms'] / mono['median_ms']:.2f}x the median checkout latency.",
        "",
    ]
    Path(args.output).write_text("\n".join(lines))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
