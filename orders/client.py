"""The one door into orders for other apps (the storefront): in-process or over HTTP."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from django.utils.dateparse import parse_datetime

from kubeshop import errors, transport
from kubeshop.identity import Identity


@dataclass(frozen=True)
class OrderSummary:
    order_id: str
    status: str
    total_amount: Decimal


@dataclass(frozen=True)
class OrderLine:
    product_id: int
    name: str
    quantity: int
    price: Decimal

    @property
    def line_total(self) -> Decimal:
        return self.price * self.quantity


@dataclass(frozen=True)
class OrderInfo:
    """An order as its owner sees it: the lines as sold, the total and where it stands."""

    order_id: str
    user_id: str
    status: str
    total_amount: Decimal
    created_at: datetime
    items: tuple[OrderLine, ...]


def orders_of(user_id: str) -> list[OrderSummary]:
    """The user's most recent orders, newest first."""
    if transport.runs_here("orders"):
        from orders import selectors

        return [OrderSummary(str(o.id), o.status, o.total_amount) for o in selectors.orders_of(user_id)[:50]]
    rows = transport.call("GET", "orders", "/api/orders", params={"userId": user_id}, acting_for=user_id)
    return [OrderSummary(r["orderId"], r["status"], Decimal(r["totalAmount"])) for r in rows]


def _from_fields(fields: dict) -> OrderInfo:
    return OrderInfo(
        order_id=fields["orderId"],
        user_id=fields["userId"],
        status=fields["status"],
        total_amount=Decimal(fields["totalAmount"]),
        created_at=parse_datetime(fields["createdAt"]),
        items=tuple(
            OrderLine(i["productId"], i["name"], i["quantity"], Decimal(i["price"])) for i in fields["items"]
        ),
    )


def _from_model(order) -> OrderInfo:
    from orders.serializers import OrderOut

    return _from_fields(OrderOut(order).data)


def place_order(*, user_id: str, card: str = "", idempotency_key: str = "", email: str = "") -> OrderInfo:
    """Check out the user's cart, once per idempotency key; the API's domain errors otherwise.

    PaymentDeclined (card declined), Conflict (short stock or off sale, naming the product),
    InvalidRequest (empty cart, bad card), Unavailable (a service down).
    """
    if transport.runs_here("orders"):
        from orders import idempotency

        status, answer = idempotency.checkout(user_id=user_id, card=card, email=email, key=idempotency_key or None)
        if status >= 400:
            raise errors.BY_STATUS.get(status, errors.InvalidRequest)(answer.get("detail"))
        return _from_fields(answer)
    body = {"userId": user_id, "card": card, "email": email}
    fields = transport.call(
        "POST", "orders", "/api/orders/create", json=body, acting_for=user_id, idempotency_key=idempotency_key
    )
    return _from_fields(fields)


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

        return _from_model(selectors.order_for(Identity(username=user_id), uuid))
    order = _from_fields(transport.call("GET", "orders", f"/api/orders/{uuid}", acting_for=user_id))
    if order.user_id != user_id:  # a service may read any order; the user it acts for may not
        raise errors.NotFound(f"Order {order_id} does not exist.")
    return order


def list_orders(user_id: str) -> list[OrderInfo]:
    """The user's most recent orders (one page), newest first."""
    if transport.runs_here("orders"):
        from orders import selectors

        return [_from_model(o) for o in selectors.orders_of(user_id)[:50]]
    rows = transport.call("GET", "orders", "/api/orders", params={"userId": user_id}, acting_for=user_id)
    return [_from_fields(r) for r in rows]


def cancel_order(*, user_id: str, order_id: str) -> OrderInfo:
    """Cancel one of the user's paid orders (refund, stock back; CANCELLING until every step landed).

    Conflict when it cannot be cancelled.
    """
    uuid = _order_id(order_id)
    if transport.runs_here("orders"):
        from orders import cancellation, selectors

        identity = Identity(username=user_id)
        order = cancellation.cancel_order(selectors.order_for(identity, uuid))
        return _from_model(selectors.order_for(identity, order.id))
    get_order(user_id=user_id, order_id=order_id)  # ownership first: a service may cancel any order
    return _from_fields(transport.call("POST", "orders", f"/api/orders/{uuid}/cancel", acting_for=user_id))
