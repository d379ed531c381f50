"""Reads of the cart."""

from django.db.models import QuerySet

from cart.data import CartLine, PricedCartLine
from cart.models import CartItem
from catalog import client as catalog


def cart_items(user_id: str) -> QuerySet[CartItem]:
    return CartItem.objects.filter(user_id=user_id)


def priced_line(user_id: str, product_id: int) -> PricedCartLine:
    """One line of the cart, priced."""
    return priced_cart(user_id, product_ids=[product_id])[0]


def priced_cart(user_id: str, *, product_ids: list[int] | None = None) -> list[PricedCartLine]:
    """The user's cart with today's catalog names and prices."""
    items = cart_items(user_id)
    if product_ids is not None:
        items = items.filter(product_id__in=product_ids)
    items = list(items)
    products = catalog.get_products({i.product_id for i in items})
    return [
        PricedCartLine(
            product_id=i.product_id,
            quantity=i.quantity,
            name=products[i.product_id].name if i.product_id in products else None,
            unit_price=products[i.product_id].price if i.product_id in products else None,
            line_total=products[i.product_id].price * i.quantity if i.product_id in products else None,
            added_at=i.added_at,
            updated_at=i.updated_at,
        )
        for i in items
    ]


def cart_lines(user_id: str) -> list[CartLine]:
    """The user's cart lines, oldest first."""
    return [CartLine(i.product_id, i.quantity) for i in cart_items(user_id)]


def unpriced_cart(user_id: str) -> list[PricedCartLine]:
    """The user's cart lines as the API writes them without asking the catalog (for peers that need only lines)."""
    return [
        PricedCartLine(i.product_id, i.quantity, None, None, None, i.added_at, i.updated_at)
        for i in cart_items(user_id)
    ]
