from decimal import Decimal

import pytest

from payments.models import Payment, PaymentStatus

pytestmark = pytest.mark.django_db

CHARGE = {"userId": "alice", "amount": "12.50", "orderId": "order-1"}
GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"


def charge(client, body=None, *, key="key-1", **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post("/api/process", CHARGE if body is None else body, format="json", **headers)


def paid(key: str = "key-1", **overrides) -> Payment:
    fields = {
        "idempotency_key": key,
        "order_id": "order-1",
        "user_id": "alice",
        "amount": Decimal("12.50"),
        "status": PaymentStatus.SUCCEEDED,
        "request_fingerprint": "x" * 64,
        **overrides,
    }
    return Payment.objects.create(**fields)


def test_a_service_charges_an_order_and_gets_a_201_with_the_amount_as_a_string(service):
    response = charge(service, {**CHARGE, "card": GOOD_CARD})
    assert response.status_code == 201
    body = response.json()
    payment = Payment.objects.get()
    assert body == {
        "paymentId": payment.id,
        "status": "succeeded",
        "amount": "12.50",
        "orderId": "order-1",
        "userId": "alice",
        "createdAt": body["createdAt"],
    }
    assert body["createdAt"]
    assert (payment.idempotency_key, payment.amount, payment.card_last4) == ("key-1", Decimal("12.50"), "4242")


def test_a_charge_without_a_card_succeeds(service):
    assert charge(service).json()["status"] == "succeeded"
    assert Payment.objects.get().card_last4 == ""


def test_any_card_but_the_decline_card_succeeds(service):
    assert charge(service, {**CHARGE, "card": "5555555555554444"}).json()["status"] == "succeeded"


def test_the_decline_card_is_a_402_and_the_payment_is_stored_as_declined(service):
    response = charge(service, {**CHARGE, "card": DECLINED_CARD})
    assert response.status_code == 402
    assert response.json() == {"detail": "The card was declined.", "code": "card_declined"}
    payment = Payment.objects.get()
    assert (payment.status, payment.card_last4) == (PaymentStatus.DECLINED, "0002")


def test_a_full_card_number_is_never_stored(service):
    charge(service, {**CHARGE, "card": GOOD_CARD})
    assert GOOD_CARD not in str(list(Payment.objects.values()))


def test_a_replay_with_the_same_key_returns_the_same_payment_and_charges_once(service):
    first = charge(service)
    second = charge(service)
    assert second.status_code == 201
    assert second.json() == first.json()
    assert Payment.objects.count() == 1


def test_an_amount_written_differently_is_the_same_charge(service):
    first = charge(service, {**CHARGE, "amount": "12.5"})
    assert charge(service, {**CHARGE, "amount": "12.50"}).json()["paymentId"] == first.json()["paymentId"]


def test_a_replay_of_a_declined_charge_is_declined_again_without_a_second_charge(service):
    body = {**CHARGE, "card": DECLINED_CARD}
    assert charge(service, body).status_code == 402
    assert charge(service, body).status_code == 402
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    "changed",
    [{"amount": "13.00"}, {"userId": "bob"}, {"orderId": "order-2"}, {"card": GOOD_CARD}, {"card": DECLINED_CARD}],
)
def test_the_same_key_with_a_different_charge_is_a_422(service, changed):
    charge(service)
    response = charge(service, {**CHARGE, **changed})
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert Payment.objects.count() == 1


def test_different_keys_are_different_charges(service):
    charge(service, key="key-1")
    charge(service, key="key-2")
    assert Payment.objects.count() == 2


@pytest.mark.parametrize("key", [None, "", "   ", "k" * 256])
def test_a_missing_or_too_long_idempotency_key_is_a_400(service, key):
    response = charge(service, key=key)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Idempotency-Key")
    assert not Payment.objects.exists()


def test_a_255_character_idempotency_key_is_fine(service):
    assert charge(service, key="k" * 255).status_code == 201


BAD_AMOUNTS = [0, "0", "0.00", -1, "-1", "abc", "", None, "1.234", "12345678901.00", "1e20", "NaN"]


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_a_bad_amount_is_a_400_and_nothing_is_charged(service, amount):
    response = charge(service, {**CHARGE, "amount": amount})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("amount")
    assert not Payment.objects.exists()


@pytest.mark.parametrize("field", ["amount", "userId", "orderId"])
def test_a_missing_field_is_a_400(service, field):
    body = {k: v for k, v in CHARGE.items() if k != field}
    response = charge(service, body)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(field)
    assert not Payment.objects.exists()


@pytest.mark.parametrize("card", ["4242", "4242 4242 4242 4242", "4242-4242-4242-4242", "abcdabcdabcdabcd", "1" * 20])
def test_a_bad_card_is_a_400(service, card):
    response = charge(service, {**CHARGE, "card": card})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("card")
    assert not Payment.objects.exists()


@pytest.mark.parametrize(("field", "length"), [("userId", 151), ("orderId", 65)])
def test_too_long_ids_are_a_400(service, field, length):
    assert charge(service, {**CHARGE, field: "x" * length}).status_code == 400


@pytest.mark.parametrize("path", ["/api/process", "/api/payments/void"])
@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"'])
def test_a_body_that_is_not_a_json_object_is_a_400(service, path, body):
    response = service.post(path, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="key-1")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Payment.objects.exists()


def test_a_refund_turns_a_succeeded_payment_into_a_refunded_one(service):
    payment_id = charge(service).json()["paymentId"]
    response = service.post(f"/api/payments/{payment_id}/refund")
    assert response.status_code == 200
    assert (response.json()["paymentId"], response.json()["status"]) == (payment_id, "refunded")
    assert Payment.objects.get().status == PaymentStatus.REFUNDED


def test_refunding_twice_changes_nothing_the_second_time(service):
    payment_id = charge(service).json()["paymentId"]
    first = service.post(f"/api/payments/{payment_id}/refund").json()
    second = service.post(f"/api/payments/{payment_id}/refund")
    assert second.status_code == 200
    assert second.json() == first


def test_refunding_a_declined_payment_is_a_409(service):
    charge(service, {**CHARGE, "card": DECLINED_CARD})
    response = service.post(f"/api/payments/{Payment.objects.get().id}/refund")
    assert response.status_code == 409
    assert response.json()["detail"]
    assert Payment.objects.get().status == PaymentStatus.DECLINED


def test_a_replay_of_a_refunded_charge_answers_with_the_refunded_payment(service):
    payment_id = charge(service).json()["paymentId"]
    service.post(f"/api/payments/{payment_id}/refund")
    replay = charge(service)
    assert (replay.status_code, replay.json()["paymentId"], replay.json()["status"]) == (201, payment_id, "refunded")
    assert Payment.objects.count() == 1


def test_a_service_reads_a_payment(service):
    created = charge(service).json()
    response = service.get(f"/api/payments/{created['paymentId']}")
    assert response.status_code == 200
    assert response.json() == created


@pytest.mark.parametrize("bad", ["999999", "abc", "0", "-1", "1.5", "99999999999999999999999999"])
@pytest.mark.parametrize(("method", "suffix"), [("get", ""), ("post", "/refund")])
def test_an_unknown_or_non_numeric_payment_id_is_a_404(service, bad, method, suffix):
    response = getattr(service, method)(f"/api/payments/{bad}{suffix}")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_voiding_an_order_refunds_its_succeeded_payments_only(service):
    first = paid("key-1")
    second = paid("key-2")
    declined = paid("key-3", status=PaymentStatus.DECLINED)
    other_order = paid("key-4", order_id="order-2")
    response = service.post("/api/payments/void", {"orderId": "order-1"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"refunded": [first.id, second.id]}
    statuses = dict(Payment.objects.values_list("id", "status"))
    assert statuses == {
        first.id: "refunded",
        second.id: "refunded",
        declined.id: "declined",
        other_order.id: "succeeded",
    }


def test_voiding_an_order_again_answers_the_same_and_changes_nothing(service):
    payment = paid()
    first = service.post("/api/payments/void", {"orderId": "order-1"}, format="json").json()
    before = list(Payment.objects.values())
    second = service.post("/api/payments/void", {"orderId": "order-1"}, format="json")
    assert first == second.json() == {"refunded": [payment.id]}
    assert list(Payment.objects.values()) == before


def test_voiding_an_order_without_payments_is_fine(service):
    response = service.post("/api/payments/void", {"orderId": "never-charged"}, format="json")
    assert (response.status_code, response.json()) == (200, {"refunded": []})


@pytest.mark.parametrize("body", [{}, {"orderId": ""}, {"orderId": "x" * 65}])
def test_voiding_needs_an_order_id(service, body):
    response = service.post("/api/payments/void", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("orderId")
