"""What crosses the payments' seam: frozen dataclasses (no Django) whose fields are their wire shape; the card rule."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal

from kubeshop.wire import Wire

CARD_NUMBER = r"^[0-9]{12,19}$"  # the provider's rule for a card number: digits only, no spaces
CARD_RULE = "card: must be 12 to 19 digits, without spaces."
DECLINED_CARD = "4000000000000002"  # the provider's test card that is always declined


def is_card_number(card: str) -> bool:
    return bool(re.match(CARD_NUMBER, card))


@dataclass(frozen=True)
class PaymentInfo:
    id: int
    status: Literal["succeeded", "declined", "refunded"]
    amount: Decimal
    order_id: str
    user_id: str
    created_at: datetime | None = field(default=None, compare=False)  # shown, not part of what a payment is


PAYMENT = Wire(PaymentInfo, camel_case=True, renamed={"id": "paymentId"})
