"""Reads of the cart."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet

from cart.models import CartItem
from catalog import client as catalog


@dataclass(frozen=True)
class PricedLine:
    """A cart line with today's catalog name and price; `name` is None once the product is off sale."""

    product_id: int
    quantity: int
    name: str | None
    unit_price: Decimal | None
    added_at: datetime
    updated_at: datetime

    @property
    def line_total(self) -> Decimal | None:
        return None if self.unit_price is None else self.unit_price * self.quantity


def cart_items(user_id: str) -> QuerySet[CartItem]:
    return CartItem.objects.filter(user_id=user_id)


def priced_line(user_id: str, product_id: int) -> PricedLine:
    """One line of the cart, priced."""
    return priced_cart(user_id, product_ids=[product_id])[0]


def priced_cart(user_id: str, *, product_ids: list[int] | None = None) -> list[PricedLine]:
    """The user's cart with today's catalog names and prices."""
    items = cart_items(user_id)
    if product_ids is not None:
        items = items.filter(product_id__in=product_ids)
    items = list(items)
    products = catalog.get_products({i.product_id for i in items})
    return [
        PricedLine(
            product_id=i.product_id,
            quantity=i.quantity,
            name=products[i.product_id].name if i.product_id in products else None,
            unit_price=products[i.product_id].price if i.product_id in products else None,
            added_at=i.added_at,
            updated_at=i.updated_at,
        )
        for i in items
    ]
