"""The one door into the cart for other apps: in-process or over HTTP, same results and errors."""

from collections.abc import Collection

from cart.data import CART_LINE, MAX_QUANTITY, PRICED_CART_LINE, CartLine, PricedCartLine
from kubeshop import transport

__all__ = ["MAX_QUANTITY", "CartLine", "PricedCartLine"]  # the seam's types, re-exported


def get_cart(user_id: str) -> list[CartLine]:
    """The user's cart lines, oldest first."""
    if transport.runs_here("cart"):
        from cart import selectors

        return selectors.cart_lines(user_id)
    lines = transport.call("GET", "cart", f"/api/cart/{user_id}", params={"enrich": "no"}, acting_for=user_id)
    return [CartLine(line.product_id, line.quantity) for line in map(PRICED_CART_LINE.from_wire, lines)]


def clear_cart(user_id: str, *, product_ids: Collection[int] | None = None) -> None:
    """Empty the user's cart, or only the lines of `product_ids`."""
    if transport.runs_here("cart"):
        from cart import services

        return services.clear_cart(user_id=user_id, product_ids=product_ids)
    body = {} if product_ids is None else {"productIds": sorted(product_ids)}
    transport.call("POST", "cart", f"/api/cart/{user_id}/clear", json=body, acting_for=user_id, idempotent=True)


def priced_cart(user_id: str) -> list[PricedCartLine]:
    """The user's cart with today's names and prices, oldest line first."""
    if transport.runs_here("cart"):
        from cart import selectors

        return selectors.priced_cart(user_id)
    lines = transport.call("GET", "cart", f"/api/cart/{user_id}", acting_for=user_id)
    return [PRICED_CART_LINE.from_wire(line) for line in lines]


def add_to_cart(user_id: str, *, product_id: int, quantity: int = 1) -> None:
    """Add to a line's quantity; NotFound when the product is not on sale, InvalidRequest past the cap."""
    if transport.runs_here("cart"):
        from cart import services

        services.add_item(user_id=user_id, product_id=product_id, quantity=quantity)
        return
    body = {"productId": product_id, "quantity": quantity}
    transport.call("POST", "cart", f"/api/cart/{user_id}/add", json=body, acting_for=user_id)


def set_quantity(user_id: str, *, product_id: int, quantity: int) -> None:
    """Set a line's quantity; zero removes the line."""
    if transport.runs_here("cart"):
        from cart import services

        services.set_quantity(user_id=user_id, product_id=product_id, quantity=quantity)
        return
    body = {"quantity": quantity}
    transport.call("PUT", "cart", f"/api/cart/{user_id}/items/{product_id}", json=body, acting_for=user_id)


def remove_from_cart(user_id: str, *, product_id: int) -> None:
    """Remove a line; NotFound when it is not in the cart."""
    if transport.runs_here("cart"):
        from cart import services

        services.remove_item(user_id=user_id, product_id=product_id)
        return
    body = {"productId": product_id}
    transport.call("DELETE", "cart", f"/api/cart/{user_id}/remove", json=body, acting_for=user_id)


def merge_cart(user_id: str, lines: Collection[CartLine]) -> None:
    """Add `lines` (a guest's cart) to the user's cart, capped per line; products off sale are dropped."""
    if not lines:
        return
    if transport.runs_here("cart"):
        from cart import services

        services.merge_carts(user_id=user_id, lines=lines)
        return
    body = {"lines": [CART_LINE.to_wire(line) for line in lines]}
    transport.call("POST", "cart", f"/api/cart/{user_id}/merge", json=body, acting_for=user_id)
