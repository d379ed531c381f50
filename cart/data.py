"""What crosses the cart's seam: plain frozen dataclasses (no Django), whose fields are their wire shape."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from kubeshop.wire import Wire

MAX_QUANTITY = 99  # per line: a shop's sanity limit, not a stock rule (public: pages cap their pickers)


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


@dataclass(frozen=True)
class CartLine:
    """A product and how many of it a cart holds."""

    product_id: int
    quantity: int


CART_LINE = Wire(CartLine, camel_case=True)  # as a request body names a line: {productId, quantity}
PRICED_CART_LINE = Wire(PricedCartLine)  # as the cart's API writes one: {product_id, quantity, name, …}
