"""kubeshop.integrity tells the unique rule an IntegrityError broke from any other, on SQLite and PostgreSQL."""

import pytest
from django.db import IntegrityError, transaction

from cart.models import CartItem
from catalog.models import Product
from kubeshop.integrity import breaks_unique

pytestmark = pytest.mark.django_db


def integrity_error(create) -> IntegrityError:
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        create()
    return raised.value


def test_a_duplicate_line_breaks_the_named_unique_rule_and_no_other():
    CartItem.objects.create(user_id="alice", product_id=1, quantity=1)
    duplicate = integrity_error(lambda: CartItem.objects.create(user_id="alice", product_id=1, quantity=2))
    assert breaks_unique(duplicate, CartItem, "one_cart_line_per_product")
    assert not breaks_unique(duplicate, Product, "slug")


def test_a_check_constraint_is_not_taken_for_the_unique_race():
    refused = integrity_error(lambda: CartItem.objects.create(user_id="alice", product_id=1, quantity=0))
    assert not breaks_unique(refused, CartItem, "one_cart_line_per_product")


def test_a_taken_slug_breaks_the_unique_field(make_product):
    make_product("Mug", slug="mug")
    taken = integrity_error(lambda: make_product("Mug", slug="mug"))
    assert breaks_unique(taken, Product, "slug")


def test_a_rule_the_model_does_not_have_is_a_programming_error():
    with pytest.raises(ValueError, match="no unique rule"):
        breaks_unique(IntegrityError("x"), CartItem, "quantity")
