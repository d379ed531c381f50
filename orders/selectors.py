"""Reads of orders, scoped to who asks."""

from uuid import UUID

from django.db.models import QuerySet

from kubeshop.errors import NotFound
from kubeshop.identity import Identity
from kubeshop.wire import from_attributes
from orders.data import OrderInfo, OrderLine
from orders.models import Order


def orders_of(user_id: str) -> QuerySet[Order]:
    """A user's orders, newest first."""
    return Order.objects.filter(user_id=user_id).prefetch_related("items").order_by("-created_at")


def order_for(identity: Identity, order_id: UUID) -> Order:
    """An order its owner, staff or a service may see; NotFound for anyone else (no existence leak)."""
    order = Order.objects.prefetch_related("items").filter(pk=order_id).first()
    if order is None or not (identity.is_staff or identity.may_act_for(order.user_id)):
        raise NotFound(f"Order {order_id} does not exist.")
    return order


def order_info(order: Order) -> OrderInfo:
    """The seam's view of an order (its items prefetched)."""
    items = tuple(from_attributes(OrderLine, item) for item in order.items.all())
    return from_attributes(OrderInfo, order, order_id=str(order.id), items=items)
