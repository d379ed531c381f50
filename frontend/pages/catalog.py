"""The catalog: the product grid with search, category filter and pages, and one product's page."""

import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cart.client import MAX_QUANTITY
from catalog import client as catalog
from frontend import storefront
from frontend.pages.base import error_page, page, render_page
from kubeshop.errors import NotFound

PAGE_SIZE = 12
# Stand-ins for what differs per visitor in a rendered grid; neither can come out of escaped catalog text.
CSRF_MARK, NEXT_MARK = mark_safe("<!--visitor-csrf-->"), mark_safe("<!--visitor-path-->")  # noqa: S308
GRID_TIMEOUT = 300


def _page_number(raw: str) -> int:
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 10_000 else 1


@page
def home(request: HttpRequest) -> HttpResponse:
    """The storefront's front page: the catalog, wherever it runs."""
    q = storefront.search_text(request.GET.get("q", ""), limit=200)
    category = storefront.search_text(request.GET.get("category", ""), limit=100)
    number = _page_number(request.GET.get("page", "1"))
    found = catalog.search_products(q=q, category=category, page=number, page_size=PAGE_SIZE)
    categories = catalog.list_categories()
    category_name = next((c.name for c in categories if c.slug == category), "")
    context = {"q": q, "category_name": category_name, "content": _grid(request, found, categories, q, category)}
    return render_page(request, "frontend/home.html", context)


def _grid(request: HttpRequest, found, categories, q: str, category: str) -> str:
    """The rendered grid, from the shared cache when this very content was rendered before.

    The key is a digest of everything the grid shows, so an entry can never be stale: a changed
    product is another key. Rendering a dozen cards is most of the page's cost.
    """
    facts = (found.products, found.page, found.has_next, categories, q, category)
    key = f"storefront:grid:{hashlib.sha256(repr(facts).encode()).hexdigest()}"
    html = cache.get(key)
    if html is None:
        keep = {k: v for k, v in (("q", q), ("category", category)) if v}  # page links keep the filter
        number = found.page
        context = {
            "products": [(p, storefront.image_url(p), storefront.stock_label(p.stock)) for p in found.products],
            "categories": categories,
            "q": q,
            "category": category,
            "category_name": next((c.name for c in categories if c.slug == category), ""),
            "page_number": number,
            "previous_url": f"?{urlencode({**keep, 'page': number - 1})}" if number > 1 else "",
            "next_url": f"?{urlencode({**keep, 'page': number + 1})}" if found.has_next else "",
            "csrf_mark": CSRF_MARK,
            "next_mark": NEXT_MARK,
        }
        html = render_to_string("frontend/_catalog.html", context)
        cache.set(key, html, GRID_TIMEOUT)
    visitor = html.replace(CSRF_MARK, csrf_input(request)).replace(NEXT_MARK, escape(request.get_full_path()))
    return mark_safe(visitor)  # noqa: S308 (rendered by the template engine, the path escaped above)


@page
def product(request: HttpRequest, product_id: int) -> HttpResponse:
    try:
        item = catalog.get_product(product_id)
    except NotFound:
        return error_page(
            request,
            404,
            "This product is not for sale",
            "It may have been taken off sale, or the link is wrong. Have a look at what is in the shop today.",
        )
    context = {
        "product": item,
        "category_name": next((c.name for c in catalog.list_categories() if c.slug == item.category), ""),
        "image_url": storefront.image_url(item),
        "stock_label": storefront.stock_label(item.stock),
        "max_quantity": max(1, min(item.stock, MAX_QUANTITY)),
    }
    return render_page(request, "frontend/product.html", context)
