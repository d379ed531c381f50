"""Idempotency-Key for POST /api/orders/create, after the IETF draft: replay, 422 on reuse, 409 in flight.

The record is bound to the order in the transaction that creates it, so a retry after any failure
resumes that order (its payment key `order-<id>` makes payments answer the first charge) instead
of placing a second one. The key is freed only when nothing with a side effect stands: no order was
created, or the order was settled as a compensated failure (its void and release are queued, and
payments and the catalog refuse late arrivals).
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from kubeshop.errors import Conflict, DomainError, Unprocessable
from kubeshop.idempotency_key import check_idempotency_key
from orders.data import ORDER
from orders.models import IdempotencyRecord, Order, OrderStatus, idempotency_lease_end

log = logging.getLogger(__name__)


Outcome = tuple[int, dict]


@dataclass(frozen=True)
class Checkout:
    """How to run a keyed checkout: place a new order (binding it with the callback), or resume one."""

    place: Callable[[Callable[[Order], None]], Outcome]
    resume: Callable[[UUID], Outcome]


def fingerprint(body: dict) -> str:
    """Keyed (HMAC-SHA256 with SECRET_KEY): the body holds a card number, and a bare hash of one is no secret."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return salted_hmac("orders.idempotency.fingerprint", canonical, algorithm="sha256").hexdigest()


def run_once(*, user_id: str, key: str, body: dict, checkout: Checkout) -> Outcome:
    """Run the first request with this user's key; resume its order on a retry; replay its outcome once known.

    Outcomes with a 4xx or 2xx status are kept and replayed. After an error the service may recover
    from (5xx, a database error, a crash), a bound order still PENDING is resumed by the next retry.
    """
    check_idempotency_key(key)
    digest = fingerprint(body)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(user_id=user_id, key=key, fingerprint=digest)
    except IntegrityError:
        record = _existing(user_id=user_id, key=key, digest=digest)
        if record.response_status is not None:
            return record.response_status, record.response_body

    def bind(order: Order) -> None:
        record.order_id = order.id
        IdempotencyRecord.objects.filter(pk=record.pk).update(order_id=order.id)

    try:
        if record.order_id is None:
            status, response = checkout.place(bind)
        else:
            status, response = checkout.resume(record.order_id)
    except DomainError as exc:
        if exc.status_code >= 500:
            _after_failure(record)
            raise
        status, response = exc.status_code, exc.body()
    except Exception:
        _after_failure(record)
        raise
    # Anything else (the process is being stopped) leaves the record as a killed process would:
    # held until its lease ends, then resumed by a retry or finished by the sweeper.
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        response_status=status, response_body=response, locked_until=None
    )
    return status, response


def _after_failure(record: IdempotencyRecord) -> None:
    """Free the key if nothing stands; else release the lease at once so that a retry resumes the order."""
    try:
        order = Order.objects.filter(pk=record.order_id).first() if record.order_id else None
        if order is None or order.status != OrderStatus.PENDING:
            record.delete()
        else:
            IdempotencyRecord.objects.filter(pk=record.pk).update(locked_until=None)
    except DatabaseError:  # the database is what failed: the lease runs out, then a retry or the sweeper finishes
        log.warning("idempotency record %s/%s left locked after a database error", record.user_id, record.key)


def _existing(*, user_id: str, key: str, digest: str) -> IdempotencyRecord:
    with transaction.atomic():
        record = IdempotencyRecord.objects.select_for_update().get(user_id=user_id, key=key)
        if record.fingerprint != digest:
            raise Unprocessable("This Idempotency-Key was already used with a different request.")
        if record.response_status is None:
            if record.locked_until is not None and record.locked_until > timezone.now():
                raise Conflict("A request with this Idempotency-Key is still being processed; retry shortly.")
            record.locked_until = idempotency_lease_end()  # take over: the first request failed or died
            record.save(update_fields=["locked_until"])
    return record


def checkout(*, user_id: str, card: str, email: str, key: str | None) -> Outcome:
    """Check out the user's cart as POST /api/orders/create answers it: once per key when there is one."""
    from orders import metrics, selectors, services

    def answer(order: Order) -> Outcome:
        return 201, ORDER.to_wire(selectors.order_info(order))

    @metrics.counts_checkout
    def place(on_created: Callable[[Order], None] = lambda order: None) -> Outcome:
        return answer(services.place_order(user_id=user_id, card=card, email=email, on_created=on_created))

    @metrics.counts_checkout
    def resume(order_id: UUID) -> Outcome:
        return answer(services.resume_order(order_id=order_id, card=card, email=email))

    if key is None:
        return place()
    body = {"userId": user_id, "card": card}
    return run_once(user_id=user_id, key=key, body=body, checkout=Checkout(place=place, resume=resume))
