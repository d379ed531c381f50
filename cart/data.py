"""What crosses the cart's seam: plain frozen dataclasses (no Django) and their one wire mapper each."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

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


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def cart_line_from_wire(fields: dict) -> CartLine:
    return CartLine(product_id=fields["product_id"], quantity=fields["quantity"])


def cart_line_to_wire(line: CartLine) -> dict:
    """A line as a request body names it (merge)."""
    return {"productId": line.product_id, "quantity": line.quantity}


def priced_cart_line_from_wire(fields: dict) -> PricedCartLine:
    return PricedCartLine(
        product_id=fields["product_id"],
        quantity=fields["quantity"],
        name=fields.get("name"),
        unit_price=_decimal(fields.get("unit_price")),
        line_total=_decimal(fields.get("line_total")),
        added_at=datetime.fromisoformat(fields["added_at"]) if fields.get("added_at") else None,
        updated_at=datetime.fromisoformat(fields["updated_at"]) if fields.get("updated_at") else None,
    )
