"""What crosses the catalog's seam: plain frozen dataclasses (no Django) and their one wire mapper each.

The catalog's services and selectors return these, its client hands them to other apps in both
transports, and its views and client read and write the wire shape through the Wire mappers below.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kubeshop.wire import Wire


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


@dataclass(frozen=True)
class StockLine:
    """How many of one product an order reserves."""

    product_id: int
    quantity: int


PRODUCT = Wire(ProductInfo)
CATEGORY = Wire(CategoryInfo)
STOCK_LINE = Wire(StockLine, camel_case=True)  # as a reservation's body names a line: {productId, quantity}
