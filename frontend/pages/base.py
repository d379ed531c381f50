"""What every page shares: the header's context, outage and sign-in handling, error pages."""

import re
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from frontend import storefront
from kubeshop.errors import DomainError, NotFound, Unavailable

# What a customer calls each service's part of the shop.
PARTS = {
    "catalog": "The product catalog",
    "cart": "Your cart",
    "orders": "Checkout and your orders",
    "payments": "Payments",
    "notifications": "Your notifications",
}
_SERVICE = re.compile(r"\b(catalog|cart|orders|payments|notifications)\b")


def render_page(request: HttpRequest, template: str, context: dict | None = None, *, status: int = 200) -> HttpResponse:
    context = {"header": storefront.header(request), **(context or {})}
    return render(request, template, context, status=status)


def error_page(
    request: HttpRequest, status: int, title: str, message: str, *, back: tuple[str, str] | None = None
) -> HttpResponse:
    """A page that says what went wrong in plain words and where to go from here."""
    back = back or (reverse("shop-home"), "Back to the shop")
    context = {"title": title, "message": message, "back_url": back[0], "back_label": back[1]}
    return render_page(request, "frontend/error.html", context, status=status)


def unavailable_page(request: HttpRequest, exc: Unavailable) -> HttpResponse:
    found = _SERVICE.search(exc.detail)
    part = PARTS[found.group(1)] if found else "Part of the shop"
    response = error_page(
        request,
        503,
        f"{part} is unavailable right now",
        f"{part} cannot be reached at the moment. Nothing was lost: please try again in a minute.",
    )
    response["Retry-After"] = "30"
    return response


def page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page view: a service that is down becomes a 503 page naming what is unavailable, and any other
    refusal by a service a page in its words with its status."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Unavailable as exc:
            return unavailable_page(request, exc)
        except DomainError as exc:  # anything a page did not explain itself: its words, never a 500
            return error_page(request, exc.status_code, "That did not work", exc.detail)

    return wrapper


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for customers only: others are sent to sign in and brought back afterwards."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            messages.info(request, "Please sign in to continue. If you were signed in, your session has expired.")
            back = request.get_full_path() if request.method == "GET" else reverse("shop-cart")
            return redirect(f"{reverse('shop-signin')}?{urlencode({'next': back})}")
        return view(request, *args, **kwargs)

    return wrapper


def form_errors(form) -> str:
    return " ".join(f"{error}" for errors in form.errors.values() for error in errors)


def order_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page about one of the customer's orders: another customer's order, or none at all, is the same 404
    page, so no order's existence leaks."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            back = ("/orders", "See your orders")
            return error_page(request, 404, "There is no such order", "It is not one of your orders.", back=back)

    return wrapper
