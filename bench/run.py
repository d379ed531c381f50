"""`make bench`: the read path against the stack's ceiling, the catalog at 50 and 100,000 products, checkout in
one process and split, and every service's memory, written to BENCHMARKS.md.

    python -m bench.run [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--cache redis://127.0.0.1:6379/0]

Every shop is started by tools.localshop as the tests start it, with gunicorn configured as in the image
(2 workers x 4 threads, access log on), on PostgreSQL, with Redis as its shared cache (CACHE_URL), as in
Kubernetes. Loads are wrk runs of a few seconds, CONNECTIONS at once, interleaved; the figures are medians.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import django
import redis
import requests

from bench import catalog_data, load
from bench.checkout import measure as measure_checkout
from tools.localshop import SPLIT, LocalService, free_port, start_shop, stop_shop

ROOT = Path(__file__).resolve().parent.parent
SMALL, LARGE = 50, 100_000
CHECKOUT = {"customers": 16, "orders_each": 10, "concurrency": 8}


def _shop_env(cache_url: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",  # the shipped settings plus the constant-JSON route
        "CACHE_URL": cache_url,
        "KUBESHOP_SIGN_IN_RATE": "100000/min",
        "KUBESHOP_SIGN_IN_USERNAME_RATE": "100000/min",
        "KUBESHOP_COMPRESS_STATIC": "false",
    }


def _start(services: list[str], workdir: Path, args) -> dict[str, LocalService]:
    """A shop with a cache key prefix of its own: nothing one shop cached can answer in another."""
    cache_url = f"{args.cache.split('?')[0]}?key_prefix=bench-{uuid.uuid4().hex[:8]}"
    return start_shop(
        services,
        workdir,
        postgres_url=args.postgres,
        database_prefix=args.database_prefix,
        extra_env=_shop_env(cache_url),
        report=print,
    )


def _some_product(base: str) -> int:
    return requests.get(f"{base}/api/products", params={"q": catalog_data.SEARCH}, timeout=30).json()[0]["id"]


def _reads(base: str, products: int) -> dict[str, str]:
    middle = max(products // 20, 1)  # the middle page at 10 a page: 2 of 50 products, 5000 of 100,000
    return {
        "list": f"{base}/api/products",
        # a page both catalogs fill (9 products match at 50): the same answer's size, a different catalog's
        "search": f"{base}/api/products?q={catalog_data.SEARCH}&page_size=8",
        "category": f"{base}/api/products?category={catalog_data.CATEGORY}&page_size=8",
        "deep page": f"{base}/api/products?page_size=10&page={middle}",
    }


def bench_reads(shop: LocalService, args) -> dict:
    """Ceiling, list, detail and storefront at 50 products; the list at 100,000; with and without the cache.

    Within a phase every target (the ceiling too) is run in turn, so that each phase's figures can be
    taken relative to that phase's ceiling: the machine may be faster or slower from one phase to the next.
    """
    base, database, cache_url = shop.url, shop.env["DATABASE_URL"], shop.env["CACHE_URL"]
    catalog_data.fill(database, SMALL)
    catalog_data.forget_cached(cache_url)
    detail = f"/api/products/{_some_product(base)}"
    run = {"runs": args.runs, "seconds": args.seconds}
    uncached = _uncached_shop(shop)
    try:
        print(f"reads at {SMALL} products, with the cache and without (the database path)")
        small = load.medians(
            {
                "ceiling": f"{base}/bench/constant",
                "detail": base + detail,
                "storefront": f"{base}/",
                **_reads(base, SMALL),
                "db detail": uncached.url + detail,
                **{f"db {name}": url for name, url in _reads(uncached.url, SMALL).items()},
            },
            **run,
        )
        print(f"filling the catalog up to {LARGE} products")
        catalog_data.fill(database, LARGE)
        catalog_data.forget_cached(cache_url)
        print(f"reads at {LARGE} products, with the cache and without")
        large = load.medians(
            {
                "ceiling": f"{base}/bench/constant",
                **_reads(base, LARGE),
                **{f"db {name}": url for name, url in _reads(uncached.url, LARGE).items()},
            },
            **run,
        )
    finally:
        uncached.stop()
    return {"small": small, "large": large}


def _uncached_shop(shop: LocalService) -> LocalService:
    """A second gunicorn on the same database with a per-process cache, in which the catalog caches nothing."""
    env = {**shop.env, "CACHE_URL": "locmemcache://"}
    uncached = LocalService(name="all-uncached", env=env, port=free_port(), log=shop.log.with_name("uncached.log"))
    uncached.start()
    return uncached


def bench_checkout(shop: dict[str, LocalService]) -> dict:
    return measure_checkout(shop, **CHECKOUT)


def memory_of(shop: dict[str, LocalService]) -> dict[str, load.Memory]:
    return {name: load.memory(service.process.pid) for name, service in shop.items()}


def versions(cache_url: str) -> dict[str, str]:
    import gunicorn
    import psycopg2
    import rest_framework

    postgres = subprocess.run(["postgres", "--version"], capture_output=True, text=True).stdout.strip()
    wrk = subprocess.run([load.wrk_binary(), "-v"], capture_output=True, text=True)
    return {
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "Django REST framework": rest_framework.VERSION,
        "gunicorn": gunicorn.__version__,
        "psycopg2": psycopg2.__version__.split()[0],
        "PostgreSQL server": postgres or "(see psql)",
        "Redis server": redis.Redis.from_url(cache_url.split("?")[0]).info().get("redis_version", "?"),
        "wrk": (wrk.stdout + wrk.stderr).split("\n")[0].strip(),
    }


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--cache", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--database-prefix", default=os.environ.get("BENCH_DATABASE_PREFIX", "kubeshop_bench_"))
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=2)
    parser.add_argument("--output", default="BENCHMARKS.md")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    redis.Redis.from_url(args.cache.split("?")[0], socket_connect_timeout=2).ping()  # fail now, not in a shop
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as workdir:
        shop = _start(["all"], Path(workdir), args)
        try:
            reads = bench_reads(shop["all"], args)
            print("checkout, one process")
            mono = bench_checkout(shop)
            mono_memory = memory_of(shop)
        finally:
            stop_shop(shop)
    with tempfile.TemporaryDirectory() as workdir:
        shop = _start(SPLIT, Path(workdir), args)
        try:
            print("checkout, six services")
            split = bench_checkout(shop)
            split_memory = memory_of(shop)
        finally:
            stop_shop(shop)
    from bench.report import write

    write(
        Path(args.output),
        args=args,
        reads=reads,
        checkout={"one process": mono, "split": split},
        memory={"one process (all)": mono_memory["all"], **split_memory},
        machine={"cores": os.cpu_count(), "cpu": cpu_model(), "system": platform.platform()},
        versions=versions(args.cache),
        took=time.monotonic() - started,
    )
    print(f"wrote {args.output} in {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
