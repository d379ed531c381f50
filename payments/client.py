"""The one door into payments for other apps: in-process or over HTTP, same results and errors."""

from decimal import Decimal

from kubeshop import transport
from payments.data import CARD_NUMBER, CARD_RULE, DECLINED_CARD, PAYMENT, PaymentInfo, is_card_number
from payments.errors import CardDeclined, NotRefundable, OrderVoided

# the seam's types and the card rule (the storefront and orders check a card number by payments' rule)
__all__ = [
    "CARD_NUMBER",
    "CARD_RULE",
    "DECLINED_CARD",
    "CardDeclined",
    "NotRefundable",
    "OrderVoided",
    "PaymentInfo",
    "is_card_number",
]


def charge(*, idempotency_key: str, user_id: str, order_id: str, amount: Decimal, card: str = "") -> PaymentInfo:
    """Charge once per key; PaymentDeclined if the card is declined, Unprocessable if the key was used otherwise."""
    if transport.runs_here("payments"):
        from payments import selectors, services

        payment = services.charge(
            idempotency_key=idempotency_key, user_id=user_id, order_id=order_id, amount=amount, card=card
        )
        return selectors.payment_info(payment)
    body = {"userId": user_id, "amount": str(amount), "orderId": order_id, "card": card}
    answer = transport.call(
        "POST", "payments", "/api/process", json=body, acting_for=user_id, idempotency_key=idempotency_key
    )
    return PAYMENT.from_wire(answer)


def refund(*, payment_id: int) -> PaymentInfo:
    """Refund a payment (again is harmless); Conflict if it was declined, NotFound if there is none such."""
    if transport.runs_here("payments"):
        from payments import selectors, services

        return selectors.payment_info(services.refund(payment_id=payment_id))
    return PAYMENT.from_wire(transport.call("POST", "payments", f"/api/payments/{payment_id}/refund", idempotent=True))


def void_order(*, order_id: str) -> list[int]:
    """Refund every succeeded payment of an order; the ids of all its refunded payments."""
    if transport.runs_here("payments"):
        from payments import services

        return [p.id for p in services.void_order(order_id=order_id)]
    answer = transport.call("POST", "payments", "/api/payments/void", json={"orderId": order_id}, idempotent=True)
    return answer["refunded"]


def payments_of_order(order_id: str) -> list[PaymentInfo]:
    """Every payment made for an order, oldest first: whether, and how, it was charged."""
    if transport.runs_here("payments"):
        from payments import selectors

        return [selectors.payment_info(p) for p in selectors.payments_of_order(order_id)]
    answer = transport.call("GET", "payments", "/api/payments", params={"orderId": order_id})
    return [PAYMENT.from_wire(fields) for fields in answer]
