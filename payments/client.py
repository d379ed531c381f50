"""The one door into payments for other apps: in-process or over HTTP, same results and errors."""

from dataclasses import dataclass
from decimal import Decimal

from kubeshop import transport


@dataclass(frozen=True)
class PaymentInfo:
    id: int
    order_id: str
    user_id: str
    amount: Decimal
    status: str  # "succeeded", "declined" or "refunded"


def _from_fields(fields: dict) -> PaymentInfo:
    return PaymentInfo(
        id=fields["paymentId"],
        order_id=fields["orderId"],
        user_id=fields["userId"],
        amount=Decimal(fields["amount"]),
        status=fields["status"],
    )


def _from_model(payment) -> PaymentInfo:
    from payments.serializers import PaymentOut

    return _from_fields(PaymentOut(payment).data)


def charge(*, idempotency_key: str, user_id: str, order_id: str, amount: Decimal, card: str = "") -> PaymentInfo:
    """Charge once per key; PaymentDeclined if the card is declined, Unprocessable if the key was used otherwise."""
    if transport.runs_here("payments"):
        from payments import services

        return _from_model(
            services.charge(
                idempotency_key=idempotency_key, user_id=user_id, order_id=order_id, amount=amount, card=card
            )
        )
    body = {"userId": user_id, "amount": str(amount), "orderId": order_id, "card": card}
    answer = transport.call(
        "POST", "payments", "/api/process", json=body, acting_for=user_id, idempotency_key=idempotency_key
    )
    return _from_fields(answer)


def refund(*, payment_id: int) -> PaymentInfo:
    """Refund a payment (again is harmless); Conflict if it was declined, NotFound if there is none such."""
    if transport.runs_here("payments"):
        from payments import services

        return _from_model(services.refund(payment_id=payment_id))
    return _from_fields(transport.call("POST", "payments", f"/api/payments/{payment_id}/refund", idempotent=True))


def void_order(*, order_id: str) -> list[int]:
    """Refund every succeeded payment of an order; the ids of all its refunded payments."""
    if transport.runs_here("payments"):
        from payments import services

        return [p.id for p in services.void_order(order_id=order_id)]
    answer = transport.call("POST", "payments", "/api/payments/void", json={"orderId": order_id}, idempotent=True)
    return answer["refunded"]


def get_payment(payment_id: int) -> PaymentInfo:
    """One payment; NotFound if there is none such."""
    if transport.runs_here("payments"):
        from payments import selectors

        return _from_model(selectors.get_payment(payment_id))
    return _from_fields(transport.call("GET", "payments", f"/api/payments/{payment_id}"))


def payments_of_order(order_id: str) -> list[PaymentInfo]:
    """Every payment made for an order, oldest first: whether, and how, it was charged."""
    if transport.runs_here("payments"):
        from payments import selectors

        return [_from_model(p) for p in selectors.payments_of_order(order_id)]
    return [_from_fields(f) for f in transport.call("GET", "payments", "/api/payments", params={"orderId": order_id})]
