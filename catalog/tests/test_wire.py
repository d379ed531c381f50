"""The product's wire shape is written once (catalog.data) and is the one the API's schema declares."""

from decimal import Decimal

import pytest
from rest_framework import serializers

from catalog import selectors
from catalog.data import PRODUCT
from catalog.models import Product


class ProductSerializer(serializers.ModelSerializer):
    """The product as the API wrote it with DRF: the contract the wire form keeps."""

    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "price",
            "stock",
            "category",
            "image_url",
            "is_active",
            "created_at",
            "updated_at",
        ]


@pytest.mark.django_db
@pytest.mark.parametrize("price", ["12.50", "9.9", "0.05", "1234567.00"])
def test_the_product_wire_writes_exactly_what_drf_wrote(make_product, price):
    product = make_product("Ünïcode Mug\u2028", price=price, stock=3, category="kitchen", description="a\nb")
    product.refresh_from_db()
    assert PRODUCT.to_wire(selectors.product_info(product)) == ProductSerializer(product).data


@pytest.mark.django_db
def test_a_product_crosses_the_wire_and_back_unchanged(make_product):
    product = make_product("Round Trip", price="7.25")
    product.refresh_from_db()
    info = selectors.product_info(product)
    assert PRODUCT.from_wire(PRODUCT.to_wire(info)) == info
    assert PRODUCT.from_wire(PRODUCT.to_wire(info)).price == Decimal("7.25")


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "mug"},
        {"q": "blue mug", "category": "kitchen", "page": "3", "page_size": "20"},
        {"q": "Ünï"},
        {"q": ""},
        {"q": " mug "},
        {"q": "a\tb"},
        {"q": "x" * 200},
        {"q": "x" * 201},
        {"q": "nul\x00"},
        {"category": "c" * 101},
        {"ids": "1,2,3"},
        {"ids": ""},
        {"ids": "0"},
        {"ids": "1,"},
        {"ids": ",".join(["7"] * 200)},
        {"ids": ",".join(["7"] * 201)},
        {"page": "0"},
        {"page": "1000000"},
        {"page": "1000001"},
        {"page": "+2"},
        {"page": "2.0"},
        {"page_size": "500"},
        {"page_size": "0"},
        {"page_size": "01"},
        {"other": "ignored", "page": "2"},
    ],
)
def test_the_plain_filters_read_the_list_parameters_as_the_serializer_does(params):
    from rest_framework.exceptions import ValidationError

    from catalog.views import ProductListView, plain_filters
    from kubeshop.api import parse

    plain = plain_filters(params)
    try:
        parsed = dict(parse(ProductListView.Filters, params))
    except ValidationError:
        assert plain is None  # the serializer's 400 and its message answer it
        return
    assert plain is None or plain == parsed


@pytest.mark.parametrize("params", [{}, {"q": "mug"}, {"category": "kitchen", "page": "2", "page_size": "12"}])
def test_the_usual_list_requests_take_the_plain_path(params):
    from catalog.views import plain_filters

    assert plain_filters(params) is not None
