"""The catalog: the product grid with search, category filter and pages, and one product's page."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
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
    found, categories = catalog.browse(q=q, category=category, page=number, page_size=PAGE_SIZE)
    # Everything the catalog part of the page shows: a digest of it keys the rendered HTML, so a cached
    # rendering can never be stale (a changed product is another key) and needs no invalidation.
    facts = (found.products, found.page, found.has_next, categories, q, category)
    digest = hashlib.sha256(repr(facts).encode()).hexdigest()
    context = {"q": q, "category_name": next((c.name for c in categories if c.slug == category), "")}
    if not _first_visit(request):
        context["content"] = mark_safe(_for_visitor(request, _grid(digest, found, categories, q, category)))  # noqa: S308
        return render_page(request, "frontend/home.html", context)
    # A visitor with no session and no messages sees the same page as every other such visitor.
    html = cache.get(f"storefront:page:{digest}")
    if html is None:
        context["content"] = mark_safe(_grid(digest, found, categories, q, category))  # noqa: S308
        html = render_page(request, "frontend/home.html", context).content.decode()
        cache.set(f"storefront:page:{digest}", html, GRID_TIMEOUT)
    response = HttpResponse(_for_visitor(request, html))
    patch_vary_headers(response, ["Cookie"])  # as the session middleware says of every page that reads it
    return response


def _first_visit(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and CookieStorage.cookie_name not in request.COOKIES


def _for_visitor(request: HttpRequest, html: str) -> str:
    """A cached rendering with this visitor's own CSRF field and return path put in."""
    return html.replace(CSRF_MARK, csrf_input(request)).replace(NEXT_MARK, escape(request.get_full_path()))


def _grid(digest: str, found, categories, q: str, category: str) -> str:
    """The rendered product grid (CSRF_MARK and NEXT_MARK in it), from the shared cache when this very
    content was rendered before: a dozen cards were most of the page's cost."""
    key = f"storefront:grid:{digest}"
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
    return html


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
