"""One declaration per type writes the API's JSON, reads a peer's, and gives the OpenAPI schema."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Literal

import pytest
from rest_framework import serializers

from kubeshop.api import response_schema
from kubeshop.wire import Wire


@dataclass(frozen=True)
class Line:
    product_id: int
    price: Decimal


@dataclass(frozen=True)
class Parcel:
    parcel_id: str
    state: Literal["packed", "sent"]
    weight: Decimal | None
    sent_at: datetime
    lines: tuple[Line, ...]
    fragile: bool = False
    note: str | None = field(default=None, compare=False)


LINE = Wire(Line, productId="product_id", price="price")
PARCEL = Wire(
    Parcel, parcelId="parcel_id", state="state", weight="weight", sentAt="sent_at", lines=LINE, fragile="fragile"
)
SENT = datetime(2026, 3, 1, 12, 30, 5, 250, tzinfo=UTC)
PARCEL_VALUE = Parcel("p-1", "sent", None, SENT, (Line(7, Decimal("2.5")), Line(8, Decimal("10.00"))), True)


class DrfParcelLine(serializers.Serializer):
    productId = serializers.IntegerField(source="product_id")
    price = serializers.DecimalField(max_digits=12, decimal_places=2)


class DrfParcel(serializers.Serializer):
    """What a hand-written DRF output serializer answers for the same object: the wire must not change."""

    parcelId = serializers.CharField(source="parcel_id")
    state = serializers.CharField()
    weight = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    sentAt = serializers.DateTimeField(source="sent_at")
    lines = DrfParcelLine(many=True)
    fragile = serializers.BooleanField()


def test_the_wire_is_what_drf_writes_in_the_declared_order():
    assert PARCEL.to_wire(PARCEL_VALUE) == DrfParcel(PARCEL_VALUE).data
    assert list(PARCEL.to_wire(PARCEL_VALUE)) == ["parcelId", "state", "weight", "sentAt", "lines", "fragile"]
    assert PARCEL.to_wire(PARCEL_VALUE)["lines"][0] == {"productId": 7, "price": "2.50"}


def test_a_time_in_another_zone_is_written_in_utc_with_a_z():
    paris = SENT.astimezone(timezone(timedelta(hours=1)))
    assert PARCEL.to_wire(Parcel("p", "packed", Decimal(1), paris, ()))["sentAt"] == "2026-03-01T12:30:05.000250Z"


def test_reading_the_wire_gives_back_the_dataclass():
    back = PARCEL.from_wire(PARCEL.to_wire(PARCEL_VALUE))
    assert back == Parcel("p-1", "sent", None, SENT, (Line(7, Decimal("2.50")), Line(8, Decimal("10.00"))), True)
    assert type(back.lines) is tuple and type(back.lines[0].price) is Decimal


def test_a_missing_key_reads_as_its_default_and_only_then():
    fields = PARCEL.to_wire(PARCEL_VALUE)
    del fields["fragile"]
    assert PARCEL.from_wire(fields).fragile is False
    del fields["sentAt"]
    with pytest.raises(KeyError, match="sentAt"):
        PARCEL.from_wire(fields)


def test_an_annotation_without_a_wire_form_is_refused_when_declared():
    @dataclass(frozen=True)
    class Odd:
        when: timedelta

    with pytest.raises(TypeError, match=r"Odd\.when"):
        Wire(Odd, when="when")


def test_the_schema_has_the_wire_names_types_and_nulls():
    schema = response_schema(PARCEL)()
    assert schema.__class__.__name__ == "Parcel"
    assert list(schema.fields) == list(PARCEL.to_wire(PARCEL_VALUE))
    assert schema.fields["state"].choices == {"packed": "packed", "sent": "sent"}
    assert schema.fields["weight"].allow_null and not schema.fields["sentAt"].allow_null
    assert type(schema.fields["lines"].child).__name__ == "Line"
