"""A customer's orders (history, one order, cancelling) and notifications."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from frontend import storefront
from frontend.pages.base import error_page, order_page, page, render_page, signed_in
from kubeshop.errors import Conflict, NotFound
from notifications import client as notifications
from orders import client as orders


@signed_in
@page
def order_list(request: HttpRequest) -> HttpResponse:
    return render_page(request, "frontend/orders.html", {"orders": orders.list_orders(request.user.username)})


@signed_in
@page
@order_page
def order_detail(request: HttpRequest, order_id: str) -> HttpResponse:
    order = orders.get_order(user_id=request.user.username, order_id=order_id)
    context = {"order": order, "can_cancel": storefront.can_cancel(order.status)}
    return render_page(request, "frontend/order.html", context)


@require_POST
@signed_in
@page
@order_page
def cancel_order(request: HttpRequest, order_id: str) -> HttpResponse:
    try:
        order = orders.cancel_order(user_id=request.user.username, order_id=order_id)
    except Conflict as exc:
        messages.error(request, f"This order cannot be cancelled: {exc.detail}")
        return redirect("shop-order", order_id=order_id)
    if order.status == "CANCELLED":
        messages.success(request, "Your order is cancelled; the payment is refunded.")
    else:
        messages.success(request, "Your order is being cancelled; the refund follows shortly.")
    return redirect("shop-order", order_id=order_id)


@signed_in
@page
def notification_list(request: HttpRequest) -> HttpResponse:
    notices = notifications.list_notifications(request.user.username)
    return render_page(request, "frontend/notifications.html", {"notices": notices})


@require_POST
@signed_in
@page
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        notifications.mark_read(user_id=request.user.username, notification_id=notification_id)
    except NotFound:
        return error_page(request, 404, "There is no such notification", "It is not one of yours.")
    return redirect("shop-notifications")
