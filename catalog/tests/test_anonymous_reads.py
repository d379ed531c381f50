"""Anonymous JSON reads of the product list and detail skip DRF's dispatch, and answer exactly as DRF does."""

import pytest
from rest_framework.views import APIView

from catalog.models import Product

pytestmark = pytest.mark.django_db
DRF = {"HTTP_ACCEPT": "application/json; q=0.9"}  # acceptable JSON, but not one of the plain path's Accept values


def answer(client, path: str, **headers) -> tuple[int, bytes, dict]:
    response = client.get(path, **headers)
    kept = {k: response.get(k) for k in ("Content-Type", "Allow", "X-Total-Count", "Link")}
    return response.status_code, response.content, kept


@pytest.fixture
def products(make_product):
    make_product("Plain Mug", price="3.50", stock=4, category="kitchen")
    make_product("Plain Kettle", price="25.00", stock=0, category="kitchen")
    hidden = make_product("Hidden Lamp", price="9.00")
    hidden.is_active = False
    hidden.save()
    return hidden


@pytest.mark.parametrize(
    "path",
    [
        "/api/products",
        "/api/products?q=plain&page_size=1",
        "/api/products?q=plain&page=2&page_size=1",
        "/api/products?category=kitchen",
        "/api/products?page=0",
        "/api/products?ids=1,",
        "/api/products?q=%20padded%20",
        "/api/products/999999",
    ],
)
def test_an_anonymous_read_answers_as_drf_does(client, products, path):
    assert answer(client, path) == answer(client, path, **DRF)
    assert answer(client, path, HTTP_ACCEPT="*/*") == answer(client, path, **DRF)


def test_a_product_off_sale_is_a_404_on_either_path(client, products):
    plain, drf = answer(client, f"/api/products/{products.pk}"), answer(client, f"/api/products/{products.pk}", **DRF)
    assert plain == drf
    assert plain[0] == 404


def test_the_usual_anonymous_reads_never_enter_drf(client, products, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("DRF's dispatch ran")

    monkeypatch.setattr(APIView, "initial", refuse)
    assert client.get("/api/products?q=plain").status_code == 200
    kettle = Product.objects.get(name="Plain Kettle")
    assert client.get(f"/api/products/{kettle.pk}").status_code == 200


def test_a_bad_credential_or_another_format_still_goes_through_drf(client, products):
    assert client.get("/api/products", HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
    assert client.get("/api/products", HTTP_X_SERVICE_TOKEN="guess").status_code == 401
    assert client.get("/api/products", HTTP_ACCEPT="text/html").status_code == 406
