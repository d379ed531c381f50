"""Staff manage products in the Django admin; a stale stock figure never overwrites sales."""

import pytest

from catalog.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_browser(client, admin_user):
    client.force_login(admin_user)
    return client


def list_save(browser, product, *, price: str, stock: int, seen: int):
    form = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(product.id),
        "form-0-price": price,
        "form-0-stock": str(stock),
        "form-0-stock_seen": str(seen),
        "_save": "Save",
    }
    return browser.post("/admin/catalog/product/", form, follow=True)


def test_the_admin_is_for_staff_only(client, make_product):
    make_product("Blue Mug")
    assert client.get("/admin/catalog/product/").status_code == 302  # to the login page


def test_staff_search_and_filter_the_product_list(staff_browser, make_product):
    make_product("Blue Mug", category="kitchen")
    tent = make_product("Red Tent", category="outdoors")
    page = staff_browser.get("/admin/catalog/product/?q=mug").content.decode()
    assert "Blue Mug" in page and "Red Tent" not in page
    page = staff_browser.get(f"/admin/catalog/product/?category__id__exact={tent.category_id}").content.decode()
    assert "Red Tent" in page and "Blue Mug" not in page


def test_staff_set_stock_and_price_from_the_list(staff_browser, make_product):
    product = make_product("Blue Mug", stock=10, price="12.50")
    assert 'name="form-0-stock_seen" value="10"' in staff_browser.get("/admin/catalog/product/").content.decode()
    list_save(staff_browser, product, price="13.00", stock=42, seen=10)
    product.refresh_from_db()
    assert (product.stock, str(product.price)) == (42, "13.00")


def test_a_price_change_keeps_the_sales_made_since_the_page_was_opened(staff_browser, make_product):
    product = make_product("Blue Mug", stock=10, price="12.50")
    Product.objects.filter(pk=product.pk).update(stock=7)  # three sold while staff looked at the list
    list_save(staff_browser, product, price="13.00", stock=10, seen=10)
    product.refresh_from_db()
    assert (product.stock, str(product.price)) == (7, "13.00")


def test_a_stock_count_made_before_sales_is_refused(staff_browser, make_product):
    product = make_product("Blue Mug", stock=10)
    Product.objects.filter(pk=product.pk).update(stock=7)
    page = list_save(staff_browser, product, price="12.50", stock=42, seen=10).content.decode()
    assert "Sales changed the stock to 7" in page
    assert Product.objects.get(pk=product.pk).stock == 7


def test_a_stock_change_posted_without_the_stock_seen_is_refused(staff_browser, make_product):
    product = make_product("Blue Mug", stock=10, price="12.50")
    form = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(product.id),
        "form-0-price": "13.00",
        "form-0-stock": "42",
        "_save": "Save",
    }
    page = staff_browser.post("/admin/catalog/product/", form, follow=True).content.decode()
    assert "a new stock needs the stock it was counted on" in page
    product.refresh_from_db()
    assert (product.stock, str(product.price)) == (10, "12.50")


def test_the_change_form_prepopulates_the_slug_and_edits_stock(staff_browser, make_product):
    product = make_product("Blue Mug", stock=3)
    page = staff_browser.get(f"/admin/catalog/product/{product.id}/change/").content.decode()
    assert "prepopulated" in page and 'name="stock_seen" value="3"' in page
