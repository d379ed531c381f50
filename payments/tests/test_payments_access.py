"""Only peer services may call payments: not the public, not customers, not staff."""

from decimal import Decimal

import pytest

from conftest import client_for
from payments.models import Payment, PaymentStatus

pytestmark = pytest.mark.django_db

CHARGE = {"userId": "alice", "amount": "12.50", "orderId": "order-1"}


@pytest.fixture
def payment() -> Payment:
    return Payment.objects.create(
        idempotency_key="key-0",
        order_id="order-1",
        user_id="alice",
        amount=Decimal("12.50"),
        status=PaymentStatus.SUCCEEDED,
        request_fingerprint="x" * 64,
    )


ROUTES = [
    ("post", "/api/process", CHARGE),
    ("post", "/api/payments/{id}/refund", None),
    ("post", "/api/payments/void", {"orderId": "order-1"}),
    ("get", "/api/payments/{id}", None),
]


@pytest.mark.parametrize(("caller", "expected"), [("anonymous", 401), ("customer", 403), ("staff", 403)])
@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_only_services_may_call_payments(request, payment, caller, expected, method, path, body):
    before = list(Payment.objects.values())
    response = getattr(request.getfixturevalue(caller), method)(
        path.format(id=payment.id), body, format="json", HTTP_IDEMPOTENCY_KEY="key-1"
    )
    assert response.status_code == expected
    assert response.json()["detail"]
    assert list(Payment.objects.values()) == before


def test_the_customer_the_charge_is_for_may_not_call_it_either(payment):
    response = client_for("alice").post("/api/process", CHARGE, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert response.status_code == 403


def test_a_wrong_service_credential_is_a_401(anonymous):
    response = anonymous.post(
        "/api/process", CHARGE, format="json", HTTP_IDEMPOTENCY_KEY="key-1", HTTP_X_SERVICE_TOKEN="guess"
    )
    assert response.status_code == 401
    assert not Payment.objects.exists()


def test_admin_lists_payments_for_staff_read_only(client, admin_user, payment):
    client.force_login(admin_user)
    page = client.get("/admin/payments/payment/?q=order-1")
    assert page.status_code == 200 and b"order-1" in page.content
    assert client.get(f"/admin/payments/payment/{payment.id}/change/").status_code == 200
    assert client.get("/admin/payments/payment/add/").status_code == 403
