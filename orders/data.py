"""What crosses the orders' seam: plain frozen dataclasses (no Django), whose fields are their wire shape."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kubeshop.wire import Wire


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
    total_amount: Decimal
    status: str
    payment_id: int | None
    created_at: datetime
    updated_at: datetime
    items: tuple[OrderLine, ...]


ORDER = Wire(OrderInfo, camel_case=True)  # {orderId, userId, totalAmount, …, items: [{productId, …}]}
