"""The orders service's own metrics: how checkouts end, the outbox's backlog, the stale checkouts swept.

Checkouts are counted in the web workers (summed by gunicorn's master); the backlog and the sweeps in
the outbox dispatcher, which serves them itself (manage.py deliver_outbox, kubeshop.metrics.serve).
"""

import functools
from collections.abc import Callable
from typing import TypeVar

from prometheus_client import Counter, Gauge

from catalog import client as catalog
from kubeshop.errors import Conflict, DomainError, PaymentDeclined, Unavailable
from orders.errors import CartEmpty

T = TypeVar("T")

# Most specific first: short stock and an item off sale are conflicts too.
RESULTS: tuple[tuple[str, type[BaseException]], ...] = (
    ("cart_empty", CartEmpty),
    ("short_stock", catalog.InsufficientStock),
    ("off_sale", catalog.ProductOffSale),
    ("declined", PaymentDeclined),
    ("unavailable", Unavailable),
    ("conflict", Conflict),
    ("refused", DomainError),
)
CHECKOUTS = Counter("kubeshop_checkouts", "Checkouts run, by how they ended.", ["result"])
OUTBOX = Gauge(
    "kubeshop_outbox_events",
    "Outbox events not delivered: pending (due or backing off) or dead (parked until staff re-queue them).",
    ["state"],
    multiprocess_mode="livemax",
)
SWEPT = Counter(
    "kubeshop_stale_orders_swept",
    "Checkouts left PENDING that the sweeper settled (paid, failed) or left for a later round (skipped).",
    ["outcome"],
)
for _result in ("placed", *(name for name, _ in RESULTS), "error"):
    CHECKOUTS.labels(_result)  # every result shows from the start, at 0
for _outcome in ("paid", "failed", "skipped"):
    SWEPT.labels(_outcome)


def result_of(exc: BaseException) -> str:
    return next((name for name, kind in RESULTS if isinstance(exc, kind)), "error")


def counts_checkout(run: Callable[..., T]) -> Callable[..., T]:
    """Count each run of a checkout (placing or resuming an order) by its result: placed, declined, short_stock, …"""

    @functools.wraps(run)
    def counted(*args, **kwargs) -> T:
        try:
            outcome = run(*args, **kwargs)
        except Exception as exc:
            CHECKOUTS.labels(result_of(exc)).inc()
            raise
        CHECKOUTS.labels("placed").inc()
        return outcome

    return counted


def record_backlog(backlog: dict[str, int]) -> None:
    """Set the backlog gauges from orders.outbox.backlog()."""
    for state, count in backlog.items():
        OUTBOX.labels(state).set(count)


def count_swept(done: dict[str, int]) -> None:
    """Add one sweep's counts (orders.sweeper.sweep_stale) to the totals."""
    for outcome, count in done.items():
        SWEPT.labels(outcome).inc(count)
