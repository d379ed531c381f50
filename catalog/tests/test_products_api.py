from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Product

pytestmark = pytest.mark.django_db

VALID = {"name": "Green Tea", "description": "Sencha", "price": "9.90", "stock": 5}


def test_anyone_lists_active_products_as_an_array_with_prices_as_strings(anonymous, make_product):
    make_product("Blue Mug", price="12.50")
    make_product("Hidden", is_active=False)
    response = anonymous.get("/api/products")
    assert response.status_code == 200
    assert [p["name"] for p in response.json()] == ["Blue Mug"]
    assert response.json()[0]["price"] == "12.50"
    assert response["X-Total-Count"] == "1"


def test_search_matches_name_and_description(anonymous, make_product):
    make_product("Espresso Cup", description="porcelain")
    make_product("Teapot", description="For espresso lovers who changed their mind")
    make_product("Bread Knife")
    names = [p["name"] for p in anonymous.get("/api/products?q=ESPRESSO").json()]
    assert names == ["Espresso Cup", "Teapot"]


def test_category_filter_takes_a_slug(anonymous, make_product):
    make_product("Tent", category="outdoors")
    make_product("Kettle", category="kitchen")
    assert [p["name"] for p in anonymous.get("/api/products?category=outdoors").json()] == ["Tent"]
    assert anonymous.get("/api/products?category=nowhere").json() == []


def test_pagination_sets_total_and_link_headers(anonymous, make_product):
    for i in range(5):
        make_product(f"Item {i}")
    first = anonymous.get("/api/products?page_size=2")
    assert [p["name"] for p in first.json()] == ["Item 0", "Item 1"]
    assert first["X-Total-Count"] == "5"
    assert first["Link"] == '<http://testserver/api/products?page=2&page_size=2>; rel="next"'
    middle = anonymous.get("/api/products?page_size=2&page=2")
    assert middle["Link"] == (
        '<http://testserver/api/products?page=3&page_size=2>; rel="next", '
        '<http://testserver/api/products?page=1&page_size=2>; rel="prev"'
    )
    last = anonymous.get("/api/products?page_size=2&page=3")
    assert [p["name"] for p in last.json()] == ["Item 4"]
    assert "next" not in last["Link"]
    assert anonymous.get("/api/products?page=9").json() == []


def test_page_size_defaults_to_50_and_is_capped_at_200(anonymous, make_product):
    Product.objects.bulk_create(
        Product(name=f"P{i:03}", slug=f"p{i}", price=Decimal("1.00"), stock=1) for i in range(210)
    )
    assert len(anonymous.get("/api/products").json()) == 50
    assert len(anonymous.get("/api/products?page_size=1000").json()) == 200


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=-1", "page_size=0", "page_size=x", "page=1.5"])
def test_bad_paging_is_a_400_with_a_message(anonymous, query):
    response = anonymous.get(f"/api/products?{query}")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("page")


def test_product_detail_and_unknown_or_non_numeric_ids(anonymous, make_product):
    product = make_product("Blue Mug")
    assert anonymous.get(f"/api/products/{product.id}").json()["name"] == "Blue Mug"
    for bad in ["999999", "abc", "0", "-1", "1.5", "99999999999999999999999999"]:
        response = anonymous.get(f"/api/products/{bad}")
        assert response.status_code == 404, bad
        assert response.json() == {"detail": response.json()["detail"]}


def test_withdrawn_products_are_hidden_from_customers_but_not_staff(anonymous, staff, make_product):
    product = make_product("Old Mug", is_active=False)
    assert anonymous.get(f"/api/products/{product.id}").status_code == 404
    assert staff.get(f"/api/products/{product.id}").status_code == 200


def test_categories_are_listed_for_anyone(anonymous, make_product):
    make_product("Tent", category="outdoors")
    assert [(c["name"], c["slug"]) for c in anonymous.get("/api/categories").json()] == [("Outdoors", "outdoors")]


def test_staff_creates_a_product_with_the_original_fields(staff):
    response = staff.post("/api/products", VALID, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == Product.objects.get().id
    assert (body["name"], body["price"], body["stock"], body["slug"]) == ("Green Tea", "9.90", 5, "green-tea")


def test_products_with_the_same_name_get_distinct_slugs(staff):
    slugs = [staff.post("/api/products", VALID, format="json").json()["slug"] for _ in range(3)]
    assert slugs == ["green-tea", "green-tea-2", "green-tea-3"]


def test_staff_creates_a_product_in_a_category(staff, make_product):
    make_product("Tent", category="outdoors")
    response = staff.post("/api/products", {**VALID, "category": "outdoors"}, format="json")
    assert response.json()["category"] == "outdoors"


def test_staff_updates_and_withdraws_a_product(staff, anonymous, make_product):
    product = make_product("Blue Mug", price="12.50", stock=3)
    patched = staff.patch(f"/api/products/{product.id}", {"stock": 7, "expectedStock": 3}, format="json")
    assert (patched.status_code, patched.json()["stock"], patched.json()["price"]) == (200, 7, "12.50")
    put = staff.put(f"/api/products/{product.id}", {"name": "Red Mug", "price": "14.00"}, format="json")
    assert (put.json()["name"], put.json()["slug"], put.json()["price"]) == ("Red Mug", "red-mug", "14.00")
    assert staff.delete(f"/api/products/{product.id}").status_code == 204
    assert anonymous.get("/api/products").json() == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**VALID, "price": "-1.00"}, "price"),
        ({**VALID, "price": "0"}, "price"),
        ({**VALID, "price": "abc"}, "price"),
        ({**VALID, "price": "1.234"}, "price"),
        ({**VALID, "price": "123456789012"}, "price"),
        ({**VALID, "price": None}, "price"),
        ({**VALID, "stock": -1}, "stock"),
        ({**VALID, "stock": "many"}, "stock"),
        ({**VALID, "stock": 10**30}, "stock"),
        ({**VALID, "name": ""}, "name"),
        ({**VALID, "name": "   "}, "name"),
        ({**VALID, "name": ["x"]}, "name"),
        ({**VALID, "name": "x" * 201}, "name"),
        ({**VALID, "category": "no-such-category"}, "category"),
        ({**VALID, "image_url": "not a url"}, "image_url"),
        ({"description": "no name or price"}, "name"),
    ],
)
def test_bad_product_input_is_a_400_naming_the_field_and_changes_nothing(staff, payload, field):
    response = staff.post("/api/products", payload, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{field}:")
    assert not Product.objects.exists()


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', "null", '{"price": NaN}'])
def test_malformed_json_is_a_400(staff, body):
    response = staff.generic("POST", "/api/products", body, content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Product.objects.exists()


def test_bad_update_changes_nothing(staff, make_product):
    product = make_product("Blue Mug", price="12.50", stock=3)
    assert staff.patch(f"/api/products/{product.id}", {"stock": -5}, format="json").status_code == 400
    assert staff.patch(f"/api/products/{product.id}", {"price": "x"}, format="json").status_code == 400
    product.refresh_from_db()
    assert (product.stock, product.price) == (3, Decimal("12.50"))


def test_a_stock_change_without_the_stock_seen_is_a_400_and_changes_nothing(staff, make_product):
    product = make_product("Blue Mug", price="12.50", stock=3)
    for method in ("patch", "put"):
        response = getattr(staff, method)(f"/api/products/{product.id}", {**VALID, "stock": 9}, format="json")
        assert response.status_code == 400
        assert response.json()["detail"].startswith("expectedStock:")
    product.refresh_from_db()
    assert (product.name, product.stock, product.price) == ("Blue Mug", 3, Decimal("12.50"))


def test_a_stock_count_made_before_sales_is_a_409_and_changes_nothing(staff, make_product):
    product = make_product("Blue Mug", price="12.50", stock=10)
    Product.objects.filter(pk=product.pk).update(stock=7)  # three sold since staff read 10
    change = {"stock": 42, "expectedStock": 10, "price": "13.00"}
    response = staff.patch(f"/api/products/{product.id}", change, format="json")
    assert response.status_code == 409
    assert "changed while it was being edited" in response.json()["detail"]
    product.refresh_from_db()
    assert (product.stock, product.price) == (7, Decimal("12.50"))


def test_a_stock_count_on_the_stock_seen_is_saved(staff, make_product):
    product = make_product("Blue Mug", stock=10)
    response = staff.put(f"/api/products/{product.id}", {**VALID, "stock": 42, "expectedStock": 10}, format="json")
    assert (response.status_code, response.json()["stock"], response.json()["name"]) == (200, 42, "Green Tea")
    assert Product.objects.get(pk=product.pk).stock == 42


def test_the_stock_seen_sent_back_unchanged_keeps_the_sales_made_since(staff, make_product):
    product = make_product("Blue Mug", price="12.50", stock=10)
    Product.objects.filter(pk=product.pk).update(stock=7)
    response = staff.patch(
        f"/api/products/{product.id}", {"stock": 10, "expectedStock": 10, "price": "13.00"}, format="json"
    )
    assert (response.status_code, response.json()["stock"], response.json()["price"]) == (200, 7, "13.00")


@pytest.mark.parametrize("change", [{"price": "13.00"}, {"name": "Red Mug"}, {"category": None, "is_active": False}])
def test_a_patch_writes_only_the_fields_it_changes(staff, make_product, change):
    product = make_product("Blue Mug", price="12.50", stock=10)
    with CaptureQueriesContext(connection) as queries:
        assert staff.patch(f"/api/products/{product.id}", change, format="json").status_code == 200
    (update,) = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert '"stock"' not in update and '"description"' not in update, update


def test_updating_an_unknown_product_is_a_404(staff):
    assert staff.patch("/api/products/4242", {"stock": 1}, format="json").status_code == 404
    assert staff.delete("/api/products/4242").status_code == 404


def test_database_refuses_negative_stock(make_product):
    from django.db import IntegrityError, transaction

    product = make_product(stock=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(stock=-1)
