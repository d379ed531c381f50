"""Checkout: the summary and card form, placing the order once per form, and the confirmation."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from catalog import client as catalog
from frontend import storefront
from frontend.pages.base import error_page, form_errors, order_page, page, render_page, signed_in
from frontend.pages.forms import CheckoutForm
from kubeshop.errors import Conflict, InvalidRequest, PaymentDeclined
from orders import client as orders


def _checkout_page(
    request: HttpRequest, *, status: int = 200, problem: str = "", detail: str = "", card_error: str = ""
) -> HttpResponse:
    view = storefront.cart_view(request)
    if not view.lines:
        return redirect("shop-cart")
    context = {
        "cart": view,
        "idempotency_key": storefront.new_checkout_key(),  # a fresh key for each rendering of the form
        "problem": problem,
        "detail": detail,  # the service's own words, shown when today's catalog no longer explains it
        "card_error": card_error,
    }
    return render_page(request, "frontend/checkout.html", context, status=status)


@signed_in
@page
def checkout(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _checkout_page(request)
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        if "idempotency_key" in form.errors:
            message = "Reload the checkout page, then try again."
            return error_page(request, 400, "This checkout form is not valid", message)
        return _checkout_page(request, status=400, card_error=form_errors(form))
    try:
        order = orders.place_order(
            user_id=request.user.username,
            card=form.cleaned_data["card"],
            idempotency_key=form.cleaned_data["idempotency_key"],
            email=request.user.email,
        )
    except PaymentDeclined:
        problem = "Your card was declined, so nothing was charged. Your cart is kept: try another card."
        return _checkout_page(request, status=402, problem=problem)
    except catalog.InsufficientStock as exc:
        # The page marks the short line from today's catalog; the numbers the checkout met, should that differ.
        problem = "Some of your cart cannot be bought as it is. Nothing was charged; change the lines marked below."
        detail = f"Only {exc.left} of product {exc.product_id} were left when you checked out ({exc.wanted} wanted)."
        return _checkout_page(request, status=409, problem=problem, detail=detail)
    except catalog.ProductOffSale as exc:
        problem = "Some of your cart cannot be bought as it is. Nothing was charged; change the lines marked below."
        detail = f"Product {exc.product_id} is no longer for sale."
        return _checkout_page(request, status=409, problem=problem, detail=detail)
    except Conflict as exc:
        return _checkout_page(request, status=409, problem=exc.detail)
    except InvalidRequest as exc:
        return _checkout_page(request, status=400, problem=exc.detail)
    return redirect("shop-order-placed", order_id=order.order_id)


@signed_in
@page
@order_page
def order_placed(request: HttpRequest, order_id: str) -> HttpResponse:
    order = orders.get_order(user_id=request.user.username, order_id=order_id)
    return render_page(request, "frontend/order_placed.html", {"order": order})
