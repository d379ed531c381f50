"""Every write and rule of the cart."""

from collections.abc import Collection

from django.db import IntegrityError, transaction

from cart.data import MAX_QUANTITY, CartLine
from cart.models import CartItem
from catalog import client as catalog
from kubeshop.errors import InvalidRequest, NotFound
from kubeshop.integrity import breaks_unique


def _check_on_sale(product_id: int) -> None:
    catalog.get_product(product_id)  # NotFound unless the product exists and is active


def add_item(*, user_id: str, product_id: int, quantity: int) -> CartItem:
    """Add `quantity` of a product on sale to the user's cart."""
    _check_on_sale(product_id)
    try:
        with transaction.atomic():  # the unique line decides when two adds race
            return CartItem.objects.create(user_id=user_id, product_id=product_id, quantity=_bounded(quantity))
    except IntegrityError as exc:
        if not breaks_unique(exc, CartItem, "one_cart_line_per_product"):
            raise
    # the line exists: add to it
    with transaction.atomic():
        item = CartItem.objects.select_for_update().get(user_id=user_id, product_id=product_id)
        item.quantity = _bounded(item.quantity + quantity)
        item.save(update_fields=["quantity", "updated_at"])
        return item


def set_quantity(*, user_id: str, product_id: int, quantity: int) -> CartItem | None:
    """Set a line's quantity; zero removes the line."""
    if quantity == 0:
        remove_item(user_id=user_id, product_id=product_id)
        return None
    _check_on_sale(product_id)
    item, _ = CartItem.objects.update_or_create(
        user_id=user_id, product_id=product_id, defaults={"quantity": _bounded(quantity)}
    )
    return item


def remove_item(*, user_id: str, product_id: int) -> None:
    deleted, _ = CartItem.objects.filter(user_id=user_id, product_id=product_id).delete()
    if not deleted:
        raise NotFound(f"Product {product_id} is not in the cart.")


def clear_cart(*, user_id: str, product_ids: Collection[int] | None = None) -> None:
    """Empty the cart, or only the given products' lines (those an order bought)."""
    items = CartItem.objects.filter(user_id=user_id)
    if product_ids is not None:
        items = items.filter(product_id__in=product_ids)
    items.delete()


def _bounded(quantity: int) -> int:
    if quantity > MAX_QUANTITY:
        raise InvalidRequest(f"quantity: at most {MAX_QUANTITY} of one product per cart.")
    return quantity


def merge_carts(*, user_id: str, lines: Collection[CartLine]) -> None:
    """Add lines, a guest's cart, to the user's: quantities add up to MAX_QUANTITY.

    A line whose product went off sale meanwhile is dropped rather than failing the sign-in.
    """
    wanted: dict[int, int] = {}
    for line in lines:
        if line.quantity > 0:
            wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    on_sale = catalog.get_products(wanted)  # before the transaction: no peer call inside one
    with transaction.atomic():
        for product_id in sorted(set(wanted) & set(on_sale)):  # one lock order: no deadlock
            item = CartItem.objects.select_for_update().filter(user_id=user_id, product_id=product_id).first()
            if item is None:
                CartItem.objects.create(
                    user_id=user_id, product_id=product_id, quantity=min(wanted[product_id], MAX_QUANTITY)
                )
            else:
                item.quantity = min(item.quantity + wanted[product_id], MAX_QUANTITY)
                item.save(update_fields=["quantity", "updated_at"])
