"""The cart page and its forms: add, change a quantity, remove. Guests and customers alike."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cart import client as cart
from frontend import storefront
from frontend.pages.base import error_page, form_errors, page, render_page
from frontend.pages.forms import AddToCartForm, QuantityForm
from kubeshop.errors import InvalidRequest, NotFound


@page
def cart_page(request: HttpRequest) -> HttpResponse:
    return render_page(request, "frontend/cart.html", {"cart": storefront.cart_view(request)})


@require_POST
@page
def add_to_cart(request: HttpRequest) -> HttpResponse:
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        return error_page(request, 400, "That could not be added to the cart", form_errors(form))
    product_id, quantity = form.cleaned_data["product_id"], form.cleaned_data["quantity"]
    try:
        added = storefront.basket(request).add(product_id, quantity)
    except NotFound:
        return error_page(
            request,
            404,
            "This product is not for sale",
            "It may have been taken off sale a moment ago, so it was not added to your cart.",
        )
    except InvalidRequest as exc:
        return error_page(request, 400, "That could not be added to the cart", exc.detail)
    if added:
        messages.success(request, f"Added {added} to your cart.")
    else:
        messages.warning(request, f"Your cart already holds {cart.MAX_QUANTITY} of this product, the most it can.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("shop-cart")


@require_POST
@page
def update_line(request: HttpRequest, product_id: int) -> HttpResponse:
    form = QuantityForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The quantity was not changed: {form_errors(form)}")
        return redirect("shop-cart")
    try:
        storefront.basket(request).set_quantity(product_id, form.cleaned_data["quantity"])
    except NotFound:
        messages.error(request, "That product is no longer for sale; remove it from your cart.")
    except InvalidRequest as exc:
        messages.error(request, f"The quantity was not changed: {exc.detail}")
    else:
        messages.success(request, "Your cart is updated.")
    return redirect("shop-cart")


@require_POST
@page
def remove_line(request: HttpRequest, product_id: int) -> HttpResponse:
    storefront.basket(request).remove(product_id)
    messages.success(request, "Removed from your cart.")
    return redirect(reverse("shop-cart"))
