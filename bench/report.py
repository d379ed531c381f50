"""BENCHMARKS.md from one `make bench` run: the figures, the targets they meet, and bench/history.md."""

from datetime import UTC, datetime
from pathlib import Path

from bench import catalog_data, load

HISTORY = Path(__file__).with_name("history.md")
MEMORY_LIMIT_MB = 150


def _row(name: str, f: load.Figure, ceiling: load.Figure | None = None) -> str:
    ratio = f" {f.rps / ceiling.rps:.0%} |" if ceiling else ""
    return f"| {name} | {f.rps:,.0f} | {f.p50_ms:.1f} | {f.p99_ms:.1f} |{ratio}"


def _share(phase: dict[str, load.Figure], name: str) -> float:
    """A figure as a share of its phase's ceiling, measured in turn with it."""
    return phase[name].rps / phase["ceiling"].rps


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def write(path: Path, *, args, reads, checkout, memory, machine, versions, took) -> None:
    small, large = reads["small"], reads["large"]
    ceiling = small["ceiling"]
    mono, split = checkout["one process"], checkout["split"]
    names = ("list", "search", "category", "deep page")
    scale = {name: _share(small, name) / _share(large, name) for name in names}
    scale_db = {name: _share(small, f"db {name}") / _share(large, f"db {name}") for name in names}
    storefront = small["storefront"].rps / small["list"].rps
    worst = max(m.total_pss_mb for m in memory.values())
    largest = max(m.largest_rss_mb for m in memory.values())
    list_share, detail_share = small["list"].rps / ceiling.rps, small["detail"].rps / ceiling.rps
    mono_rate, split_share = mono["orders_per_second"], split["orders_per_second"] / mono["orders_per_second"]
    slowest = max(scale.values())
    targets = [
        ("Product list >= 50% of the ceiling", f"{list_share:.0%}", list_share >= 0.5),
        ("Product detail >= 60% of the ceiling", f"{detail_share:.0%}", detail_share >= 0.6),
        ("Storefront page >= 50% of the API list", f"{storefront:.0%}", storefront >= 0.5),
        ("Checkout >= 100 orders/s in one process", f"{mono_rate:.1f}/s", mono_rate >= 100),
        ("Checkout split >= half of one process", f"{split_share:.2f}x", split_share >= 0.5),
        ("List at 100,000 products within 1.5x of 50 (slowest of four)", f"{slowest:.2f}x", slowest <= 1.5),
        (
            f"Every service < {MEMORY_LIMIT_MB} MB after the load (total PSS)",
            f"{worst:.0f} MB at most",
            worst < MEMORY_LIMIT_MB,
        ),
        (
            f"Every process < {MEMORY_LIMIT_MB} MB after the load (RSS)",
            f"{largest:.0f} MB at most",
            largest < MEMORY_LIMIT_MB,
        ),
    ]
    lines = [
        "# KubeShop benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {took / 60:.1f} minutes. "
        f"Machine: {machine['cores']} cores, {machine['cpu']}, {machine['system']}.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".",
        "",
        "Command: `make bench` (`python -m bench.run`). Every shop is started by tools.localshop as the tests start "
        "it: gunicorn as in the image (2 workers x 4 threads per service, access log on), PostgreSQL, and Redis as "
        "the shared cache (`CACHE_URL`), as in Kubernetes. Loads: wrk, "
        f"{load.CONNECTIONS} connections, {load.THREADS} threads, {args.seconds:g} s a run, every target of a "
        f"phase run in turn, {args.runs} rounds after a 1 s warm-up each; the figures are the medians. Ratios "
        "compare figures of the same run: on a shared machine compare them, not the absolute figures of two runs.",
        "",
        "## Targets (issue 9)",
        "",
        "| target | this run | |",
        "| --- | ---: | --- |",
        *(f"| {name} | {figure} | {_met(ok)} |" for name, figure, ok in targets),
        "",
        "## The read path against the stack's ceiling (50 products)",
        "",
        "The ceiling is a plain Django view answering constant JSON through the same middleware, in the same "
        "processes (a bench-only route: `bench/urls.py`, mounted by `bench/settings.py` only).",
        "",
        "| route | requests/s | p50 ms | p99 ms | of the ceiling |",
        "| --- | ---: | ---: | ---: | ---: |",
        _row("constant JSON (the ceiling)", ceiling, ceiling),
        _row("`GET /api/products`", small["list"], ceiling),
        _row("`GET /api/products/{id}`", small["detail"], ceiling),
        _row("storefront catalog page `/`", small["storefront"], ceiling),
        "",
        f"Storefront page vs the API list: {storefront:.0%}.",
        "",
        "Without the response cache (a second gunicorn on the same database whose cache is per process, in which "
        "the catalog caches nothing): the database path every cache miss takes.",
        "",
        "| route | requests/s | p50 ms | p99 ms | of the ceiling |",
        "| --- | ---: | ---: | ---: | ---: |",
        _row("`GET /api/products` (uncached)", small["db list"], ceiling),
        _row("`GET /api/products/{id}` (uncached)", small["db detail"], ceiling),
        "",
        f"## The product list at {100_000:,} products vs 50",
        "",
        f"Search `?q={catalog_data.SEARCH}` matches a twentieth of the catalog, `?category={catalog_data.CATEGORY}` "
        "a fifth (both asked for 8 a page, which either catalog fills, so that the answers are the same size); "
        "the list is the first page of 50; the deep page is the middle page at 10 a page (page 2 of 50 "
        "products, page 5,000 of 100,000). "
        "Each phase runs its own ceiling in turn with its requests; the slowdown is the 50-product figure's "
        "share of its phase's ceiling over the 100,000-product one's (1.00x: no slower), so that the machine "
        "getting busier or quieter between the phases cancels out.",
        "",
        "| request | 50: req/s | 100,000: req/s | slowdown | uncached 50 | uncached 100,000 | slowdown |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {name} | {small[name].rps:,.0f} | {large[name].rps:,.0f} | {scale[name]:.2f}x | "
            f"{small['db ' + name].rps:,.0f} | {large['db ' + name].rps:,.0f} | {scale_db[name]:.2f}x |"
            for name in names
        ),
        "",
        f"The ceilings: {ceiling.rps:,.0f} requests/s in the 50-product phase, {large['ceiling'].rps:,.0f} in the "
        "100,000-product one.",
        "",
        "## Checkout: one process vs six services",
        "",
        f"`bench.checkout.measure`: {mono['orders']} orders, add to cart + checkout per order.",
        "",
        "| topology | orders | orders/s | checkout median ms | checkout p95 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {name} | {r['orders']} | {r['orders_per_second']:.1f} | {r['median_ms']:.0f} | {r['p95_ms']:.0f} |"
            for name, r in checkout.items()
        ),
        "",
        f"Split / one process: {split['orders_per_second'] / mono['orders_per_second']:.2f}x the throughput, "
        f"{split['median_ms'] / mono['median_ms']:.2f}x the median latency.",
        "",
        "## Memory after the load",
        "",
        "Per service (gunicorn master + 2 workers): PSS counts the pages the forked workers share once, as a "
        "container's memory usage does; the largest single process's RSS beside it.",
        "",
        "| service | processes | total PSS MB | largest process RSS MB |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {name} | {m.processes} | {m.total_pss_mb:.0f} | {m.largest_rss_mb:.0f} |" for name, m in memory.items()),
        "",
    ]
    if HISTORY.exists():
        lines += [HISTORY.read_text().rstrip(), ""]
    path.write_text("\n".join(lines))
