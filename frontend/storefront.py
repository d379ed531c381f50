"""The storefront's rules: whose cart a visitor fills, guest carts, stock wording, images, checkout keys.

The pages (frontend.pages) only parse a form, call one of these or a client, and render.
"""

import re
import secrets
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.templatetags.static import static

from cart import client as cart
from catalog import client as catalog
from kubeshop.errors import NotFound, Unavailable
from notifications import client as notifications
from payments import client as payments

GUEST_CART = "guest_cart"  # session key: {product_id (str): quantity}
LOW_STOCK = 5  # "only 3 left" from this many down
CANCELLABLE = frozenset({"PAID"})
ART_DIR = Path(__file__).resolve().parent / "static" / "frontend" / "products"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BadCard(ValueError):
    """The card number is not 12 to 19 digits."""


# --- whose cart -------------------------------------------------------------------------------------


class GuestCart:
    """A visitor's cart before signing in, kept in the session (the frontend's own database)."""

    def __init__(self, session: SessionBase):
        self.session = session

    def _lines(self) -> dict[str, int]:
        return dict(self.session.get(GUEST_CART, {}))

    def _save(self, lines: dict[str, int]) -> None:
        self.session[GUEST_CART] = lines

    def lines(self) -> list[cart.CartLine]:
        return [cart.CartLine(int(pid), qty) for pid, qty in self._lines().items()]

    def count(self) -> int:
        return sum(self._lines().values())

    def priced(self) -> list[cart.PricedCartLine]:
        lines = self.lines()
        products = catalog.get_products({line.product_id for line in lines})
        return [_priced(line, products.get(line.product_id)) for line in lines]

    def add(self, product_id: int, quantity: int) -> int:
        """Add up to the cap; returns how many were added."""
        catalog.get_product(product_id)  # NotFound unless on sale, as the account's cart checks
        lines = self._lines()
        before = lines.get(str(product_id), 0)
        lines[str(product_id)] = min(before + quantity, cart.MAX_QUANTITY)
        self._save(lines)
        return lines[str(product_id)] - before

    def set_quantity(self, product_id: int, quantity: int) -> None:
        lines = self._lines()
        if quantity == 0:
            lines.pop(str(product_id), None)
        else:
            lines[str(product_id)] = min(quantity, cart.MAX_QUANTITY)
        self._save(lines)

    def remove(self, product_id: int) -> None:
        self.set_quantity(product_id, 0)

    def clear(self) -> None:
        self.session.pop(GUEST_CART, None)


class AccountCart:
    """A signed-in customer's cart, kept by the cart service."""

    def __init__(self, user_id: str):
        self.user_id = user_id

    def count(self) -> int:
        return sum(line.quantity for line in cart.get_cart(self.user_id))

    def priced(self) -> list[cart.PricedCartLine]:
        return cart.priced_cart(self.user_id)

    def add(self, product_id: int, quantity: int) -> int:
        """Add up to the cap; returns how many were added."""
        line = next((li for li in cart.get_cart(self.user_id) if li.product_id == product_id), None)
        room = cart.MAX_QUANTITY - (line.quantity if line else 0)
        if room <= 0:
            return 0
        cart.add_to_cart(self.user_id, product_id=product_id, quantity=min(quantity, room))
        return min(quantity, room)

    def set_quantity(self, product_id: int, quantity: int) -> None:
        cart.set_quantity(self.user_id, product_id=product_id, quantity=quantity)

    def remove(self, product_id: int) -> None:
        with suppress(NotFound):  # removed already (a second tab, a double click): the outcome asked for
            cart.remove_from_cart(self.user_id, product_id=product_id)


def basket(request: HttpRequest) -> GuestCart | AccountCart:
    """The cart this visitor fills: the account's once signed in, else the session's."""
    if request.user.is_authenticated:
        return AccountCart(request.user.username)
    return GuestCart(request.session)


def merge_guest_cart(request: HttpRequest) -> bool:
    """Move a guest cart into the signed-in account's cart; False (kept for later) if the cart is down."""
    guest = GuestCart(request.session)
    lines = guest.lines()
    if not lines:
        return True
    try:
        cart.merge_cart(request.user.username, lines)
    except Unavailable:
        return False
    guest.clear()
    return True


def _priced(line: cart.CartLine, product: catalog.ProductInfo | None) -> cart.PricedCartLine:
    if product is None:
        return cart.PricedCartLine(line.product_id, line.quantity, None, None, None)
    total = product.price * line.quantity
    return cart.PricedCartLine(line.product_id, line.quantity, product.name, product.price, total)


# --- what the pages show ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """What the header shows besides who is signed in; None where the service did not answer."""

    cart_count: int | None
    unread: int | None


def header(request: HttpRequest) -> Header:
    """The header's counts; a service that is down only blanks its own count, never the page."""
    try:
        cart_count = basket(request).count()
    except Unavailable:
        cart_count = None
    unread: int | None = 0
    if request.user.is_authenticated:
        try:
            unread = notifications.unread_count(request.user.username)
        except Unavailable:
            unread = None
    return Header(cart_count, unread)


@dataclass(frozen=True)
class CartRow:
    """One line as the pages show it: `left` is how many remain when the line asks for more."""

    line: cart.PricedCartLine
    image: str
    left: int | None


@dataclass(frozen=True)
class CartView:
    """A cart as the cart and checkout pages show it."""

    lines: list[cart.PricedCartLine]
    stock: dict[int, int]  # product id → how many are left, for lines on sale
    images: dict[int, str]  # product id → image URL

    @property
    def total(self) -> Decimal:
        return sum((line.line_total for line in self.lines if line.line_total is not None), Decimal("0.00"))

    @property
    def off_sale(self) -> list[cart.PricedCartLine]:
        return [line for line in self.lines if line.name is None]

    @property
    def short(self) -> list[tuple[cart.PricedCartLine, int]]:
        """Lines asking for more than is left, with how many are left."""
        return [
            (line, self.stock[line.product_id])
            for line in self.lines
            if line.product_id in self.stock and line.quantity > self.stock[line.product_id]
        ]

    @property
    def rows(self) -> list[CartRow]:
        short = {line.product_id: left for line, left in self.short}
        return [CartRow(line, self.images[line.product_id], short.get(line.product_id)) for line in self.lines]

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def can_check_out(self) -> bool:
        return bool(self.lines) and not self.off_sale and not self.short


def cart_view(request: HttpRequest) -> CartView:
    """The visitor's cart priced from the catalog, with today's stock of each line."""
    lines = basket(request).priced()
    products = catalog.get_products({line.product_id for line in lines})
    images = {line.product_id: image_url(products.get(line.product_id)) for line in lines}
    return CartView(lines, {pid: p.stock for pid, p in products.items()}, images)


def search_text(raw: str, *, limit: int) -> str:
    """What a visitor typed into a search or filter, without control characters no database takes."""
    return _CONTROL.sub(" ", raw)[:limit].strip()


def stock_label(stock: int) -> str:
    if stock <= 0:
        return "Sold out"
    if stock <= LOW_STOCK:
        return f"Only {stock} left"
    return "In stock"


@cache
def _shipped_art() -> frozenset[str]:
    return frozenset(p.stem for p in ART_DIR.glob("*.svg"))


def image_url(product: catalog.ProductInfo | None) -> str:
    """The product's own image, else the art shipped for it, else the placeholder: never a dead link."""
    if product is not None and product.image_url:
        return product.image_url
    if product is not None and product.slug in _shipped_art():
        return static(f"frontend/products/{product.slug}.svg")
    return static("frontend/placeholder.svg")


def images_by_id(products: Iterable[catalog.ProductInfo]) -> dict[int, str]:
    return {p.id: image_url(p) for p in products}


# --- checkout ---------------------------------------------------------------------------------------


def new_checkout_key() -> str:
    """The Idempotency-Key a checkout form carries: made once per rendering, so a resubmit is one order."""
    return f"checkout-{secrets.token_urlsafe(24)}"


def card_number(raw: str) -> str:
    """A card number as typed (spaces and dashes allowed) reduced to digits; '' pays with no card."""
    digits = re.sub(r"[\s-]", "", raw)
    if digits and not payments.is_card_number(digits):
        raise BadCard("Enter the card number as 12 to 19 digits, or leave it empty.")
    return digits


def can_cancel(status: str) -> bool:
    return status in CANCELLABLE
