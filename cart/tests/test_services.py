"""The cart's rules: quantities add up within MAX_QUANTITY, only products on sale, lines once each."""

from decimal import Decimal

import pytest

from cart import selectors, services
from cart.data import MAX_QUANTITY, CartLine, PricedCartLine
from cart.models import CartItem
from kubeshop.errors import InvalidRequest, NotFound

pytestmark = pytest.mark.django_db


def lines(user_id: str) -> list[CartLine]:
    return selectors.cart_lines(user_id)


def test_adding_a_product_twice_adds_to_its_one_line(make_product):
    mug = make_product()
    services.add_item(user_id="alice", product_id=mug.id, quantity=2)
    services.add_item(user_id="alice", product_id=mug.id, quantity=3)
    assert lines("alice") == [CartLine(mug.id, 5)]


def test_adding_past_the_cap_is_refused_and_the_line_keeps_its_quantity(make_product):
    mug = make_product()
    services.add_item(user_id="alice", product_id=mug.id, quantity=MAX_QUANTITY - 1)
    with pytest.raises(InvalidRequest, match=f"at most {MAX_QUANTITY}"):
        services.add_item(user_id="alice", product_id=mug.id, quantity=2)
    assert lines("alice") == [CartLine(mug.id, MAX_QUANTITY - 1)]


def test_a_product_off_sale_cannot_be_added(make_product):
    gone = make_product(is_active=False)
    with pytest.raises(NotFound):
        services.add_item(user_id="alice", product_id=gone.id, quantity=1)
    assert not CartItem.objects.exists()


def test_setting_a_quantity_replaces_it_and_zero_removes_the_line(make_product):
    mug = make_product()
    services.add_item(user_id="alice", product_id=mug.id, quantity=4)
    services.set_quantity(user_id="alice", product_id=mug.id, quantity=1)
    assert lines("alice") == [CartLine(mug.id, 1)]
    assert services.set_quantity(user_id="alice", product_id=mug.id, quantity=0) is None
    assert lines("alice") == []


def test_removing_a_line_not_in_the_cart_is_not_found():
    with pytest.raises(NotFound):
        services.remove_item(user_id="alice", product_id=1)


def test_clearing_some_products_keeps_the_other_lines_and_other_users_carts(make_product):
    mug, lamp = make_product("Mug"), make_product("Lamp")
    for user in ("alice", "bob"):
        services.add_item(user_id=user, product_id=mug.id, quantity=1)
        services.add_item(user_id=user, product_id=lamp.id, quantity=1)
    services.clear_cart(user_id="alice", product_ids=[mug.id])
    assert lines("alice") == [CartLine(lamp.id, 1)]
    assert len(lines("bob")) == 2


def test_merging_a_guest_cart_adds_up_to_the_cap_and_drops_products_off_sale(make_product):
    kept, new, gone = make_product("Kept"), make_product("New"), make_product("Gone", is_active=False)
    services.add_item(user_id="alice", product_id=kept.id, quantity=90)
    services.merge_carts(
        user_id="alice", lines=[CartLine(kept.id, 20), CartLine(new.id, 1), CartLine(new.id, 1), CartLine(gone.id, 3)]
    )
    assert lines("alice") == [CartLine(kept.id, MAX_QUANTITY), CartLine(new.id, 2)]


def test_the_priced_cart_prices_lines_from_todays_catalog_and_blanks_those_off_sale(make_product):
    mug, lamp = make_product("Mug", price="2.50"), make_product("Lamp")
    services.add_item(user_id="alice", product_id=mug.id, quantity=3)
    services.add_item(user_id="alice", product_id=lamp.id, quantity=1)
    lamp.is_active = False
    lamp.save()
    assert selectors.priced_cart("alice") == [
        PricedCartLine(mug.id, 3, "Mug", Decimal("2.50"), Decimal("7.50")),
        PricedCartLine(lamp.id, 1, None, None, None),
    ]
