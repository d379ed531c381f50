"""Every write and rule of the catalog."""

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from catalog import cache
from catalog.data import StockLine
from catalog.errors import InsufficientStock, ProductOffSale, StockChanged, StockReleased
from catalog.models import Category, Product, Reservation, ReservationState, StockGate
from kubeshop.errors import InvalidRequest
from kubeshop.integrity import breaks_unique

_PRODUCT_FIELDS = {"name", "description", "price", "stock", "category", "image_url", "is_active"}


def _category(slug: str | None) -> Category | None:
    if not slug:
        return None
    try:
        return Category.objects.get(slug=slug)
    except Category.DoesNotExist:
        raise InvalidRequest(f"category: there is no category {slug!r}.") from None


def _save_with_unique_slug(product: Product, update_fields: Sequence[str] | None = None) -> None:
    """Save, deriving a slug from the name; a taken slug gets the next free -2, -3, … suffix."""
    base = slugify(product.name)[:200] or "product"
    for attempt in range(1, 50):
        product.slug = base if attempt == 1 else f"{base}-{attempt}"
        if Product.objects.filter(slug=product.slug).exclude(pk=product.pk).exists():
            continue
        try:
            with transaction.atomic():  # the unique index decides when two writers race
                product.save(update_fields=update_fields)
        except IntegrityError as exc:
            if not breaks_unique(exc, Product, "slug"):
                raise
            continue
        return
    raise InvalidRequest("name: too many products share this name.")


def create_product(
    *,
    name: str,
    price: Decimal,
    stock: int = 0,
    description: str = "",
    category: str | None = None,
    image_url: str = "",
    is_active: bool = True,
) -> Product:
    product = Product(
        name=name,
        price=price,
        stock=stock,
        description=description,
        category=_category(category),
        image_url=image_url,
        is_active=is_active,
    )
    _save_with_unique_slug(product)
    return product


def update_product(product: Product, *, expected_stock: int | None = None, **changes) -> Product:
    """Change the given fields of a product (a new name gives it a new slug), writing only those.

    A new stock goes through `restock`: the caller names the stock it saw (`expected_stock`), and
    sales made since then are never overwritten (Conflict, nothing saved).
    """
    renamed = "name" in changes and changes["name"] != product.name
    if "category" in changes:
        changes["category"] = _category(changes["category"])
    for field, value in changes.items():
        if field not in _PRODUCT_FIELDS:
            raise InvalidRequest(f"{field}: cannot be changed.")
        setattr(product, field, value)
    save_product_edit(product, list(changes), stock_seen=expected_stock, derive_slug=renamed)
    return product


def save_product_edit(
    product: Product, fields: Sequence[str], *, stock_seen: int | None, derive_slug: bool = False
) -> None:
    """Write only `fields` of `product` (already set on it), its stock only through `restock`.

    The one rule for staff edits, from the API and the admin alike: a row written back whole would undo
    every sale made between reading it and saving it.
    """
    others = [f for f in dict.fromkeys(fields) if f != "stock"]
    with transaction.atomic():
        if "stock" in fields:
            if stock_seen is None:
                raise InvalidRequest("expectedStock: a new stock needs the stock it was counted on; nothing was saved.")
            restock(product.pk, seen=stock_seen, stock=product.stock)
        if derive_slug:
            _save_with_unique_slug(product, update_fields=[*others, "slug", "updated_at"])
        elif others:
            product.save(update_fields=[*others, "updated_at"])
        cache.changed()
    product.refresh_from_db(fields=["stock", "updated_at"])


def withdraw_product(product: Product) -> None:
    """Take a product off sale; orders that sold it keep their history."""
    product.is_active = False
    product.save(update_fields=["is_active", "updated_at"])


def reserve_stock(*, order_id: str, lines: Sequence[StockLine]) -> None:
    """Take stock for every line of an order, or for none of them; a retry for the same order is a no-op."""
    wanted = Counter()
    for line in lines:
        wanted[line.product_id] += line.quantity
    try:
        with transaction.atomic():
            if _gate(order_id).released:
                detail = f"Order {order_id} gave its stock back; it cannot reserve again."
                raise StockReleased(detail, order_id=order_id)
            if Reservation.objects.filter(order_id=order_id).exists():
                return
            for product_id in sorted(wanted):  # one lock order for every checkout: no deadlock
                taken = Product.objects.filter(pk=product_id, is_active=True, stock__gte=wanted[product_id]).update(
                    stock=F("stock") - wanted[product_id]
                )
                if not taken:
                    raise _shortage(product_id, wanted[product_id])
            cache.changed()
            try:
                with transaction.atomic():
                    Reservation.objects.bulk_create(
                        Reservation(order_id=order_id, product_id=product_id, quantity=quantity)
                        for product_id, quantity in wanted.items()
                    )
            except IntegrityError as exc:
                if not breaks_unique(exc, Reservation, "one_reservation_per_order_line"):
                    raise
                raise _ReservedMeanwhile from exc  # out of the transaction: the stock taken above goes back
    except _ReservedMeanwhile:
        return  # a concurrent retry of this order reserved first; its stock is the order's


class _ReservedMeanwhile(Exception):
    """A racing retry of the same order made its reservation first."""


def _gate(order_id: str) -> StockGate:
    """The order's gate row, made if missing, locked until the transaction ends: reserve and release take turns."""
    # ON CONFLICT DO NOTHING waits for a racing insert of the same order to commit, then skips.
    StockGate.objects.bulk_create([StockGate(order_id=order_id)], ignore_conflicts=True)
    return StockGate.objects.select_for_update().get(order_id=order_id)


def _shortage(product_id: int, quantity: int) -> InsufficientStock | ProductOffSale:
    product = Product.objects.filter(pk=product_id, is_active=True).first()
    if product is None:
        return ProductOffSale(f"Product {product_id} is not for sale.", product_id=product_id)
    return InsufficientStock(
        f"Not enough stock of {product.name} (product {product_id}): {quantity} wanted, {product.stock} left.",
        product_id=product_id,
        wanted=quantity,
        left=product.stock,
    )


def release_stock(*, order_id: str) -> None:
    """Give back the stock an order holds or bought (a failed or cancelled order); idempotent."""
    with transaction.atomic():
        gate = _gate(order_id)  # after this, a late reservation of the order waits, then is refused
        if not gate.released:
            gate.released = True
            gate.save(update_fields=["released"])
        reservations = list(
            Reservation.objects.select_for_update()
            .filter(order_id=order_id)
            .exclude(state=ReservationState.RELEASED)
            .order_by("product_id")
        )
        for reservation in reservations:
            Product.objects.filter(pk=reservation.product_id).update(stock=F("stock") + reservation.quantity)
        if reservations:
            cache.changed()
        Reservation.objects.filter(pk__in=[r.pk for r in reservations]).update(state=ReservationState.RELEASED)


def commit_stock(*, order_id: str) -> None:
    """Mark an order's held stock as sold; idempotent."""
    Reservation.objects.filter(order_id=order_id, state=ReservationState.HELD).update(state=ReservationState.COMMITTED)


def restock(product_id: int, *, seen: int, stock: int) -> None:
    """Set the stock staff counted, unless sales changed it since they read `seen`.

    A count equal to what they saw changes nothing: staff did not mean to touch the stock, and any
    sales made meanwhile stand.
    """
    if stock == seen:
        return
    cache.changed()
    if not Product.objects.filter(pk=product_id, stock=seen).update(stock=stock, updated_at=timezone.now()):
        raise StockChanged(
            f"The stock of product {product_id} changed while it was being edited; nothing was saved.",
            product_id=product_id,
        )
