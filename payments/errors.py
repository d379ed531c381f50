"""The payment provider's rules that a caller may meet, one class each; statuses come from kubeshop.errors."""

from kubeshop.errors import Conflict, PaymentDeclined


class CardDeclined(PaymentDeclined, code="card_declined"):
    """The card was declined: nothing was charged."""


class OrderVoided(Conflict, code="order_voided"):
    """The order's payments were voided; a late charge of it is refused."""

    order_id: str


class NotRefundable(Conflict, code="not_refundable"):
    """A declined payment has nothing to refund."""

    payment_id: int
