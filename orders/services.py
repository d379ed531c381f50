"""Checkout as a saga, and the order lifecycle: every rule of orders is here.

reserve stock → create the order → charge → confirm; each failure undoes what was done. No call to
another service happens inside a transaction, so the same code is correct in one process or split.
"""
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from cart import client as cart
from catalog import client as catalog
from kubeshop.errors import Conflict, DomainError, InvalidRequest, Unavailable
from orders import outbox
from orders.models import Order, OrderItem, OrderStatus, OutboxEvent
from payments import client as payments


def place_order(*, user_id: str, card: str = "", email: str = "") -> Order:
    """Check out the user's cart: a PAID order, or an exception after every step was undone."""
    lines = cart.get_cart(user_id)
    if not lines:
        raise InvalidRequest("The cart is empty.")
    products = catalog.get_products({line.product_id for line in lines})
    for line in lines:
        if line.product_id not in products:
            raise Conflict(f"Product {line.product_id} is no longer for sale; remove it from the cart.")
    order = _create_pending_order(user_id, lines, products)
    stock_lines = [catalog.StockLine(product_id=i.product_id, quantity=i.quantity) for i in order.items.all()]

    try:
        catalog.reserve_stock(order_id=str(order.id), lines=stock_lines)
    except Conflict:
        _settle(order, OrderStatus.REJECTED)
        raise
    except DomainError:  # unavailable or refused: the reservation may still have landed
        _settle(order, OrderStatus.FAILED, ["stock.release"])
        raise

    try:
        payment = payments.charge(
            idempotency_key=f"order-{order.id}", user_id=user_id, order_id=str(order.id),
            amount=order.total_amount, card=card,
        )  # fmt: skip
    except Unavailable:
        # The charge may have happened before the connection dropped: void it, give the stock back.
        _settle(order, OrderStatus.PAYMENT_FAILED, ["stock.release", "payment.void"])
        raise
    except DomainError:  # declined, or refused
        _settle(order, OrderStatus.PAYMENT_FAILED, ["stock.release"])
        raise

    bought = sorted({i.product_id for i in order.items.all()})
    message = f"Your order {order.id} of {order.total_amount} is paid."
    _settle(
        order, OrderStatus.PAID, ["stock.commit", "cart.clear", "order.paid"], payment_id=payment.id,
        userId=user_id, productIds=bought, email=email, message=message,
    )  # fmt: skip
    return order


def cancel_order(order: Order) -> Order:
    """Refund a paid order and return its stock; each step is idempotent, so a retry finishes the job."""
    if order.status != OrderStatus.PAID:
        raise Conflict(f"Only a paid order can be cancelled; this one is {order.status}.")
    payments.refund(payment_id=order.payment_id)
    catalog.release_stock(order_id=str(order.id))
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != OrderStatus.PAID:
            return locked  # a concurrent cancel got here first
        locked.status = OrderStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        event = outbox.record(
            "order.cancelled", order_id=order.id, userId=order.user_id,
            message=f"Your order {order.id} is cancelled and {order.total_amount} refunded.",
        )  # fmt: skip
    outbox.deliver_now([event])
    return locked


def _create_pending_order(user_id: str, lines: list, products: dict) -> Order:
    total = sum((products[line.product_id].price * line.quantity for line in lines), Decimal("0"))
    with transaction.atomic():
        order = Order.objects.create(user_id=user_id, total_amount=total)
        OrderItem.objects.bulk_create(
            OrderItem(
                order=order, product_id=line.product_id, name=products[line.product_id].name,
                quantity=line.quantity, price=products[line.product_id].price,
            )  # fmt: skip
            for line in lines
        )
    return order


def _settle(
    order: Order, status: str, follow_ups: Sequence[str] = (), *, payment_id: int | None = None, **payload
) -> None:
    """Record the order's new status and the follow-up work in one transaction, then start that work."""
    with transaction.atomic():
        order.status = status
        order.payment_id = payment_id
        order.save(update_fields=["status", "payment_id", "updated_at"])
        events: list[OutboxEvent] = [outbox.record(kind, order_id=order.id, **payload) for kind in follow_ups]
    outbox.deliver_now(events)
