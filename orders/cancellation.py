"""Cancelling a paid order as a saga step: PAID → CANCELLING with its follow-ups → CANCELLED.

The refund, the stock release and the notice are written to the outbox in the transaction that marks
the order CANCELLING, so a peer that is down delays the cancellation but never leaves it half done;
the dispatcher delivers what did not land at once, and the last delivery marks the order CANCELLED.
"""

from django.db import transaction
from django.utils import timezone

from orders import outbox
from orders.errors import OrderNotCancellable
from orders.events import EventKind, NoPayload, Notice, PaymentRefund
from orders.models import Order, OrderStatus


def cancel_order(order: Order) -> Order:
    """Start cancelling a paid order and try its follow-ups once; CANCELLED if they all landed, else CANCELLING."""
    with transaction.atomic():
        moved = Order.objects.filter(pk=order.pk, status=OrderStatus.PAID).update(
            status=OrderStatus.CANCELLING, updated_at=timezone.now()
        )
        if not moved:
            current = Order.objects.get(pk=order.pk).status
            if current in (OrderStatus.CANCELLING, OrderStatus.CANCELLED):
                raise OrderNotCancellable(f"This order is already {current}.", status=current)
            raise OrderNotCancellable(f"Only a paid order can be cancelled; this one is {current}.", status=current)
        message = f"Your order {order.id} is cancelled and {order.total_amount} refunded."
        events = [
            outbox.record(EventKind.PAYMENT_REFUND, order_id=order.id, payload=PaymentRefund(order.payment_id)),
            outbox.record(EventKind.STOCK_RELEASE, order_id=order.id, payload=NoPayload()),
            outbox.record(EventKind.ORDER_CANCELLED, order_id=order.id, payload=Notice(order.user_id, message)),
        ]
    outbox.deliver_now(events)  # the last delivery marks the order CANCELLED (outbox.finish_cancel_if_done)
    order.refresh_from_db()
    return order
