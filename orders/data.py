"""What crosses the orders' seam: plain frozen dataclasses (no Django) and the wire shape of each."""

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
    status: str
    total_amount: Decimal
    payment_id: int | None
    created_at: datetime
    updated_at: datetime
    items: tuple[OrderLine, ...]


ORDER_LINE = Wire(OrderLine, productId="product_id", name="name", quantity="quantity", price="price")
ORDER = Wire(
    OrderInfo,
    orderId="order_id",
    userId="user_id",
    totalAmount="total_amount",
    status="status",
    paymentId="payment_id",
    createdAt="created_at",
    updatedAt="updated_at",
    items=ORDER_LINE,
)
