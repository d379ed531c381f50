"""POST /api/notify: services store a notification once per event; nobody else may."""

import pytest

from notifications.models import Notification

pytestmark = pytest.mark.django_db

VALID = {"userId": "alice", "message": "Your order 42 is paid.", "eventId": "order.paid:42", "orderId": "42"}


def test_a_service_stores_a_notification_and_gets_201_with_its_fields(service):
    response = service.post("/api/notify", {**VALID, "kind": "order.paid"}, format="json")
    assert response.status_code == 201
    stored = Notification.objects.get()
    body = response.json()
    assert body == {
        "id": stored.id,
        "userId": "alice",
        "message": "Your order 42 is paid.",
        "kind": "order.paid",
        "eventId": "order.paid:42",
        "orderId": "42",
        "read": False,
        "createdAt": body["createdAt"],
    }
    assert body["createdAt"]


def test_the_original_two_fields_suffice_and_missing_ids_are_null(service):
    response = service.post("/api/notify", {"userId": "test_user", "message": "Hello"}, format="json")
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["eventId"], response.json()["orderId"]) == ("info", None, None)
    stored = Notification.objects.get()
    assert (stored.event_id, stored.order_id) == (None, "")


def test_null_ids_and_email_read_as_absent(service):
    body = {"userId": "alice", "message": "Hello", "eventId": None, "orderId": None, "email": None}
    response = service.post("/api/notify", body, format="json")
    assert response.status_code == 201
    stored = Notification.objects.get()
    assert (stored.event_id, stored.order_id, stored.mailed_at) == (None, "", None)


def test_notifications_without_an_event_id_are_all_stored(service):
    for _ in range(2):
        assert service.post("/api/notify", {"userId": "alice", "message": "Hi"}, format="json").status_code == 201
    assert Notification.objects.count() == 2


def test_the_same_event_id_twice_is_a_200_with_the_first_notification_and_one_row(service):
    first = service.post("/api/notify", VALID, format="json")
    again = service.post("/api/notify", {**VALID, "message": "A redelivery with other words"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Notification.objects.count() == 1


def test_an_event_id_already_used_for_another_user_is_a_409_and_stores_nothing(service):
    service.post("/api/notify", VALID, format="json")
    response = service.post("/api/notify", {**VALID, "userId": "bob"}, format="json")
    assert response.status_code == 409
    assert "eventId" in response.json()["detail"]
    assert list(Notification.objects.values_list("user_id", flat=True)) == ["alice"]


@pytest.mark.parametrize(("caller", "expected"), [("customer", 403), ("staff", 403), ("anonymous", 401)])
def test_only_services_may_notify(request, caller, expected):
    response = request.getfixturevalue(caller).post("/api/notify", VALID, format="json")
    assert response.status_code == expected
    assert response.json()["detail"]
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"message": "no user"}, "userId"),
        ({"userId": "alice"}, "message"),
        ({**VALID, "userId": ""}, "userId"),
        ({**VALID, "userId": "x" * 151}, "userId"),
        ({**VALID, "userId": "a/b"}, "userId"),
        ({**VALID, "userId": None}, "userId"),
        ({**VALID, "userId": ["alice"]}, "userId"),
        ({**VALID, "message": ""}, "message"),
        ({**VALID, "message": "   "}, "message"),
        ({**VALID, "message": "x" * 2001}, "message"),
        ({**VALID, "message": {"text": "hi"}}, "message"),
        ({**VALID, "message": True}, "message"),
        ({**VALID, "eventId": "e" * 101}, "eventId"),
        ({**VALID, "eventId": ["e"]}, "eventId"),
        ({**VALID, "orderId": "o" * 65}, "orderId"),
        ({**VALID, "kind": "not a slug"}, "kind"),
        ({**VALID, "kind": "k" * 51}, "kind"),
        ({**VALID, "email": "not-an-email"}, "email"),
        ({**VALID, "email": 42}, "email"),
    ],
)
def test_bad_notify_input_is_a_400_naming_the_field_and_stores_nothing(service, payload, field):
    response = service.post("/api/notify", payload, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{field}:")
    assert not Notification.objects.exists()


def test_a_message_of_exactly_2000_characters_is_accepted(service):
    response = service.post("/api/notify", {**VALID, "message": "x" * 2000}, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', "null", '{"userId": "alice", "message": NaN}'])
def test_malformed_json_is_a_400_and_stores_nothing(service, body):
    response = service.generic("POST", "/api/notify", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Notification.objects.exists()
