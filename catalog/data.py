"""What crosses the catalog's seam: plain frozen dataclasses (no Django) and their one wire mapper each.

The catalog's services and selectors return these, its client hands them to other apps in both
transports, and its views and client read and write the wire shape through the mappers below.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal


@dataclass(frozen=True)
class StockLine:
    product_id: int
    quantity: int


@dataclass(frozen=True)
class ProductInfo:
    id: int
    name: str
    slug: str
    description: str
    price: Decimal
    stock: int
    category: str | None
    image_url: str
    is_active: bool
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class CategoryInfo:
    name: str
    slug: str


@dataclass(frozen=True)
class ProductPage:
    """One page of a product search, and whether another follows it."""

    products: list[ProductInfo]
    page: int
    has_next: bool


def _time_to_wire(moment: datetime | None) -> str | None:
    """As DRF writes a DateTimeField in UTC: ISO 8601, `Z` for +00:00."""
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _time_from_wire(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def product_to_wire(product: ProductInfo) -> dict:
    """ProductInfo -> a product as the API writes it (its schema: serializers.ProductOut)."""
    return {
        "id": product.id,
        "name": product.name,
        "slug": product.slug,
        "description": product.description,
        "price": f"{product.price:.2f}",
        "stock": product.stock,
        "category": product.category,
        "image_url": product.image_url,
        "is_active": product.is_active,
        "created_at": _time_to_wire(product.created_at),
        "updated_at": _time_to_wire(product.updated_at),
    }


def product_from_wire(fields: dict) -> ProductInfo:
    """A product as the API writes it (product_to_wire) -> ProductInfo."""
    return ProductInfo(
        id=fields["id"],
        name=fields["name"],
        slug=fields["slug"],
        description=fields["description"],
        price=Decimal(fields["price"]),
        stock=fields["stock"],
        category=fields["category"],
        image_url=fields["image_url"],
        is_active=fields["is_active"],
        created_at=_time_from_wire(fields.get("created_at")),
        updated_at=_time_from_wire(fields.get("updated_at")),
    )


def category_from_wire(fields: dict) -> CategoryInfo:
    return CategoryInfo(name=fields["name"], slug=fields["slug"])


def stock_line_to_wire(line: StockLine) -> dict:
    return {"productId": line.product_id, "quantity": line.quantity}


def stock_line_from_wire(fields: dict) -> StockLine:
    return StockLine(product_id=fields["productId"], quantity=fields["quantity"])
