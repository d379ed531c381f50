"""Checkout as a saga: every rule of placing, resuming and settling an order is here.

reserve stock → create the order → charge → confirm; each failure undoes what was done. No call to
another service happens inside a transaction, so the same code is correct in one process or split.
Every step is safe to repeat, so an order a crash left PENDING is finished by a retry of its
Idempotency-Key (`resume_order`) or by the sweeper (orders.sweeper); cancellation is in
orders.cancellation.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from cart import client as cart
from catalog import client as catalog
from kubeshop import logs
from kubeshop.errors import Conflict, DomainError, Unavailable
from orders import outbox
from orders.errors import CartEmpty
from orders.events import CartClear, EventKind, Mail, NoPayload, Notice, Payload
from orders.models import Order, OrderItem, OrderStatus, OutboxEvent
from payments import client as payments

SUCCEEDED = "succeeded"
FollowUp = tuple[EventKind, Payload]


def place_order(
    *, user_id: str, card: str = "", email: str = "", on_created: Callable[[Order], None] = lambda order: None
) -> Order:
    """Check out the user's cart: a PAID order, or an exception after every step was undone.

    `on_created` runs in the transaction that stores the PENDING order (the Idempotency-Key binds it).
    """
    lines = cart.get_cart(user_id)
    if not lines:
        raise CartEmpty("The cart is empty.")
    products = catalog.get_products({line.product_id for line in lines})
    for line in lines:
        if line.product_id not in products:
            detail = f"Product {line.product_id} is no longer for sale; remove it from the cart."
            raise catalog.ProductOffSale(detail, product_id=line.product_id)
    order = _create_pending_order(user_id, lines, products, on_created)
    return _run_saga(order, card=card, email=email)


def resume_order(*, order_id: UUID, card: str = "", email: str = "") -> Order:
    """Finish an order a failed request left behind: the same steps, keys and charge; never a second order."""
    order = Order.objects.prefetch_related("items").get(pk=order_id)
    if order.status == OrderStatus.PENDING:
        return _run_saga(order, card=card, email=email)
    if order.status in (OrderStatus.PAID, OrderStatus.CANCELLING, OrderStatus.CANCELLED):
        return order
    raise Conflict(f"Order {order.id} could not be completed ({order.status}); check out again with a new key.")


def complete_paid(order: Order, payment_id: int, *, email: str = "") -> bool:
    """PENDING → PAID with its follow-ups (commit stock, clear the cart, notify); False if it was settled already."""
    bought = sorted({i.product_id for i in order.items.all()})
    message = f"Your order {order.id} of {order.total_amount} is paid."
    follow_ups: list[FollowUp] = [
        (EventKind.STOCK_COMMIT, NoPayload()),
        (EventKind.CART_CLEAR, CartClear(user_id=order.user_id, product_ids=bought)),
        (EventKind.ORDER_PAID, Notice(user_id=order.user_id, message=message)),
    ]
    if email:
        follow_ups.append((EventKind.ORDER_MAIL, Mail(email=email)))
    return settle(order, OrderStatus.PAID, follow_ups, payment_id=payment_id)


def compensate(order: Order, status: str = OrderStatus.FAILED) -> bool:
    """PENDING → a failure with void and release queued: whatever landed is undone, and late arrivals refused."""
    return settle(order, status, [(EventKind.STOCK_RELEASE, NoPayload()), (EventKind.PAYMENT_VOID, NoPayload())])


def settle(order: Order, status: str, follow_ups: Sequence[FollowUp] = (), *, payment_id: int | None = None) -> bool:
    """Move a PENDING order to `status` and record its follow-up work in one transaction, then start that work.

    Conditional on the order still being PENDING, so a retry, the sweeper and the first request can race
    to settle one order: exactly one wins and writes the follow-ups; the others return False.
    """
    now = timezone.now()
    with transaction.atomic():
        moved = Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING).update(
            status=status, payment_id=payment_id, updated_at=now
        )
        events: list[OutboxEvent] = (
            [outbox.record(kind, order_id=order.id, payload=payload) for kind, payload in follow_ups] if moved else []
        )
    if moved:  # the row holds what was just written: no need to read it back
        order.status, order.payment_id, order.updated_at = status, payment_id, now
    else:
        order.refresh_from_db(fields=["status", "payment_id", "updated_at"])
    outbox.deliver_now(events)
    return bool(moved)


def _run_saga(order: Order, *, card: str, email: str) -> Order:
    logs.about_order(order.id)  # every line of this checkout, here and in the services it calls
    stock_lines = [catalog.StockLine(product_id=i.product_id, quantity=i.quantity) for i in order.items.all()]
    try:
        catalog.reserve_stock(order_id=str(order.id), lines=stock_lines)
    except (catalog.InsufficientStock, catalog.ProductOffSale):  # nothing was reserved
        settle(order, OrderStatus.REJECTED)
        raise
    except DomainError:  # unavailable or refused: the reservation may still have landed
        compensate(order, OrderStatus.FAILED)
        raise

    try:
        payment = payments.charge(
            idempotency_key=f"order-{order.id}",
            user_id=order.user_id,
            order_id=str(order.id),
            amount=order.total_amount,
            card=card,
        )
    except Unavailable:
        # The charge may have happened before the connection dropped: void it, give the stock back.
        compensate(order, OrderStatus.PAYMENT_FAILED)
        raise
    except DomainError:  # declined, or refused (the order was voided)
        settle(order, OrderStatus.PAYMENT_FAILED, [(EventKind.STOCK_RELEASE, NoPayload())])
        raise
    if payment.status != SUCCEEDED:  # the first charge of this key was voided by the sweeper meanwhile
        settle(order, OrderStatus.PAYMENT_FAILED, [(EventKind.STOCK_RELEASE, NoPayload())])
        raise Conflict(f"Order {order.id} was cancelled before its payment settled; check out again.")

    complete_paid(order, payment.id, email=email)
    if order.status != OrderStatus.PAID:  # the sweeper settled it first, and not as paid
        raise Conflict(f"Order {order.id} could not be completed ({order.status}); check out again.")
    return order


def _create_pending_order(user_id: str, lines: list, products: dict, on_created: Callable[[Order], None]) -> Order:
    total = sum((products[line.product_id].price * line.quantity for line in lines), Decimal("0"))
    with transaction.atomic():
        order = Order.objects.create(user_id=user_id, total_amount=total)
        items = OrderItem.objects.bulk_create(
            OrderItem(
                order=order,
                product_id=line.product_id,
                name=products[line.product_id].name,
                quantity=line.quantity,
                price=products[line.product_id].price,
            )
            for line in lines
        )
        on_created(order)
    _remember_items(order, items)
    return order


def _remember_items(order: Order, items: list[OrderItem]) -> None:
    """Let `order.items.all()` answer with the items just written, as prefetch_related("items") would.

    The saga, the follow-ups and the response each read the items; they are known, so none of them
    needs a query. bulk_create returns them in creation order, which is their `id` order (Meta.ordering).
    """
    cached = order.items.all()
    cached._result_cache, cached._prefetch_done = list(items), True
    order._prefetched_objects_cache = {"items": cached}
