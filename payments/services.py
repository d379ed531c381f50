"""Every write and rule of the simulated payment provider: charges, declines, refunds."""

import json
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from kubeshop.errors import InvalidRequest, NotFound, Unprocessable
from kubeshop.idempotency_key import check_idempotency_key
from kubeshop.integrity import breaks_unique
from payments.data import CARD_RULE, DECLINED_CARD, is_card_number
from payments.errors import CardDeclined, NotRefundable, OrderVoided
from payments.models import OrderGate, Payment, PaymentStatus
from payments.selectors import MAX_ID

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")  # what max_digits=12, decimal_places=2 can hold


def charge(*, idempotency_key: str, user_id: str, order_id: str, amount: Decimal, card: str = "") -> Payment:
    """Charge a card once per idempotency key; a replay answers what the first call answered."""
    _check_charge(idempotency_key=idempotency_key, user_id=user_id, order_id=order_id, amount=amount, card=card)
    amount = amount.quantize(CENT)
    fingerprint = _fingerprint(user_id=user_id, order_id=order_id, amount=amount, card=card)
    payment = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if payment is None:
        try:
            with transaction.atomic():  # the unique key decides between two racing first calls
                if _gate(order_id).voided:
                    raise OrderVoided(f"Order {order_id} was voided; it cannot be charged again.", order_id=order_id)
                payment = Payment.objects.create(
                    idempotency_key=idempotency_key,
                    user_id=user_id,
                    order_id=order_id,
                    amount=amount,
                    status=PaymentStatus.DECLINED if card == DECLINED_CARD else PaymentStatus.SUCCEEDED,
                    card_last4=card[-4:],
                    request_fingerprint=fingerprint,
                )
        except IntegrityError as exc:
            if not breaks_unique(exc, Payment, "idempotency_key"):
                raise
            payment = Payment.objects.get(idempotency_key=idempotency_key)
    if payment.request_fingerprint != fingerprint:
        raise Unprocessable("This Idempotency-Key was already used for a different charge.")
    if payment.status == PaymentStatus.DECLINED:
        raise CardDeclined("The card was declined.")
    return payment


def refund(*, payment_id: int) -> Payment:
    """Refund a succeeded payment; refunding it again changes nothing."""
    with transaction.atomic():
        payment = _locked(payment_id)
        if payment.status == PaymentStatus.DECLINED:
            detail = f"Payment {payment_id} was declined; there is nothing to refund."
            raise NotRefundable(detail, payment_id=payment_id)
        if payment.status == PaymentStatus.SUCCEEDED:
            payment.status = PaymentStatus.REFUNDED
            payment.save(update_fields=["status", "updated_at"])
    return payment


def void_order(*, order_id: str) -> list[Payment]:
    """Refund every succeeded payment of an order; return all its refunded payments, so a retry answers the same."""
    with transaction.atomic():
        gate = _gate(order_id)  # after this, no charge of the order can land: it waits, then is refused
        if not gate.voided:
            gate.voided = True
            gate.save(update_fields=["voided"])
        # Locked in id order, like every other writer of these rows: no deadlock.
        payments = list(Payment.objects.select_for_update().filter(order_id=order_id).order_by("id"))
        for payment in payments:
            if payment.status == PaymentStatus.SUCCEEDED:
                payment.status = PaymentStatus.REFUNDED
                payment.save(update_fields=["status", "updated_at"])
    return [p for p in payments if p.status == PaymentStatus.REFUNDED]


def _gate(order_id: str) -> OrderGate:
    """The order's gate row, made if missing, locked until the transaction ends: charge and void take turns."""
    # ON CONFLICT DO NOTHING waits for a racing insert of the same order to commit, then skips.
    OrderGate.objects.bulk_create([OrderGate(order_id=order_id)], ignore_conflicts=True)
    return OrderGate.objects.select_for_update().get(order_id=order_id)


def _locked(payment_id: int) -> Payment:
    if not 0 < payment_id <= MAX_ID:
        raise NotFound(f"Payment {payment_id} does not exist.")
    try:
        return Payment.objects.select_for_update().get(pk=payment_id)
    except Payment.DoesNotExist:
        raise NotFound(f"Payment {payment_id} does not exist.") from None


def _check_charge(*, idempotency_key: str, user_id: str, order_id: str, amount: Decimal, card: str) -> None:
    # The API's serializer checks the same; these guard in-process callers, which skip it.
    check_idempotency_key(idempotency_key)
    if not user_id or len(user_id) > 150:
        raise InvalidRequest("userId: required, at most 150 characters.")
    if not order_id or len(order_id) > 64:
        raise InvalidRequest("orderId: required, at most 64 characters.")
    if not amount.is_finite() or not CENT <= amount <= MAX_AMOUNT or amount != amount.quantize(CENT):
        raise InvalidRequest(f"amount: must be between {CENT} and {MAX_AMOUNT}, in whole cents.")
    if card and not is_card_number(card):
        raise InvalidRequest(CARD_RULE)


def _fingerprint(*, user_id: str, order_id: str, amount: Decimal, card: str) -> str:
    # Keyed, not a bare sha256: an unkeyed hash of a card number is as good as the number itself.
    canonical = json.dumps(
        {"user_id": user_id, "order_id": order_id, "amount": str(amount), "card": card},
        sort_keys=True,
        separators=(",", ":"),
    )
    return salted_hmac("payments.charge.fingerprint", canonical, algorithm="sha256").hexdigest()
