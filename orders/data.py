"""What crosses the orders' seam: plain frozen dataclasses (no Django) and their one wire mapper each."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


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


def order_from_wire(fields: dict) -> OrderInfo:
    """An order as the API writes it (OrderOut) -> OrderInfo."""
    return OrderInfo(
        order_id=fields["orderId"],
        user_id=fields["userId"],
        status=fields["status"],
        total_amount=Decimal(fields["totalAmount"]),
        created_at=datetime.fromisoformat(fields["createdAt"]),
        items=tuple(OrderLine(i["productId"], i["name"], i["quantity"], Decimal(i["price"])) for i in fields["items"]),
    )
