"""The orders outbox: follow-up work delivered to other services at least once.

Events are written in the same transaction as the order change that causes them, delivered once
right after that commit (one short attempt each), and retried with backoff by
`manage.py deliver_outbox`; an event that failed KUBESHOP_OUTBOX_MAX_ATTEMPTS times is parked as
dead until staff re-queue it (orders.admin). Every handler is idempotent on the receiving side.
Mail (`order.mail`) is sent only by the dispatcher, never inside a customer's request.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cart import client as cart
from catalog import client as catalog
from kubeshop import logs, transport
from kubeshop.errors import DomainError
from notifications import client as notifications
from orders.events import PAYLOADS, CartClear, EventKind, Mail, Notice, Payload, PaymentRefund, checked
from orders.models import Order, OrderStatus, OutboxEvent
from payments import client as payments

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=5)
CANCEL_FOLLOW_UPS = (EventKind.PAYMENT_REFUND, EventKind.STOCK_RELEASE, EventKind.ORDER_CANCELLED)
LEASE = timedelta(minutes=2)  # a claimed event is retried by another dispatcher only after this


def payload_of(event: OutboxEvent) -> Payload:
    return PAYLOADS[EventKind(event.kind)].from_stored(event.payload)


def _notify(event: OutboxEvent, *, email: str = "") -> None:
    """Store the notice, mailed only with an `email` (none by default: this may run inside a customer's request)."""
    notice: Notice = payload_of(event)
    notifications.notify(
        notifications.NewNotification(
            user_id=notice.user_id,
            message=notice.message,
            event_id=str(event.id),
            order_id=str(event.order_id),
            kind=event.kind,
            email=email,
        )
    )


def _mail(event: OutboxEvent) -> None:
    """Mail the order's paid notice: stored under the notice's event id, so it is one notice, mailed once."""
    mail: Mail = payload_of(event)
    _notify(OutboxEvent.objects.get(order_id=event.order_id, kind=EventKind.ORDER_PAID), email=mail.email)


def _clear_cart(event: OutboxEvent) -> None:
    clear: CartClear = payload_of(event)
    cart.clear_cart(clear.user_id, product_ids=clear.product_ids)


def _refund(event: OutboxEvent) -> None:
    refund: PaymentRefund = payload_of(event)
    payments.refund(payment_id=refund.payment_id)


HANDLERS: dict[EventKind, Callable[[OutboxEvent], object]] = {
    EventKind.STOCK_COMMIT: lambda e: catalog.commit_stock(order_id=str(e.order_id)),
    EventKind.STOCK_RELEASE: lambda e: catalog.release_stock(order_id=str(e.order_id)),
    EventKind.CART_CLEAR: _clear_cart,
    EventKind.PAYMENT_VOID: lambda e: payments.void_order(order_id=str(e.order_id)),
    EventKind.PAYMENT_REFUND: _refund,
    EventKind.ORDER_PAID: _notify,
    EventKind.ORDER_MAIL: _mail,
    EventKind.ORDER_CANCELLED: _notify,
}
DISPATCHER_ONLY = {EventKind.ORDER_MAIL}  # slow work (SMTP) a customer's request must not wait for


def record(kind: EventKind | str, *, order_id: UUID, payload: Payload | None = None, **fields) -> OutboxEvent:
    """Write an event, its payload checked against its kind; call inside the transaction that changes the order.

    `fields` (the payload in its stored, camelCase keys) is for scripts and tests; code passes `payload`.
    """
    kind, payload = checked(kind, payload, fields)
    return OutboxEvent.objects.create(
        kind=kind, order_id=order_id, payload=payload.stored(), next_attempt_at=timezone.now()
    )


def deliver_now(events: Iterable[OutboxEvent]) -> None:
    """One short attempt at each event, right after its transaction committed; failures wait for the dispatcher.

    The events that landed are marked delivered together, in one write: until then they are merely due
    again, and every handler is idempotent on the receiving side.
    """
    with transport.impatient():
        delivered = [event for event in events if event.kind not in DISPATCHER_ONLY and _attempt(event)]
    _mark_delivered(delivered)


def deliver_due(limit: int = 100, *, stopping: Callable[[], bool] = lambda: False) -> int:
    """Deliver the events whose time has come, until `stopping()` says so between two; returns how many were."""
    due = _claim_due(limit)
    delivered = 0
    for index, event in enumerate(due):
        if stopping():
            # Claimed but not tried: due again now, not only when the lease runs out.
            OutboxEvent.objects.filter(pk__in=[e.pk for e in due[index:]]).update(next_attempt_at=timezone.now())
            break
        if _attempt(event):
            _mark_delivered([event])
            delivered += 1
    return delivered


def retry_now() -> int:
    """Make every undelivered event due now, cutting its backoff short."""
    return OutboxEvent.objects.filter(delivered_at__isnull=True, dead_at__isnull=True).update(
        next_attempt_at=timezone.now()
    )


def requeue(events: Iterable[OutboxEvent]) -> int:
    """Give parked (dead) events a fresh set of attempts, due now."""
    return OutboxEvent.objects.filter(pk__in=[e.pk for e in events], delivered_at__isnull=True).update(
        dead_at=None, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )


def backlog() -> dict[str, int]:
    """How many events wait for delivery (`pending`) and how many are parked (`dead`): for metrics and alerts."""
    undelivered = OutboxEvent.objects.filter(delivered_at__isnull=True)
    return {
        "pending": undelivered.filter(dead_at__isnull=True).count(),
        "dead": undelivered.filter(dead_at__isnull=False).count(),
    }


def _claim_due(limit: int) -> list[OutboxEvent]:
    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(delivered_at__isnull=True, dead_at__isnull=True, next_attempt_at__lte=now)
            .order_by("next_attempt_at")[:limit]
        )
        OutboxEvent.objects.filter(pk__in=[e.pk for e in due]).update(next_attempt_at=now + LEASE)
    return due


def _attempt(event: OutboxEvent) -> bool:
    """Run the event's handler once; a failure is written down with its backoff. Whether it landed."""
    logs.about_order(event.order_id)
    try:
        HANDLERS[EventKind(event.kind)](event)
    except Exception as exc:  # whatever went wrong, the event stays for the next attempt
        if not isinstance(exc, DomainError):
            log.exception("outbox event %s (%s) failed unexpectedly", event.pk, event.kind)
        attempts = event.attempts + 1
        now = timezone.now()
        backoff = min(timedelta(seconds=2**attempts), MAX_BACKOFF)
        dead = attempts >= settings.KUBESHOP_OUTBOX_MAX_ATTEMPTS
        OutboxEvent.objects.filter(pk=event.pk).update(
            attempts=attempts, next_attempt_at=now + backoff, last_error=str(exc)[:500], dead_at=now if dead else None
        )
        log.warning("outbox event %s (%s) not delivered, attempt %d: %s", event.pk, event.kind, attempts, exc)
        if dead:
            log.error("outbox event %s (%s) parked as dead after %d attempts", event.pk, event.kind, attempts)
        return False
    return True


def _mark_delivered(events: list[OutboxEvent]) -> None:
    """Write down that `events` landed; a cancellation whose follow-ups all did is then CANCELLED."""
    if not events:
        return
    OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(
        delivered_at=timezone.now(), attempts=F("attempts") + 1
    )
    for order_id in dict.fromkeys(e.order_id for e in events if e.kind in CANCEL_FOLLOW_UPS):
        finish_cancel_if_done(order_id)


def finish_cancel_if_done(order_id: UUID) -> bool:
    """Mark a CANCELLING order CANCELLED once every cancel follow-up is delivered; whether it did now."""
    pending = OutboxEvent.objects.filter(order_id=order_id, kind__in=CANCEL_FOLLOW_UPS, delivered_at__isnull=True)
    if pending.exists():
        return False
    return bool(
        Order.objects.filter(pk=order_id, status=OrderStatus.CANCELLING).update(
            status=OrderStatus.CANCELLED, updated_at=timezone.now()
        )
    )
