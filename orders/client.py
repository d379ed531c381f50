"""The one door into orders for other apps (the storefront): in-process or over HTTP."""
from dataclasses import dataclass
from decimal import Decimal

from kubeshop import transport


@dataclass(frozen=True)
class OrderSummary:
    order_id: str
    status: str
    total_amount: Decimal


def orders_of(user_id: str) -> list[OrderSummary]:
    """The user's most recent orders, newest first."""
    if transport.runs_here("orders"):
        from orders import selectors

        return [OrderSummary(str(o.id), o.status, o.total_amount) for o in selectors.orders_of(user_id)[:50]]
    rows = transport.call("GET", "orders", "/api/orders", params={"userId": user_id}, acting_for=user_id)
    return [OrderSummary(r["orderId"], r["status"], Decimal(r["totalAmount"])) for r in rows]
