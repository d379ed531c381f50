"""The orders outbox: follow-up work delivered to other services at least once.

Events are written in the same transaction as the order change that causes them, delivered once
right after that commit (one short attempt each), and retried with backoff by
`manage.py deliver_outbox` until they succeed. Every handler is idempotent on the receiving side.
"""
import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from cart import client as cart
from catalog import client as catalog
from kubeshop import transport
from kubeshop.errors import DomainError
from notifications import client as notifications
from orders.models import OutboxEvent
from payments import client as payments

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=5)
LEASE = timedelta(minutes=2)  # a claimed event is retried by another dispatcher only after this


def _notify(event: OutboxEvent) -> None:
    p = event.payload
    notifications.notify(
        user_id=p["userId"], message=p["message"], event_id=str(event.id), order_id=str(event.order_id),
        kind=event.kind, email=p.get("email", ""),
    )  # fmt: skip


HANDLERS: dict[str, Callable[[OutboxEvent], object]] = {
    "stock.commit": lambda e: catalog.commit_stock(order_id=str(e.order_id)),
    "stock.release": lambda e: catalog.release_stock(order_id=str(e.order_id)),
    "cart.clear": lambda e: cart.clear_cart(e.payload["userId"], product_ids=e.payload["productIds"]),
    "payment.void": lambda e: payments.void_order(order_id=str(e.order_id)),
    "order.paid": _notify,
    "order.cancelled": _notify,
}


def record(kind: str, *, order_id: UUID, **payload) -> OutboxEvent:
    """Write an event; call inside the transaction that changes the order."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for outbox event {kind!r}")
    return OutboxEvent.objects.create(kind=kind, order_id=order_id, payload=payload, next_attempt_at=timezone.now())


def deliver_now(events: Iterable[OutboxEvent]) -> None:
    """One short attempt at each event, right after its transaction committed; failures wait for the dispatcher."""
    with transport.impatient():
        for event in events:
            _attempt(event)


def deliver_due(limit: int = 100, *, stopping: Callable[[], bool] = lambda: False) -> int:
    """Deliver the events whose time has come, until `stopping()` says so between two; returns how many were."""
    due = _claim_due(limit)
    delivered = 0
    for index, event in enumerate(due):
        if stopping():
            # Claimed but not tried: due again now, not only when the lease runs out.
            OutboxEvent.objects.filter(pk__in=[e.pk for e in due[index:]]).update(next_attempt_at=timezone.now())
            break
        delivered += _attempt(event)
    return delivered


def retry_now() -> int:
    """Make every undelivered event due now, cutting its backoff short."""
    return OutboxEvent.objects.filter(delivered_at__isnull=True).update(next_attempt_at=timezone.now())


def _claim_due(limit: int) -> list[OutboxEvent]:
    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(delivered_at__isnull=True, next_attempt_at__lte=now)
            .order_by("next_attempt_at")[:limit]
        )
        OutboxEvent.objects.filter(pk__in=[e.pk for e in due]).update(next_attempt_at=now + LEASE)
    return due


def _attempt(event: OutboxEvent) -> bool:
    try:
        HANDLERS[event.kind](event)
    except Exception as exc:  # whatever went wrong, the event stays for the next attempt
        if not isinstance(exc, DomainError):
            log.exception("outbox event %s (%s) failed unexpectedly", event.pk, event.kind)
        attempts = event.attempts + 1
        backoff = min(timedelta(seconds=2**attempts), MAX_BACKOFF)
        OutboxEvent.objects.filter(pk=event.pk).update(
            attempts=attempts, next_attempt_at=timezone.now() + backoff, last_error=str(exc)[:500]
        )
        log.warning("outbox event %s (%s) not delivered, attempt %d: %s", event.pk, event.kind, attempts, exc)
        return False
    OutboxEvent.objects.filter(pk=event.pk).update(delivered_at=timezone.now(), attempts=event.attempts + 1)
    return True
