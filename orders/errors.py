"""The orders' rules that a caller may meet, one class each; their HTTP status comes from kubeshop.errors."""

from kubeshop.errors import Conflict, InvalidRequest


class CartEmpty(InvalidRequest, code="cart_empty"):
    """A checkout of an empty cart: nothing was done."""


class OrderNotCancellable(Conflict, code="order_not_cancellable"):
    """Only a paid order can be cancelled; `status` is where this one stands."""

    status: str
