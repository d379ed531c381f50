"""What crosses the payments' seam: plain frozen dataclasses (no Django), their wire mapper, the card rule."""

import re
from dataclasses import dataclass
from decimal import Decimal

CARD_NUMBER = r"^[0-9]{12,19}$"  # the provider's rule for a card number: digits only, no spaces
CARD_RULE = "card: must be 12 to 19 digits, without spaces."
DECLINED_CARD = "4000000000000002"  # the provider's test card that is always declined


def is_card_number(card: str) -> bool:
    return bool(re.match(CARD_NUMBER, card))


@dataclass(frozen=True)
class PaymentInfo:
    id: int
    order_id: str
    user_id: str
    amount: Decimal
    status: str  # "succeeded", "declined" or "refunded"


def payment_from_wire(fields: dict) -> PaymentInfo:
    """A payment as the API writes it (PaymentOut) -> PaymentInfo."""
    return PaymentInfo(
        id=fields["paymentId"],
        order_id=fields["orderId"],
        user_id=fields["userId"],
        amount=Decimal(fields["amount"]),
        status=fields["status"],
    )
