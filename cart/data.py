"""What crosses the cart's seam: plain frozen dataclasses (no Django) and the wire shape of each."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from kubeshop.wire import Wire

MAX_QUANTITY = 99  # per line: a shop's sanity limit, not a stock rule (public: pages cap their pickers)


@dataclass(frozen=True)
class CartLine:
    product_id: int
    quantity: int


@dataclass(frozen=True)
class PricedCartLine:
    """A cart line priced from today's catalog; `name` and prices are None once it is off sale."""

    product_id: int
    quantity: int
    name: str | None
    unit_price: Decimal | None
    line_total: Decimal | None
    added_at: datetime | None = field(default=None, compare=False)  # shown, not part of what a line is
    updated_at: datetime | None = field(default=None, compare=False)


CART_LINE = Wire(CartLine, productId="product_id", quantity="quantity")  # as a request body names a line
PRICED_CART_LINE = Wire(
    PricedCartLine,
    product_id="product_id",
    quantity="quantity",
    name="name",
    unit_price="unit_price",
    line_total="line_total",
    added_at="added_at",
    updated_at="updated_at",
)
