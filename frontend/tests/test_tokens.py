"""Refresh tokens: rotated on use, refused after sign-out, password change, deactivation or a staff-flag change."""

from concurrent.futures import ThreadPoolExecutor

import jwt
import pytest
from django.contrib.auth.models import User
from django.db import connection
from rest_framework.test import APIClient

from kubeshop import keys
from kubeshop.identity import CannotSign, issue_token, verify_token

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "another-horse-battery-staple"


@pytest.fixture
def alice(anonymous) -> User:
    anonymous.post(
        "/api/auth/register", {"username": "alice", "password": PASSWORD, "email": "a@example.com"}, format="json"
    )
    return User.objects.get(username="alice")


def sign_in(anonymous: APIClient, password: str = PASSWORD) -> dict:
    response = anonymous.post("/api/auth/token", {"username": "alice", "password": password}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def sign_in_status(anonymous: APIClient, password: str) -> int:
    return anonymous.post("/api/auth/token", {"username": "alice", "password": password}, format="json").status_code


def refresh(anonymous: APIClient, token: str):
    return anonymous.post("/api/auth/refresh", {"refresh": token}, format="json")


def as_user(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_sign_in_returns_an_access_token_a_refresh_token_and_the_user_id(anonymous, alice, settings):
    body = sign_in(anonymous)
    assert set(body) == {"token", "refresh", "userId"}
    assert verify_token(body["token"]).username == "alice"
    claims = jwt.decode(body["token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == settings.ACCESS_TOKEN_LIFETIME == 300


def test_a_refresh_token_is_used_up_when_it_is_rotated(anonymous, alice):
    first = sign_in(anonymous)
    rotated = refresh(anonymous, first["refresh"])
    assert rotated.status_code == 200
    assert set(rotated.json()) == {"token", "refresh"}
    assert verify_token(rotated.json()["token"]).username == "alice"
    assert refresh(anonymous, first["refresh"]).status_code == 401
    assert refresh(anonymous, rotated.json()["refresh"]).status_code == 200


def test_a_refresh_token_is_not_an_access_token_nor_the_other_way_round(anonymous, alice):
    body = sign_in(anonymous)
    assert verify_token(body["refresh"]) is None
    assert as_user(body["refresh"]).get("/api/cart/alice").status_code == 401
    assert refresh(anonymous, body["token"]).status_code == 401


def test_sign_out_revokes_the_refresh_token(anonymous, alice):
    body = sign_in(anonymous)
    response = anonymous.post("/api/auth/logout", {"refresh": body["refresh"]}, format="json")
    assert response.status_code == 204
    answer = refresh(anonymous, body["refresh"])
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Invalid, expired or revoked refresh token."
    assert anonymous.post("/api/auth/logout", {"refresh": body["refresh"]}, format="json").status_code == 401


def test_a_password_change_revokes_every_refresh_token_of_the_user(anonymous, alice):
    phone, laptop = sign_in(anonymous), sign_in(anonymous)
    response = as_user(laptop["token"]).post(
        "/api/auth/password", {"old": PASSWORD, "new": NEW_PASSWORD}, format="json"
    )
    assert response.status_code == 204
    assert refresh(anonymous, phone["refresh"]).status_code == 401
    assert refresh(anonymous, laptop["refresh"]).status_code == 401
    assert sign_in_status(anonymous, PASSWORD) == 401
    assert refresh(anonymous, sign_in(anonymous, NEW_PASSWORD)["refresh"]).status_code == 200


def test_a_password_changed_elsewhere_refuses_older_refresh_tokens(anonymous, alice):
    body = sign_in(anonymous)
    alice.set_password(NEW_PASSWORD)  # e.g. by staff in the admin: no API call revoked anything
    alice.save()
    assert refresh(anonymous, body["refresh"]).status_code == 401


def test_deactivation_refuses_refresh_and_sign_in(anonymous, alice):
    body = sign_in(anonymous)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert refresh(anonymous, body["refresh"]).status_code == 401
    assert sign_in_status(anonymous, PASSWORD) == 401


@pytest.mark.parametrize("was_staff", [True, False])
def test_a_changed_staff_flag_refuses_older_refresh_tokens(anonymous, alice, was_staff):
    User.objects.filter(pk=alice.pk).update(is_staff=was_staff)
    body = sign_in(anonymous)
    assert verify_token(body["token"]).is_staff is was_staff
    User.objects.filter(pk=alice.pk).update(is_staff=not was_staff)
    assert refresh(anonymous, body["refresh"]).status_code == 401
    assert verify_token(sign_in(anonymous)["token"]).is_staff is not was_staff


def test_a_password_change_needs_the_current_password_and_a_good_new_one(anonymous, alice):
    user = as_user(sign_in(anonymous)["token"])
    wrong = user.post("/api/auth/password", {"old": "not-it", "new": NEW_PASSWORD}, format="json")
    assert (wrong.status_code, wrong.json()["detail"]) == (400, "old: this is not your current password.")
    weak = user.post("/api/auth/password", {"old": PASSWORD, "new": "123"}, format="json")
    assert weak.status_code == 400
    assert weak.json()["detail"].startswith("new:")
    unsigned = anonymous.post("/api/auth/password", {"old": PASSWORD, "new": NEW_PASSWORD}, format="json")
    assert unsigned.status_code == 401
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_refresh_token_signed_with_another_key_is_refused(anonymous, alice):
    claims = jwt.decode(sign_in(anonymous)["refresh"], options={"verify_signature": False})
    other_key = keys.private_key(keys.generate_private_pem())
    assert refresh(anonymous, jwt.encode(claims, other_key, algorithm="EdDSA")).status_code == 401


def test_a_service_holding_only_the_public_key_verifies_tokens_but_cannot_mint_them(settings):
    token = issue_token(username="alice", is_staff=True)
    settings.KUBESHOP_SERVICE = "catalog"
    settings.KUBESHOP_JWT_PRIVATE_KEY = ""
    assert verify_token(token).is_staff
    with pytest.raises(CannotSign):
        issue_token(username="mallory", is_staff=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_refreshes_of_one_token_rotate_it_once(anonymous, alice):
    token = sign_in(anonymous)["refresh"]

    def use(_: int) -> int:
        try:
            return refresh(APIClient(), token).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(6) as pool:
        statuses = sorted(pool.map(use, range(6)))
    assert statuses == [200, 401, 401, 401, 401, 401]
