from django.db import models
from django.db.models import Q


class PaymentStatus(models.TextChoices):
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    REFUNDED = "refunded"


class Payment(models.Model):
    id = models.BigAutoField(primary_key=True)
    idempotency_key = models.CharField(max_length=255, unique=True)
    order_id = models.CharField(max_length=64, db_index=True)
    user_id = models.CharField(max_length=150)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=16, choices=PaymentStatus.choices)
    card_last4 = models.CharField(max_length=4, blank=True)  # never the full number
    # Keyed hash of the charge's arguments: a replay of a key must repeat the same charge.
    request_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=PaymentStatus.values), name="payment_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Payment {self.pk} of order {self.order_id}: {self.amount} {self.status}"


class OrderGate(models.Model):
    """One row per order that was charged or voided: every charge and void of an order locks it first.

    A void sets `voided`, and a charge that comes later (a retry still in flight) is refused, so a
    late arrival cannot undo a compensation; the row lock orders a racing charge and void.
    """

    order_id = models.CharField(max_length=64, unique=True)
    voided = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"order {self.order_id}{' (voided)' if self.voided else ''}"
