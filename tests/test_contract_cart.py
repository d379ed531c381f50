"""cart.client gives the same results in-process and over HTTP."""

import uuid

import pytest

from cart import client as cart

pytestmark = pytest.mark.django_db  # the in-process half uses the test database


def test_an_unknown_user_has_an_empty_cart(api):
    assert cart.get_cart(f"nobody-{uuid.uuid4().hex[:8]}") == []


def test_get_cart_returns_lines_oldest_first(api):
    user = f"u{uuid.uuid4().hex[:8]}"
    a, b = api.make_product("Cart A"), api.make_product("Cart B")
    api.add_to_cart(user, a, 2)
    api.add_to_cart(user, b, 1)
    api.add_to_cart(user, a, 1)
    assert cart.get_cart(user) == [cart.CartLine(a, 3), cart.CartLine(b, 1)]


def test_clear_cart_empties_all_or_only_the_given_lines(api):
    user = f"u{uuid.uuid4().hex[:8]}"
    a, b = api.make_product("Clear A"), api.make_product("Clear B")
    api.add_to_cart(user, a)
    api.add_to_cart(user, b)
    cart.clear_cart(user, product_ids=[a])
    assert cart.get_cart(user) == [cart.CartLine(b, 1)]
    cart.clear_cart(user)
    assert cart.get_cart(user) == []
