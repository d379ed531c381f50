"""What crosses the catalog's seam: plain frozen dataclasses (no Django) and their one wire mapper each.

The catalog's services and selectors return these, its client hands them to other apps in both
transports, and its views and client read and write the wire shape through the mappers below.
"""

from dataclasses import dataclass
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


def product_from_wire(fields: dict) -> ProductInfo:
    """A product as the API writes it (ProductOut) -> ProductInfo."""
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
    )


def category_from_wire(fields: dict) -> CategoryInfo:
    return CategoryInfo(name=fields["name"], slug=fields["slug"])


def stock_line_to_wire(line: StockLine) -> dict:
    return {"productId": line.product_id, "quantity": line.quantity}


def stock_line_from_wire(fields: dict) -> StockLine:
    return StockLine(product_id=fields["productId"], quantity=fields["quantity"])
