"""Reads of the catalog."""

import hashlib
from collections.abc import Collection

from django.db.models import Q, QuerySet

from catalog import cache
from catalog.data import CategoryInfo, ProductInfo, ProductPage
from catalog.models import Category, Product
from kubeshop.errors import NotFound


def list_products(*, q: str = "", category: str = "", ids: Collection[int] = ()) -> QuerySet[Product]:
    """Active products, optionally matching a search text, a category slug and a set of ids."""
    products = Product.objects.filter(is_active=True).select_related("category")
    if ids:
        products = products.filter(pk__in=ids)
    if q:
        products = products.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if category:
        products = products.filter(category__slug=category)
    return products


def get_product(product_id: int, *, include_inactive: bool = False) -> Product:
    products = Product.objects.select_related("category")
    if not include_inactive:
        products = products.filter(is_active=True)
    try:
        return products.get(pk=product_id)
    except Product.DoesNotExist:
        raise NotFound(f"Product {product_id} does not exist.") from None


def list_categories() -> QuerySet[Category]:
    return Category.objects.all()


def product_info(product: Product) -> ProductInfo:
    return ProductInfo(
        id=product.pk,
        name=product.name,
        slug=product.slug,
        description=product.description,
        price=product.price,
        stock=product.stock,
        category=product.category.slug if product.category else None,
        image_url=product.image_url,
        is_active=product.is_active,
        created_at=product.created_at,
        updated_at=product.updated_at,
    )


def find_products(
    *, q: str = "", category: str = "", ids: Collection[int] = (), start: int = 0, stop: int | None = None
) -> list[ProductInfo]:
    """Products on sale matching a search, as the seam's ProductInfo, in the API's order."""
    return [product_info(p) for p in list_products(q=q, category=category, ids=ids)[start:stop]]


def product_page(
    *, q: str = "", category: str = "", ids: Collection[int] = (), start: int = 0, size: int = 50
) -> tuple[list[ProductInfo], int]:
    """One page of the products on sale matching a search, and how many match in all."""
    products = list_products(q=q, category=category, ids=ids)
    return [product_info(p) for p in products[start : start + size]], products.count()


def _search_page(*, q: str, category: str, page: int, page_size: int) -> ProductPage:
    start = (page - 1) * page_size
    found = find_products(q=q, category=category, start=start, stop=start + page_size + 1)
    return ProductPage(found[:page_size], page, len(found) > page_size)


def _categories() -> list[CategoryInfo]:
    return [CategoryInfo(name=c.name, slug=c.slug) for c in list_categories()]


def search_page(*, q: str = "", category: str = "", page: int = 1, page_size: int = 12) -> ProductPage:
    """A page (from 1) of the storefront's grid, from the shared cache while the catalog is unchanged."""
    key = hashlib.sha256(repr((q, category, page, page_size)).encode()).hexdigest()
    return cache.cached(f"search:{key}", lambda: _search_page(q=q, category=category, page=page, page_size=page_size))


def browse(
    *, q: str = "", category: str = "", page: int = 1, page_size: int = 12
) -> tuple[ProductPage, list[CategoryInfo]]:
    """A page of the grid and every category, as the storefront's front page shows them: one cache read."""

    def first_time() -> tuple[ProductPage, list[CategoryInfo]]:
        return _search_page(q=q, category=category, page=page, page_size=page_size), _categories()

    key = hashlib.sha256(repr((q, category, page, page_size)).encode()).hexdigest()
    return cache.cached(f"browse:{key}", first_time)


def category_infos() -> list[CategoryInfo]:
    return cache.cached("categories", _categories)
