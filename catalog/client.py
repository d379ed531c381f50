"""The one door into the catalog for other apps: in-process or over HTTP, same results and errors."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kubeshop import transport


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


def get_products(product_ids: Collection[int]) -> dict[int, ProductInfo]:
    """The products on sale among `product_ids`, by id; ids not on sale are left out."""
    if not product_ids:
        return {}
    if transport.runs_here("catalog"):
        from catalog import selectors

        found = [_from_model(p) for p in selectors.list_products(ids=product_ids)]
    else:
        params = {"ids": ",".join(map(str, sorted(product_ids))), "page_size": len(product_ids)}
        found = [_from_fields(p) for p in transport.call("GET", "catalog", "/api/products", params=params)]
    return {p.id: p for p in found}


def list_products(*, q: str = "", category: str = "", page_size: int = 50) -> list[ProductInfo]:
    """The first page of products on sale matching a search."""
    if transport.runs_here("catalog"):
        from catalog import selectors

        return [_from_model(p) for p in selectors.list_products(q=q, category=category)[:page_size]]
    params = {"q": q, "category": category, "page_size": page_size}
    return [_from_fields(p) for p in transport.call("GET", "catalog", "/api/products", params=params)]


def reserve_stock(*, order_id: str, lines: Sequence[StockLine]) -> None:
    """Take stock for every line or none; Conflict names the product that is short."""
    if transport.runs_here("catalog"):
        from catalog import services

        return services.reserve_stock(order_id=order_id, lines=lines)
    body = {"orderId": order_id, "lines": [{"productId": li.product_id, "quantity": li.quantity} for li in lines]}
    transport.call("POST", "catalog", "/api/reservations", json=body, idempotent=True)


def release_stock(*, order_id: str) -> None:
    """Give back whatever stock the order holds or bought; idempotent."""
    if transport.runs_here("catalog"):
        from catalog import services

        return services.release_stock(order_id=order_id)
    transport.call("POST", "catalog", f"/api/reservations/{order_id}/release", idempotent=True)


def commit_stock(*, order_id: str) -> None:
    """Mark the order's stock as sold; idempotent."""
    if transport.runs_here("catalog"):
        from catalog import services

        return services.commit_stock(order_id=order_id)
    transport.call("POST", "catalog", f"/api/reservations/{order_id}/commit", idempotent=True)


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


def search_products(*, q: str = "", category: str = "", page: int = 1, page_size: int = 12) -> ProductPage:
    """A page (from 1) of the products on sale matching a search text and a category slug."""
    start = (page - 1) * page_size
    if transport.runs_here("catalog"):
        from catalog import selectors

        found = [_from_model(p) for p in selectors.list_products(q=q, category=category)[start : start + page_size + 1]]
        return ProductPage(found[:page_size], page, len(found) > page_size)
    params = {"q": q, "category": category, "page": page, "page_size": page_size}
    found = [_from_fields(p) for p in transport.call("GET", "catalog", "/api/products", params=params)]
    has_next = False
    if len(found) == page_size:  # the list is a bare array: ask whether one more product follows
        params.update(page=start + page_size + 1, page_size=1)
        has_next = bool(transport.call("GET", "catalog", "/api/products", params=params))
    return ProductPage(found, page, has_next)


def list_categories() -> list[CategoryInfo]:
    if transport.runs_here("catalog"):
        from catalog import selectors

        return [CategoryInfo(c.name, c.slug) for c in selectors.list_categories()]
    return [CategoryInfo(c["name"], c["slug"]) for c in transport.call("GET", "catalog", "/api/categories")]
