"""catalog.client gives the same results and raises the same errors in-process and over HTTP."""

import uuid
from decimal import Decimal

import pytest

from catalog import client as catalog
from kubeshop.errors import Conflict, NotFound

pytestmark = pytest.mark.django_db  # the in-process half uses the test database


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:8]}"


def test_get_product_returns_the_product_on_sale(api):
    name = unique("Contract Mug")
    product_id = api.make_product(name, price="12.50", stock=4)
    info = catalog.get_product(product_id)
    assert (info.id, info.name, info.price, info.stock, info.is_active) == (product_id, name, Decimal("12.50"), 4, True)


def test_get_product_of_an_unknown_id_raises_not_found(api):
    with pytest.raises(NotFound):
        catalog.get_product(987654321)


def test_get_products_returns_only_those_on_sale(api):
    ids = [api.make_product(unique("Bulk")) for _ in range(3)]
    found = catalog.get_products([*ids, 987654321])
    assert sorted(found) == sorted(ids)
    assert all(found[i].id == i for i in ids)
    assert catalog.get_products([]) == {}


def test_list_products_searches(api):
    name = unique("Searchable Zebra")
    api.make_product(name)
    assert [p.name for p in catalog.list_products(q=name)] == [name]


def test_reserve_takes_stock_for_all_lines_and_is_idempotent_per_order(api):
    a, b = api.make_product(unique("A"), stock=5), api.make_product(unique("B"), stock=5)
    order_id = uuid.uuid4().hex
    lines = [catalog.StockLine(a, 2), catalog.StockLine(b, 3)]
    catalog.reserve_stock(order_id=order_id, lines=lines)
    catalog.reserve_stock(order_id=order_id, lines=lines)
    assert (api.stock_of(a), api.stock_of(b)) == (3, 2)
    catalog.commit_stock(order_id=order_id)
    catalog.release_stock(order_id=order_id)
    catalog.release_stock(order_id=order_id)
    assert (api.stock_of(a), api.stock_of(b)) == (5, 5)


def test_reserve_takes_nothing_when_one_line_is_short_and_names_it(api):
    plenty, scarce = api.make_product(unique("Plenty"), stock=9), api.make_product(unique("Scarce Lamp"), stock=1)
    with pytest.raises(Conflict, match="Scarce Lamp"):
        catalog.reserve_stock(
            order_id=uuid.uuid4().hex, lines=[catalog.StockLine(plenty, 1), catalog.StockLine(scarce, 2)]
        )
    assert (api.stock_of(plenty), api.stock_of(scarce)) == (9, 1)


def test_reserve_of_an_unknown_product_is_a_conflict(api):
    with pytest.raises(Conflict, match="987654321"):
        catalog.reserve_stock(order_id=uuid.uuid4().hex, lines=[catalog.StockLine(987654321, 1)])


def test_a_short_line_raises_insufficient_stock_with_the_product_and_the_numbers(api):
    scarce = api.make_product(unique("Counted Lamp"), stock=1)
    with pytest.raises(catalog.InsufficientStock) as raised:
        catalog.reserve_stock(order_id=uuid.uuid4().hex, lines=[catalog.StockLine(scarce, 3)])
    assert (raised.value.product_id, raised.value.wanted, raised.value.left) == (scarce, 3, 1)


def test_a_product_off_sale_raises_product_off_sale_naming_it(api):
    with pytest.raises(catalog.ProductOffSale) as raised:
        catalog.reserve_stock(order_id=uuid.uuid4().hex, lines=[catalog.StockLine(987654321, 1)])
    assert raised.value.product_id == 987654321


def test_a_reservation_of_an_order_that_gave_its_stock_back_raises_stock_released(api):
    order_id = uuid.uuid4().hex
    catalog.release_stock(order_id=order_id)
    with pytest.raises(catalog.StockReleased) as raised:
        catalog.reserve_stock(order_id=order_id, lines=[catalog.StockLine(api.make_product(unique("Late")), 1)])
    assert raised.value.order_id == order_id
