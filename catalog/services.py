"""Every write and rule of the catalog."""
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from catalog.models import Category, Product
from kubeshop.errors import InvalidRequest

_PRODUCT_FIELDS = {"name", "description", "price", "stock", "image_url", "is_active"}


def _category(slug: str | None) -> Category | None:
    if not slug:
        return None
    try:
        return Category.objects.get(slug=slug)
    except Category.DoesNotExist:
        raise InvalidRequest(f"category: there is no category {slug!r}.") from None


def _save_with_unique_slug(product: Product) -> None:
    """Save, deriving a slug from the name; a taken slug gets the next free -2, -3, … suffix."""
    base = slugify(product.name)[:200] or "product"
    for attempt in range(1, 50):
        product.slug = base if attempt == 1 else f"{base}-{attempt}"
        if Product.objects.filter(slug=product.slug).exclude(pk=product.pk).exists():
            continue
        try:
            with transaction.atomic():  # the unique index decides when two writers race
                product.save()
            return
        except IntegrityError:
            continue
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


def update_product(product: Product, **changes) -> Product:
    """Change the given fields of a product; a new name gives it a new slug."""
    if "category" in changes:
        product.category = _category(changes.pop("category"))
    renamed = "name" in changes and changes["name"] != product.name
    for field, value in changes.items():
        if field not in _PRODUCT_FIELDS:
            raise InvalidRequest(f"{field}: cannot be changed.")
        setattr(product, field, value)
    if renamed:
        _save_with_unique_slug(product)
    else:
        product.save()
    return product


def withdraw_product(product: Product) -> None:
    """Take a product off sale; orders that sold it keep their history."""
    product.is_active = False
    product.save(update_fields=["is_active", "updated_at"])
