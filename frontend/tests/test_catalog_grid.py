"""The catalog page renders its product grid once per content and query, and still gives every visitor
their own CSRF field and return path, and never an outdated grid."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def add_to_cart_form(page: str, product_id: int) -> dict[str, str]:
    card = page[page.index(f'data-product-id="{product_id}"') :]
    form = card[: card.index("</form>")]
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))


def test_every_visitor_gets_their_own_csrf_field_and_return_path_from_one_rendered_grid(make_product):
    mug = make_product("Grid Mug", price="3.00")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_form = add_to_cart_form(first.get("/?q=grid").content.decode(), mug.id)
    second_form = add_to_cart_form(second.get("/?q=grid&page=1").content.decode(), mug.id)
    assert first_form["next"] == "/?q=grid"
    assert second_form["next"] == "/?q=grid&amp;page=1"  # escaped in the attribute, as the template escapes it
    assert first_form["csrfmiddlewaretoken"] != second_form["csrfmiddlewaretoken"]
    for visitor, form in ((first, first_form), (second, second_form)):
        added = visitor.post("/cart/add", {**form, "next": "/"})
        assert added.status_code == 302, added.content.decode()
    assert second.post("/cart/add", first_form).status_code == 403  # another visitor's token opens nothing


def test_a_changed_product_is_never_shown_from_an_earlier_grid(make_product, staff):
    mug = make_product("Grid Kettle", price="3.00", stock=10)
    assert "$3.00" in Client().get("/?q=kettle").content.decode()
    changed = staff.patch(f"/api/products/{mug.pk}", {"price": "4.50", "stock": 2, "expectedStock": 10}, format="json")
    assert changed.status_code == 200
    page = Client().get("/?q=kettle").content.decode()
    assert "$4.50" in page and "$3.00" not in page
    assert "Only 2 left" in page


def test_a_visitor_with_a_session_gets_their_own_header_not_the_first_visit_page(make_product):
    mug = make_product("Header Mug", price="3.00")
    visitor = Client()
    first = visitor.get("/").content.decode()
    assert 'data-testid="cart-count"><span class="visually-hidden">(</span>0<' in first
    assert first.count('name="csrfmiddlewaretoken"') >= 1
    visitor.post("/cart/add", {"product_id": mug.id, "quantity": 2, "next": "/"})
    again = visitor.get("/").content.decode()
    assert 'data-testid="cart-count"><span class="visually-hidden">(</span>2<' in again
    assert "Header Mug" in again
    assert 'data-testid="cart-count"><span class="visually-hidden">(</span>0<' in Client().get("/").content.decode()
