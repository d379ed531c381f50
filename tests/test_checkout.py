"""The checkout saga in one process: cart → reserve → order → charge → confirm, and every undo."""

from decimal import Decimal

import pytest

from catalog.models import Product, Reservation
from notifications.models import Notification
from orders.models import IdempotencyRecord, Order, OrderStatus, OutboxEvent

pytestmark = pytest.mark.django_db

DECLINED_CARD = "4000000000000002"


def stock_of(product) -> int:
    return Product.objects.get(pk=product.pk).stock


def add(client, product, quantity=1, user="alice"):
    response = client.post(f"/api/cart/{user}/add", {"productId": product.id, "quantity": quantity}, format="json")
    assert response.status_code == 200, response.json()
    return response


def checkout(client, user="alice", **extra):
    headers = {}
    if "key" in extra:
        headers["HTTP_IDEMPOTENCY_KEY"] = extra.pop("key")
    return client.post("/api/orders/create", {"userId": user, **extra}, format="json", **headers)


def test_checkout_pays_lowers_stock_empties_cart_and_notifies(customer, make_product):
    mug, tea = make_product("Mug", price="12.50", stock=5), make_product("Tea", price="3.20", stock=9)
    add(customer, mug, 2)
    add(customer, tea, 1)
    response = checkout(customer)
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["totalAmount"], body["userId"]) == ("PAID", "28.20", "alice")
    assert [(i["productId"], i["quantity"], i["price"]) for i in body["items"]] == [
        (mug.id, 2, "12.50"),
        (tea.id, 1, "3.20"),
    ]
    assert (stock_of(mug), stock_of(tea)) == (3, 8)
    assert customer.get("/api/cart/alice").json() == []
    assert set(Reservation.objects.values_list("state", flat=True)) == {"committed"}
    notices = customer.get("/api/notifications/alice").json()
    assert [(n["orderId"], n["kind"]) for n in notices] == [(body["orderId"], "order.paid")]
    assert not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
    assert customer.get(f"/api/orders/{body['orderId']}").json() == body


def test_prices_come_from_the_catalog_not_the_client(customer, make_product):
    mug = make_product("Mug", price="12.50", stock=5)
    add(customer, mug, 1)
    Product.objects.filter(pk=mug.pk).update(price=Decimal("15.00"))
    assert checkout(customer, totalAmount="0.01", price="0.01").json()["totalAmount"] == "15.00"


def test_declined_card_is_a_402_and_leaves_stock_and_cart_untouched(customer, make_product):
    mug = make_product("Mug", stock=5)
    add(customer, mug, 2)
    response = checkout(customer, card=DECLINED_CARD)
    assert response.status_code == 402
    assert response.json()["detail"] == "The card was declined."
    assert stock_of(mug) == 5
    assert Order.objects.get().status == OrderStatus.PAYMENT_FAILED
    assert [line["quantity"] for line in customer.get("/api/cart/alice").json()] == [2]
    assert customer.get("/api/notifications/alice").json() == []


def test_short_stock_is_a_409_naming_the_product_and_reserves_nothing(customer, make_product):
    plenty, scarce = make_product("Plenty", stock=50), make_product("Scarce Lamp", stock=1)
    add(customer, plenty, 3)
    add(customer, scarce, 2)
    response = checkout(customer)
    assert response.status_code == 409
    assert "Scarce Lamp" in response.json()["detail"]
    assert (stock_of(plenty), stock_of(scarce)) == (50, 1)
    assert not Reservation.objects.exists()
    assert Order.objects.get().status == OrderStatus.REJECTED


def test_an_empty_cart_cannot_be_checked_out(customer):
    response = checkout(customer)
    assert (response.status_code, response.json()["detail"]) == (400, "The cart is empty.")
    assert not Order.objects.exists()


def test_a_product_withdrawn_after_it_was_carted_is_a_409(customer, make_product):
    mug = make_product("Mug", stock=5)
    add(customer, mug)
    Product.objects.filter(pk=mug.pk).update(is_active=False)
    assert checkout(customer).status_code == 409
    assert not Order.objects.exists()


def test_a_replayed_key_returns_the_first_result_and_charges_once(customer, make_product):
    from payments.models import Payment

    mug = make_product("Mug", stock=5)
    add(customer, mug)
    first = checkout(customer, key="k-1")
    add(customer, mug)  # the cart changed, but a replay must not buy again
    second = checkout(customer, key="k-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert Payment.objects.count() == 1
    assert stock_of(mug) == 4


def test_a_replayed_key_replays_a_decline_too(customer, make_product):
    add(customer, make_product("Mug", stock=5))
    assert checkout(customer, key="k-2", card=DECLINED_CARD).status_code == 402
    assert checkout(customer, key="k-2", card=DECLINED_CARD).status_code == 402
    assert Order.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422(customer, make_product):
    add(customer, make_product("Mug", stock=5))
    checkout(customer, key="k-3")
    response = checkout(customer, key="k-3", card="4242424242424242")
    assert response.status_code == 422
    assert Order.objects.count() == 1


def test_a_retry_while_the_first_is_in_flight_is_a_409(customer, make_product):
    add(customer, make_product("Mug", stock=5))
    IdempotencyRecord.objects.create(user_id="alice", key="k-4", fingerprint="", response_status=None)
    IdempotencyRecord.objects.filter(key="k-4").update(fingerprint=_fingerprint_of({"userId": "alice", "card": ""}))
    response = checkout(customer, key="k-4")
    assert response.status_code == 409
    assert not Order.objects.exists()


def _fingerprint_of(body: dict) -> str:
    from orders.idempotency import fingerprint

    return fingerprint(body)


def test_keys_are_scoped_to_the_user(customer, other_customer, make_product):
    mug = make_product("Mug", stock=5)
    add(customer, mug)
    add(other_customer, mug, user="bob")
    assert checkout(customer, key="shared").json()["userId"] == "alice"
    assert checkout(other_customer, user="bob", key="shared").json()["userId"] == "bob"
    assert stock_of(mug) == 3


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "tab\tkey"])
def test_a_malformed_idempotency_key_is_a_400(customer, make_product, key):
    add(customer, make_product("Mug", stock=5))
    response = checkout(customer, key=key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Order.objects.exists()


def test_cancelling_a_paid_order_refunds_returns_stock_and_notifies(customer, make_product):
    from payments.models import Payment

    mug = make_product("Mug", stock=5)
    add(customer, mug, 2)
    order_id = checkout(customer).json()["orderId"]
    response = customer.post(f"/api/orders/{order_id}/cancel")
    assert (response.status_code, response.json()["status"]) == (200, "CANCELLED")
    assert stock_of(mug) == 5
    assert Payment.objects.get().status == "refunded"
    kinds = [n["kind"] for n in customer.get("/api/notifications/alice").json()]
    assert kinds == ["order.cancelled", "order.paid"]
    again = customer.post(f"/api/orders/{order_id}/cancel")
    assert again.status_code == 409
    assert stock_of(mug) == 5


def test_orders_are_listed_newest_first_for_their_owner(customer, make_product):
    mug = make_product("Mug", stock=5)
    ids = []
    for _ in range(2):
        add(customer, mug)
        ids.append(checkout(customer).json()["orderId"])
    listed = customer.get("/api/orders?userId=alice")
    assert [o["orderId"] for o in listed.json()] == ids[::-1]
    assert listed["X-Total-Count"] == "2"
    assert [o["orderId"] for o in customer.get("/api/orders").json()] == ids[::-1]


def test_another_user_neither_sees_nor_cancels_an_order(customer, other_customer, staff, make_product):
    mug = make_product("Mug", stock=5)
    add(customer, mug)
    order_id = checkout(customer).json()["orderId"]
    assert other_customer.get(f"/api/orders/{order_id}").status_code == 404
    assert other_customer.post(f"/api/orders/{order_id}/cancel").status_code == 404
    assert other_customer.get("/api/orders?userId=alice").status_code == 403
    assert checkout(other_customer, user="alice").status_code == 403
    assert Order.objects.get().status == OrderStatus.PAID
    assert staff.get(f"/api/orders/{order_id}").status_code == 200


def test_a_notification_is_stored_once_however_often_its_event_is_delivered(customer, make_product):
    from orders import outbox

    add(customer, make_product("Mug", stock=5))
    checkout(customer)
    event = OutboxEvent.objects.get(kind="order.paid")
    outbox.deliver_now([event])
    outbox.deliver_now([event])
    assert Notification.objects.filter(user_id="alice").count() == 1


def test_the_idempotency_fingerprint_is_keyed_with_the_secret_key(settings):
    import hashlib
    import json

    body = {"userId": "alice", "card": "4242424242424242"}
    keyed = _fingerprint_of(body)
    for canonical in (json.dumps(body, sort_keys=True), json.dumps(body, sort_keys=True, separators=(",", ":"))):
        assert keyed != hashlib.sha256(canonical.encode()).hexdigest()  # not guessable from the card's digits alone
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert _fingerprint_of(body) != keyed


def test_the_order_email_is_sent_by_the_dispatcher_never_inside_the_request(
    make_product, django_capture_on_commit_callbacks
):
    from django.core import mail
    from rest_framework.test import APIClient

    from kubeshop.identity import issue_token
    from orders import outbox

    customer = APIClient()
    token = issue_token(username="alice", is_staff=False, email="a@example.com")
    customer.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    add(customer, make_product("Mug", stock=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert checkout(customer).status_code == 201
    assert mail.outbox == []
    assert [n["kind"] for n in customer.get("/api/notifications/alice").json()] == ["order.paid"]  # stored at once

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.deliver_due() == 1  # the mail, by the dispatcher
        outbox.retry_now()
        assert outbox.deliver_due() == 0
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    assert Notification.objects.count() == 1  # one notice, mailed once


def test_the_storefront_names_the_address_to_mail_but_a_customer_cannot_redirect_it(make_product):
    from rest_framework.test import APIRequestFactory, force_authenticate

    from conftest import client_for
    from kubeshop.identity import Identity
    from orders.views import OrderCreateView

    customer = client_for("alice")  # a token without an address
    add(customer, make_product("Mug", stock=5))
    assert checkout(customer, email="someone-else@example.com").status_code == 201
    assert not OutboxEvent.objects.filter(kind="order.mail").exists()  # no mail to a typed-in address

    add(customer, make_product("Cup", stock=5))
    request = APIRequestFactory().post(
        "/api/orders/create", {"userId": "alice", "email": "alice@example.com"}, format="json"
    )
    force_authenticate(request, user=Identity(username="alice", is_service=True))  # the split storefront, for alice
    assert OrderCreateView.as_view()(request).status_code == 201
    assert OutboxEvent.objects.get(kind="order.mail").payload["email"] == "alice@example.com"
