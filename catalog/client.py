"""The one door into the catalog for other apps: in-process or over HTTP, same results and errors."""

from collections.abc import Collection, Sequence

from catalog.data import (
    CATEGORY,
    PRODUCT,
    STOCK_LINE,
    CategoryInfo,
    ProductInfo,
    ProductPage,
    StockLine,
)
from catalog.errors import InsufficientStock, ProductOffSale, StockChanged, StockReleased
from kubeshop import transport

# the seam's types and the errors of the catalog's rules, re-exported: other apps import them from here
__all__ = [
    "CategoryInfo",
    "InsufficientStock",
    "ProductInfo",
    "ProductOffSale",
    "ProductPage",
    "StockChanged",
    "StockLine",
    "StockReleased",
]


def get_product(product_id: int) -> ProductInfo:
    """One product on sale; NotFound if there is none such."""
    if transport.runs_here("catalog"):
        from catalog import selectors

        return selectors.product_info(selectors.get_product(product_id))
    return PRODUCT.from_wire(transport.call("GET", "catalog", f"/api/products/{product_id}"))


def get_products(product_ids: Collection[int]) -> dict[int, ProductInfo]:
    """The products on sale among `product_ids`, by id; ids not on sale are left out."""
    if not product_ids:
        return {}
    if transport.runs_here("catalog"):
        from catalog import selectors

        found = selectors.find_products(ids=product_ids)
    else:
        params = {"ids": ",".join(map(str, sorted(product_ids))), "page_size": len(product_ids)}
        found = [PRODUCT.from_wire(p) for p in transport.call("GET", "catalog", "/api/products", params=params)]
    return {p.id: p for p in found}


def list_products(*, q: str = "", category: str = "", page_size: int = 50) -> list[ProductInfo]:
    """The first page of products on sale matching a search."""
    if transport.runs_here("catalog"):
        from catalog import selectors

        return selectors.find_products(q=q, category=category, stop=page_size)
    params = {"q": q, "category": category, "page_size": page_size}
    return [PRODUCT.from_wire(p) for p in transport.call("GET", "catalog", "/api/products", params=params)]


def reserve_stock(*, order_id: str, lines: Sequence[StockLine]) -> None:
    """Take stock for every line or none; InsufficientStock or ProductOffSale names the product that is short."""
    if transport.runs_here("catalog"):
        from catalog import services

        return services.reserve_stock(order_id=order_id, lines=lines)
    body = {"orderId": order_id, "lines": [STOCK_LINE.to_wire(line) for line in lines]}
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


def search_products(*, q: str = "", category: str = "", page: int = 1, page_size: int = 12) -> ProductPage:
    """A page (from 1) of the products on sale matching a search text and a category slug."""
    start = (page - 1) * page_size
    if transport.runs_here("catalog"):
        from catalog import selectors

        return selectors.search_page(q=q, category=category, page=page, page_size=page_size)
    params = {"q": q, "category": category, "page": page, "page_size": page_size}
    found = [PRODUCT.from_wire(p) for p in transport.call("GET", "catalog", "/api/products", params=params)]
    has_next = False
    if len(found) == page_size:  # the list is a bare array: ask whether one more product follows
        params.update(page=start + page_size + 1, page_size=1)
        has_next = bool(transport.call("GET", "catalog", "/api/products", params=params))
    return ProductPage(found, page, has_next)


def browse(
    *, q: str = "", category: str = "", page: int = 1, page_size: int = 12
) -> tuple[ProductPage, list[CategoryInfo]]:
    """search_products and list_categories at once: in one process a single read of the shared cache."""
    if transport.runs_here("catalog"):
        from catalog import selectors

        return selectors.browse(q=q, category=category, page=page, page_size=page_size)
    return search_products(q=q, category=category, page=page, page_size=page_size), list_categories()


def list_categories() -> list[CategoryInfo]:
    if transport.runs_here("catalog"):
        from catalog import selectors

        return selectors.category_infos()
    return [CATEGORY.from_wire(c) for c in transport.call("GET", "catalog", "/api/categories")]
