"""Idempotency-Key for POST /api/orders/create, after the IETF draft: replay, 422 on reuse, 409 in flight."""
import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from kubeshop.errors import Conflict, DomainError, InvalidRequest, Unprocessable
from orders.models import IdempotencyRecord

ABANDONED_AFTER = timedelta(minutes=10)  # a first request that never finished (its process died)
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII without spaces, as the draft's examples


def fingerprint(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def run_once(*, user_id: str, key: str, body: dict, action: Callable[[], tuple[int, dict]]) -> tuple[int, dict]:
    """Run `action` for the first request with this user's key; answer retries with its outcome.

    Outcomes with a 4xx or 2xx status are kept and replayed; after an error the service may
    recover from (5xx), the key is freed so that a retry runs again.
    """
    if not KEY.match(key):
        raise InvalidRequest("Idempotency-Key: 1 to 255 printable characters without spaces.")
    digest = fingerprint(body)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(user_id=user_id, key=key, fingerprint=digest)
    except IntegrityError:
        record = _existing(user_id=user_id, key=key, digest=digest)
        if record.response_status is not None:
            return record.response_status, record.response_body
    try:
        status, response = action()
    except DomainError as exc:
        if exc.status_code >= 500:
            record.delete()
            raise
        status, response = exc.status_code, {"detail": exc.detail}
    except BaseException:
        record.delete()
        raise
    record.response_status, record.response_body = status, response
    record.save(update_fields=["response_status", "response_body"])
    return status, response


def _existing(*, user_id: str, key: str, digest: str) -> IdempotencyRecord:
    with transaction.atomic():
        record = IdempotencyRecord.objects.select_for_update().get(user_id=user_id, key=key)
        if record.fingerprint != digest:
            raise Unprocessable("This Idempotency-Key was already used with a different request.")
        if record.response_status is None:
            if record.created_at > timezone.now() - ABANDONED_AFTER:
                raise Conflict("A request with this Idempotency-Key is still being processed; retry shortly.")
            record.created_at = timezone.now()  # take over the abandoned request
            record.save(update_fields=["created_at"])
    return record
