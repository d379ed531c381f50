"""The one door into the cart for other apps: in-process or over HTTP, same results and errors."""
from collections.abc import Collection
from dataclasses import dataclass

from kubeshop import transport


@dataclass(frozen=True)
class CartLine:
    product_id: int
    quantity: int


def get_cart(user_id: str) -> list[CartLine]:
    """The user's cart lines, oldest first."""
    if transport.runs_here("cart"):
        from cart import selectors

        return [CartLine(i.product_id, i.quantity) for i in selectors.cart_items(user_id)]
    lines = transport.call("GET", "cart", f"/api/cart/{user_id}", params={"enrich": "no"}, acting_for=user_id)
    return [CartLine(line["product_id"], line["quantity"]) for line in lines]


def clear_cart(user_id: str, *, product_ids: Collection[int] | None = None) -> None:
    """Empty the user's cart, or only the lines of `product_ids`."""
    if transport.runs_here("cart"):
        from cart import services

        return services.clear_cart(user_id=user_id, product_ids=product_ids)
    body = {} if product_ids is None else {"productIds": sorted(product_ids)}
    transport.call("POST", "cart", f"/api/cart/{user_id}/clear", json=body, acting_for=user_id, idempotent=True)
