"""Reads of the payment provider."""

from kubeshop.errors import NotFound
from kubeshop.wire import from_attributes
from payments.data import PaymentInfo
from payments.models import Payment

MAX_ID = 2**63 - 1


def get_payment(payment_id: int) -> Payment:
    """One payment; NotFound if there is none such."""
    if not 0 < payment_id <= MAX_ID:  # an id no bigint holds is simply not there
        raise NotFound(f"Payment {payment_id} does not exist.")
    try:
        return Payment.objects.get(pk=payment_id)
    except Payment.DoesNotExist:
        raise NotFound(f"Payment {payment_id} does not exist.") from None


def payments_of_order(order_id: str) -> list[Payment]:
    """Every payment made for an order, oldest first."""
    return list(Payment.objects.filter(order_id=order_id).order_by("id"))


def payment_info(payment: Payment) -> PaymentInfo:
    return from_attributes(PaymentInfo, payment, status=str(payment.status))
