"""The sweeper: finishes checkouts a crash, a database error or a lost answer left PENDING.

For every PENDING order older than KUBESHOP_SWEEP_AFTER it asks payments whether the order was
charged: a succeeded charge completes it (commit stock, clear the cart, notify, PAID), anything else
compensates it (void, release, FAILED). Both are conditional on the order still being PENDING and
every call is idempotent, so two sweepers, or a sweeper and a retry, may race over one order: one
settles it, the others change nothing. A late charge or reservation is refused by the tombstones
that the void and the release leave behind.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from kubeshop import logs
from kubeshop.errors import DomainError
from orders import metrics, services
from orders.models import Order, OrderStatus
from payments import client as payments

log = logging.getLogger(__name__)


def sweep_stale(*, older_than: timedelta | None = None, limit: int = 100) -> dict[str, int]:
    """Resolve PENDING orders older than `older_than` (default KUBESHOP_SWEEP_AFTER); counts of what was done."""
    age = older_than if older_than is not None else timedelta(seconds=settings.KUBESHOP_SWEEP_AFTER)
    stale = (
        Order.objects.filter(status=OrderStatus.PENDING, created_at__lte=timezone.now() - age)
        .prefetch_related("items")
        .order_by("created_at")[:limit]
    )
    done = {"paid": 0, "failed": 0, "skipped": 0}
    for order in stale:
        try:
            outcome = resolve(order)
        except DomainError as exc:  # payments unreachable: try again next round
            log.warning("sweeper could not resolve order %s: %s", order.id, exc)
            outcome = "skipped"
        done[outcome] += 1
    metrics.count_swept(done)
    return done


def resolve(order: Order) -> str:
    """Complete or compensate one stale order, by what payments says; 'paid', 'failed' or 'skipped'."""
    logs.about_order(order.id)
    charged = [p for p in payments.payments_of_order(str(order.id)) if p.status == services.SUCCEEDED]
    if charged:
        settled = services.complete_paid(order, charged[0].id)
        outcome = "paid"
    else:
        settled = services.compensate(order, OrderStatus.FAILED)
        outcome = "failed"
    if not settled:
        return "skipped"  # a retry or another sweeper settled it meanwhile
    log.info("sweeper settled stale order %s as %s", order.id, order.status)
    return outcome
