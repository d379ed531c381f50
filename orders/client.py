"""The one door into orders for other apps (the storefront): in-process or over HTTP."""

from uuid import UUID

from kubeshop import errors, transport
from kubeshop.identity import Identity
from orders.data import ORDER, OrderInfo, OrderLine
from orders.errors import CartEmpty, OrderNotCancellable
from payments import client as payments

__all__ = ["CartEmpty", "OrderInfo", "OrderLine", "OrderNotCancellable"]  # the seam's types and errors


def place_order(*, user_id: str, card: str = "", idempotency_key: str = "", email: str = "") -> OrderInfo:
    """Check out the user's cart, once per idempotency key; the API's domain errors otherwise.

    PaymentDeclined (card declined), Conflict (short stock or off sale, naming the product),
    InvalidRequest (empty cart, bad card), Unavailable (a service down).
    """
    if card and not payments.is_card_number(card):  # payments' rule, before anything is asked of anyone
        raise errors.InvalidRequest(payments.CARD_RULE)
    if transport.runs_here("orders"):
        from orders import idempotency

        status, answer = idempotency.checkout(user_id=user_id, card=card, email=email, key=idempotency_key or None)
        if status >= 400:
            raise errors.from_body(status, answer)
        return ORDER.from_wire(answer)
    body = {"userId": user_id, "card": card, "email": email}
    fields = transport.call(
        "POST", "orders", "/api/orders/create", json=body, acting_for=user_id, idempotency_key=idempotency_key
    )
    return ORDER.from_wire(fields)


def _order_id(order_id: str) -> UUID:
    try:
        return UUID(str(order_id))
    except ValueError:
        raise errors.NotFound(f"Order {order_id} does not exist.") from None


def get_order(*, user_id: str, order_id: str) -> OrderInfo:
    """One of the user's orders; NotFound for an order of anyone else (no existence leak)."""
    uuid = _order_id(order_id)
    if transport.runs_here("orders"):
        from orders import selectors

        return selectors.order_info(selectors.order_for(Identity(username=user_id), uuid))
    order = ORDER.from_wire(transport.call("GET", "orders", f"/api/orders/{uuid}", acting_for=user_id))
    if order.user_id != user_id:  # a service may read any order; the user it acts for may not
        raise errors.NotFound(f"Order {order_id} does not exist.")
    return order


def list_orders(user_id: str) -> list[OrderInfo]:
    """The user's most recent orders (one page), newest first."""
    if transport.runs_here("orders"):
        from orders import selectors

        return [selectors.order_info(o) for o in selectors.orders_of(user_id)[:50]]
    rows = transport.call("GET", "orders", "/api/orders", params={"userId": user_id}, acting_for=user_id)
    return [ORDER.from_wire(r) for r in rows]


def cancel_order(*, user_id: str, order_id: str) -> OrderInfo:
    """Cancel one of the user's paid orders (refund, stock back; CANCELLING until every step landed).

    Conflict when it cannot be cancelled.
    """
    uuid = _order_id(order_id)
    if transport.runs_here("orders"):
        from orders import cancellation, selectors

        identity = Identity(username=user_id)
        order = cancellation.cancel_order(selectors.order_for(identity, uuid))
        return selectors.order_info(selectors.order_for(identity, order.id))
    get_order(user_id=user_id, order_id=order_id)  # ownership first: a service may cancel any order
    return ORDER.from_wire(transport.call("POST", "orders", f"/api/orders/{uuid}/cancel", acting_for=user_id))
