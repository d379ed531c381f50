import uuid
from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

# How long the first request of an Idempotency-Key holds it; a retry after that takes over (its process died).
IDEMPOTENCY_LEASE = timedelta(minutes=10)


def idempotency_lease_end() -> datetime:
    return timezone.now() + IDEMPOTENCY_LEASE


class OrderStatus(models.TextChoices):
    PENDING = "PENDING"  # stock reserved or being reserved, payment not yet settled
    PAID = "PAID"
    PAYMENT_FAILED = "PAYMENT_FAILED"  # declined, or payments unreachable: stock given back
    REJECTED = "REJECTED"  # not enough stock: nothing reserved, nothing charged
    FAILED = "FAILED"  # a service was unreachable before the charge: nothing charged
    CANCELLING = "CANCELLING"  # paid, then cancelled: refund, release and notice queued in the outbox
    CANCELLED = "CANCELLED"  # refunded and stock returned after being paid


class Order(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user_id = models.CharField(max_length=150)
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    total_amount = models.DecimalField(max_digits=12, decimal_places=2)
    payment_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user_id", "-created_at"])]
        constraints = [models.CheckConstraint(condition=Q(total_amount__gt=0), name="order_total_positive")]

    def __str__(self) -> str:
        return f"Order {self.id} ({self.status})"


class OrderItem(models.Model):
    """A line as sold: the catalog's product id, name and price at the time of the order (no FK)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    product_id = models.BigIntegerField()
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="order_item_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"


class IdempotencyRecord(models.Model):
    """The first outcome of a keyed POST /api/orders/create, replayed to retries of the same key."""

    user_id = models.CharField(max_length=150)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True)  # null while the first request runs
    response_body = models.JSONField(null=True)
    # The order the first request placed, bound in the transaction that created it: a retry resumes it.
    order_id = models.UUIDField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, default=idempotency_lease_end)  # while the first request runs
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user_id", "key"], name="one_outcome_per_user_key")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.key} → {self.response_status or 'in progress'}"


class OutboxEvent(models.Model):
    """Work for another service, written in the same transaction as the order change that causes it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    order_id = models.UUIDField()
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)
    dead_at = models.DateTimeField(null=True, blank=True)  # parked after too many failures; re-queued by staff

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(delivered_at__isnull=True), name="outbox_undelivered"),
            models.Index(fields=["order_id"], name="outbox_order"),
            models.Index(fields=["delivered_at"], condition=Q(delivered_at__isnull=False), name="outbox_delivered"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for order {self.order_id}"
