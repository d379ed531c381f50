"""The one door into the catalog for other apps: in-process or over HTTP, same results and errors."""

from dataclasses import dataclass
from decimal import Decimal

from kubeshop import transport


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


def _from_fields(fields: dict) -> ProductInfo:
    return ProductInfo(
        **{**{k: fields[k] for k in ProductInfo.__dataclass_fields__}, "price": Decimal(fields["price"])}
    )


def _from_model(product) -> ProductInfo:
    from catalog.serializers import ProductOut

    return _from_fields(ProductOut(product).data)


def get_product(product_id: int) -> ProductInfo:
    """One product on sale; NotFound if there is none such."""
    if transport.runs_here("catalog"):
        from catalog import selectors

        return _from_model(selectors.get_product(product_id))
    return _from_fields(transport.call("GET", "catalog", f"/api/products/{product_id}"))


def list_products(*, q: str = "", category: str = "", page_size: int = 50) -> list[ProductInfo]:
    """The first page of products on sale matching a search."""
    if transport.runs_here("catalog"):
        from catalog import selectors

        return [_from_model(p) for p in selectors.list_products(q=q, category=category)[:page_size]]
    params = {"q": q, "category": category, "page_size": page_size}
    return [_from_fields(p) for p in transport.call("GET", "catalog", "/api/products", params=params)]
