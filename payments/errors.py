"""The payment provider's rules that a caller may meet, one class each; statuses come from kubeshop.errors."""

from kubeshop.errors import Conflict, PaymentDeclined


class CardDeclined(PaymentDeclined):
    """The card was declined: nothing was charged."""

    code = "card_declined"


class OrderVoided(Conflict):
    """The order's payments were voided; a late charge of it is refused."""

    code = "order_voided"
    order_id: str


class NotRefundable(Conflict):
    """A declined payment has nothing to refund."""

    code = "not_refundable"
    payment_id: int
