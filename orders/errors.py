"""The orders' rules that a caller may meet, one class each; their HTTP status comes from kubeshop.errors."""

from kubeshop.errors import Conflict, InvalidRequest


class CartEmpty(InvalidRequest):
    """A checkout of an empty cart: nothing was done."""

    code = "cart_empty"


class OrderNotCancellable(Conflict):
    """Only a paid order can be cancelled; `status` is where this one stands."""

    code = "order_not_cancellable"
    status: str
