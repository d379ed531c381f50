"""One declaration per type writes the API's JSON, reads a peer's, and gives the OpenAPI schema."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from rest_framework import serializers

from cart.data import PRICED_CART_LINE, PricedCartLine
from kubeshop.api import response_schema
from kubeshop.wire import Wire, from_attributes
from orders.data import ORDER, OrderInfo, OrderLine
from payments.data import PAYMENT, PaymentInfo

PAID_AT = datetime(2026, 3, 1, 12, 30, 5, 250, tzinfo=UTC)
LINES = (OrderLine(7, "Mug", 2, Decimal("2.5")), OrderLine(8, "Lamp", 1, Decimal("10.00")))
AN_ORDER = OrderInfo("9f0c", "alice", Decimal("15"), "PAID", None, PAID_AT, PAID_AT, LINES)
A_PAYMENT = PaymentInfo(3, "refunded", Decimal("15.00"), "9f0c", "alice", PAID_AT)


class OrderItemOut(serializers.Serializer):
    """The DRF serializers the views answered with before: the wire they wrote must not change."""

    productId = serializers.IntegerField(source="product_id")
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    price = serializers.DecimalField(max_digits=10, decimal_places=2)


class OrderOut(serializers.Serializer):
    orderId = serializers.CharField(source="order_id")
    userId = serializers.CharField(source="user_id")
    totalAmount = serializers.DecimalField(source="total_amount", max_digits=12, decimal_places=2)
    status = serializers.CharField()
    paymentId = serializers.IntegerField(source="payment_id", allow_null=True)
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")
    items = OrderItemOut(many=True)


def test_an_order_is_written_as_drf_wrote_it_in_the_same_order():
    assert ORDER.to_wire(AN_ORDER) == OrderOut(AN_ORDER).data
    assert list(ORDER.to_wire(AN_ORDER)) == list(OrderOut(AN_ORDER).data)
    assert ORDER.to_wire(AN_ORDER)["items"][0] == {"productId": 7, "name": "Mug", "quantity": 2, "price": "2.50"}


def test_a_name_is_renamed_only_where_declared_and_snake_case_stays_as_it_is():
    assert PAYMENT.to_wire(A_PAYMENT) == {
        "paymentId": 3,
        "status": "refunded",
        "amount": "15.00",
        "orderId": "9f0c",
        "userId": "alice",
        "createdAt": "2026-03-01T12:30:05.000250Z",
    }
    line = PricedCartLine(7, 2, None, None, None)
    assert PRICED_CART_LINE.to_wire(line)["line_total"] is None
    assert list(PRICED_CART_LINE.to_wire(line))[:3] == ["product_id", "quantity", "name"]


def test_a_time_in_another_zone_is_written_in_utc_with_a_z():
    paris = PaymentInfo(3, "succeeded", Decimal(1), "o", "u", PAID_AT.astimezone(timezone(timedelta(hours=1))))
    assert PAYMENT.to_wire(paris)["createdAt"] == "2026-03-01T12:30:05.000250Z"


def test_reading_the_wire_gives_back_the_dataclass():
    back = ORDER.from_wire(ORDER.to_wire(AN_ORDER))
    assert back == AN_ORDER
    assert type(back.items) is tuple and type(back.items[0].price) is Decimal and back.created_at == PAID_AT


def test_a_missing_key_reads_as_its_default_and_only_then():
    fields = PAYMENT.to_wire(A_PAYMENT)
    del fields["createdAt"]
    assert PAYMENT.from_wire(fields).created_at is None
    del fields["amount"]
    with pytest.raises(KeyError, match="amount"):
        PAYMENT.from_wire(fields)


def test_an_annotation_without_a_wire_form_is_refused_when_declared():
    @dataclass(frozen=True)
    class Odd:
        when: timedelta

    with pytest.raises(TypeError, match=r"Odd\.when"):
        Wire(Odd)


def test_the_schema_has_the_wire_names_types_and_nulls():
    schema = response_schema(PAYMENT)()
    assert type(schema).__name__ == "PaymentInfo"
    assert list(schema.fields) == list(PAYMENT.to_wire(A_PAYMENT))
    assert set(schema.fields["status"].choices) == {"succeeded", "declined", "refunded"}
    assert schema.fields["createdAt"].allow_null and not schema.fields["amount"].allow_null
    assert type(response_schema(ORDER)().fields["items"].child).__name__ == "OrderLine"


def test_a_dataclass_is_built_from_the_attributes_of_the_same_names_but_for_those_given():
    class Row:  # a model row: more attributes than the seam shows
        product_id, name, quantity, price, secret = 7, "Mug", 2, Decimal("2.50"), "not shown"

    assert from_attributes(OrderLine, Row()) == OrderLine(7, "Mug", 2, Decimal("2.50"))
    assert from_attributes(OrderLine, Row(), quantity=3).quantity == 3
