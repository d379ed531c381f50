"""Who may call each catalog and account route: anonymous, customer and staff callers."""

import pytest

pytestmark = pytest.mark.django_db

NEW = {"name": "Mug", "price": "5.00", "stock": 1}


@pytest.fixture
def product_id(make_product) -> int:
    return make_product("Blue Mug").id


@pytest.mark.parametrize("caller", ["anonymous", "customer", "staff"])
@pytest.mark.parametrize("path", ["/api/products", "/api/products/{id}", "/api/categories"])
def test_catalog_reads_are_open_to_everyone(request, caller, path, product_id):
    response = request.getfixturevalue(caller).get(path.format(id=product_id))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "staff_status"),
    [
        ("post", "/api/products", NEW, 201),
        ("put", "/api/products/{id}", {**NEW, "expectedStock": 10}, 200),
        ("patch", "/api/products/{id}", {"stock": 3, "expectedStock": 10}, 200),
        ("delete", "/api/products/{id}", None, 204),
    ],
)
def test_catalog_writes_are_for_staff_only(anonymous, customer, staff, product_id, method, path, body, staff_status):
    from catalog.models import Product

    url = path.format(id=product_id)
    before = list(Product.objects.values())
    for caller, expected in [(anonymous, 401), (customer, 403)]:
        response = getattr(caller, method)(url, body, format="json")
        assert response.status_code == expected
        assert response.json()["detail"]
    assert list(Product.objects.values()) == before
    assert getattr(staff, method)(url, body, format="json").status_code == staff_status


def test_a_peer_service_is_not_staff(service, product_id):
    assert service.patch(f"/api/products/{product_id}", {"stock": 0}, format="json").status_code == 403


def test_a_wrong_service_credential_is_a_401(anonymous):
    response = anonymous.get("/api/products", HTTP_X_SERVICE_TOKEN="guess")
    assert response.status_code == 401


@pytest.mark.parametrize("caller", ["anonymous", "customer"])
def test_account_routes_are_open_to_everyone(request, caller):
    client = request.getfixturevalue(caller)
    body = {"username": "dave", "password": "correct-horse-battery", "email": "d@example.com"}
    assert client.post("/api/auth/register", {**body, "username": f"dave-{caller}"}, format="json").status_code == 201
    token = client.post("/api/auth/token", {"username": f"dave-{caller}", "password": body["password"]}, format="json")
    assert token.status_code == 200
