"""The product's wire shape is written once (catalog.data) and is the one the API's schema declares."""

from decimal import Decimal

import pytest

from catalog import selectors
from catalog.data import product_from_wire, product_to_wire
from catalog.serializers import ProductOut


@pytest.mark.django_db
@pytest.mark.parametrize("price", ["12.50", "9.9", "0.05", "1234567.00"])
def test_product_to_wire_writes_exactly_what_the_schema_serializer_would(make_product, price):
    product = make_product("Ünïcode Mug\u2028", price=price, stock=3, category="kitchen", description="a\nb")
    product.refresh_from_db()
    assert product_to_wire(selectors.product_info(product)) == ProductOut(product).data


@pytest.mark.django_db
def test_a_product_crosses_the_wire_and_back_unchanged(make_product):
    product = make_product("Round Trip", price="7.25")
    product.refresh_from_db()
    info = selectors.product_info(product)
    assert product_from_wire(product_to_wire(info)) == info
    assert product_from_wire(product_to_wire(info)).price == Decimal("7.25")
