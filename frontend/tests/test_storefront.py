"""The storefront's own rules: card numbers, stock in words, which picture a product gets."""

from dataclasses import replace
from decimal import Decimal

import pytest

from catalog.client import ProductInfo
from frontend import storefront

MUG = ProductInfo(1, "Mug", "no-art-mug", "", Decimal("1.00"), 5, None, "", True)


def test_a_card_number_may_be_typed_with_spaces_or_dashes():
    assert storefront.card_number(" 4242 4242-4242 4242 ") == "4242424242424242"
    assert storefront.card_number("") == ""


@pytest.mark.parametrize("typed", ["4242", "4242 abcd 4242 4242", "4" * 20])
def test_a_card_number_that_is_not_12_to_19_digits_is_refused(typed):
    with pytest.raises(storefront.BadCard):
        storefront.card_number(typed)


@pytest.mark.parametrize(("stock", "label"), [(0, "Sold out"), (1, "Only 1 left"), (5, "Only 5 left"), (6, "In stock")])
def test_stock_is_told_in_words(stock, label):
    assert storefront.stock_label(stock) == label


def test_a_product_shows_its_own_picture_else_its_shipped_art_else_the_placeholder():
    assert storefront.image_url(replace(MUG, image_url="https://cdn.example/mug.png")) == "https://cdn.example/mug.png"
    assert storefront.image_url(replace(MUG, slug="cast-iron-skillet-10")).endswith(
        "frontend/products/cast-iron-skillet-10.svg"
    )
    assert storefront.image_url(MUG).endswith("frontend/placeholder.svg")
    assert storefront.image_url(None).endswith("frontend/placeholder.svg")


def test_each_checkout_form_gets_its_own_key():
    assert storefront.new_checkout_key() != storefront.new_checkout_key()
