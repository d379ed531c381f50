"""Retention: idempotency records and delivered outbox events are kept for KUBESHOP_RETENTION_DAYS, then purged."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from orders.models import IdempotencyRecord, OutboxEvent


def purge_expired(*, older_than: timedelta | None = None) -> dict[str, int]:
    """Delete what is older than the retention period and no longer needed; counts by kind."""
    age = older_than if older_than is not None else timedelta(days=settings.KUBESHOP_RETENTION_DAYS)
    cutoff = timezone.now() - age
    # Undelivered and dead events stay whatever their age: they are work not yet done.
    events, _ = OutboxEvent.objects.filter(delivered_at__isnull=False, delivered_at__lt=cutoff).delete()
    records, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return {"outbox_events": events, "idempotency_records": records}
