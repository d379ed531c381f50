"""The kinds of follow-up work the orders outbox carries, each with the payload it needs.

A payload is checked when the event is recorded, inside the transaction that changes the order, so
a missing or mistyped field fails that change at once instead of surfacing at delivery. Stored
payloads keep their wire (camelCase) keys; reading one ignores keys an older version wrote.
"""

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar


class EventKind(StrEnum):
    STOCK_COMMIT = "stock.commit"
    STOCK_RELEASE = "stock.release"
    CART_CLEAR = "cart.clear"
    PAYMENT_VOID = "payment.void"
    PAYMENT_REFUND = "payment.refund"
    ORDER_PAID = "order.paid"
    ORDER_MAIL = "order.mail"
    ORDER_CANCELLED = "order.cancelled"


@dataclass(frozen=True)
class Payload:
    """Base of every payload: (de)serialised to the stored JSON under wire names."""

    WIRE: ClassVar[dict[str, str]] = {}  # field name -> stored key

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            kind = f.type if isinstance(f.type, type) else None
            if value is None or (kind is not None and not isinstance(value, kind)):
                raise TypeError(f"{type(self).__name__}.{f.name} must be {f.type}, not {value!r}")

    def stored(self) -> dict[str, Any]:
        return {self.WIRE.get(f.name, f.name): getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> "Payload":
        return cls(**{f.name: data.get(cls.WIRE.get(f.name, f.name)) for f in fields(cls)})

    @classmethod
    def from_wire_fields(cls, data: dict[str, Any]) -> "Payload":
        """Strict: every stored key of this payload and no other."""
        known = {cls.WIRE.get(f.name, f.name) for f in fields(cls)}
        if set(data) != known:
            raise TypeError(f"{cls.__name__} takes exactly {sorted(known)}, not {sorted(data)}")
        return cls.from_stored(data)


@dataclass(frozen=True)
class NoPayload(Payload):
    """The order id the event carries says it all."""


@dataclass(frozen=True)
class CartClear(Payload):
    WIRE: ClassVar[dict[str, str]] = {"user_id": "userId", "product_ids": "productIds"}
    user_id: str
    product_ids: list

    def __post_init__(self) -> None:
        super().__post_init__()
        if not all(isinstance(p, int) for p in self.product_ids):
            raise TypeError(f"CartClear.product_ids must be product ids, not {self.product_ids!r}")


@dataclass(frozen=True)
class PaymentRefund(Payload):
    WIRE: ClassVar[dict[str, str]] = {"payment_id": "paymentId"}
    payment_id: int


@dataclass(frozen=True)
class Notice(Payload):
    WIRE: ClassVar[dict[str, str]] = {"user_id": "userId"}
    user_id: str
    message: str


@dataclass(frozen=True)
class Mail(Payload):
    email: str


PAYLOADS: dict[EventKind, type[Payload]] = {
    EventKind.STOCK_COMMIT: NoPayload,
    EventKind.STOCK_RELEASE: NoPayload,
    EventKind.CART_CLEAR: CartClear,
    EventKind.PAYMENT_VOID: NoPayload,
    EventKind.PAYMENT_REFUND: PaymentRefund,
    EventKind.ORDER_PAID: Notice,
    EventKind.ORDER_MAIL: Mail,
    EventKind.ORDER_CANCELLED: Notice,
}


def checked(kind: str, payload: Payload | None, wire_fields: dict[str, Any]) -> tuple[EventKind, Payload]:
    """The kind and its payload, or ValueError/TypeError naming what is wrong with them."""
    try:
        kind = EventKind(kind)
    except ValueError:
        raise ValueError(f"no handler for outbox event {kind!r}") from None
    expected = PAYLOADS[kind]
    if payload is None:
        payload = expected.from_wire_fields(wire_fields)
    elif wire_fields:
        raise TypeError("give a payload or its fields, not both")
    if type(payload) is not expected:
        raise TypeError(f"a {kind} event carries {expected.__name__}, not {type(payload).__name__}")
    return kind, payload
