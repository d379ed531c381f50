"""The one door into the cart for other apps: in-process or over HTTP, same results and errors."""
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from kubeshop import transport

MAX_QUANTITY = 99  # per line: a shop's sanity limit, not a stock rule (public: pages cap their pickers)


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


@dataclass(frozen=True)
class PricedCartLine:
    """A cart line priced from today's catalog; `name` and prices are None once it is off sale."""

    product_id: int
    quantity: int
    name: str | None
    unit_price: Decimal | None
    line_total: Decimal | None


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def priced_cart(user_id: str) -> list[PricedCartLine]:
    """The user's cart with today's names and prices, oldest line first."""
    if transport.runs_here("cart"):
        from cart import selectors

        return [
            PricedCartLine(line.product_id, line.quantity, line.name, line.unit_price, line.line_total)
            for line in selectors.priced_cart(user_id)
        ]
    lines = transport.call("GET", "cart", f"/api/cart/{user_id}", acting_for=user_id)
    return [
        PricedCartLine(
            line["product_id"], line["quantity"], line.get("name"),
            _decimal(line.get("unit_price")), _decimal(line.get("line_total")),
        )  # fmt: skip
        for line in lines
    ]


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

        services.merge_carts(user_id=user_id, lines=[(line.product_id, line.quantity) for line in lines])
        return
    body = {"lines": [{"productId": line.product_id, "quantity": line.quantity} for line in lines]}
    transport.call("POST", "cart", f"/api/cart/{user_id}/merge", json=body, acting_for=user_id)
