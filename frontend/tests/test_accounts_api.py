import time

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.core.management import call_command

from kubeshop.identity import issue_token, verify_token

pytestmark = pytest.mark.django_db

GOOD = {"username": "alice", "password": "correct-horse-battery", "email": "alice@example.com"}


def test_register_then_obtain_a_token_carrying_the_username(anonymous):
    assert anonymous.post("/api/auth/register", GOOD, format="json").status_code == 201
    response = anonymous.post("/api/auth/token", {"username": "alice", "password": GOOD["password"]}, format="json")
    assert response.status_code == 200
    assert response.json()["userId"] == "alice"
    identity = verify_token(response.json()["token"])
    assert (identity.username, identity.is_staff) == ("alice", False)


def test_superusers_get_staff_tokens(anonymous, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "admin-pass-123")
    call_command("createsuperuser", "--noinput", username="admin", email="admin@example.com")
    response = anonymous.post("/api/auth/token", {"username": "admin", "password": "admin-pass-123"}, format="json")
    assert verify_token(response.json()["token"]).is_staff


def test_wrong_password_or_unknown_user_is_a_401(anonymous):
    anonymous.post("/api/auth/register", GOOD, format="json")
    for username, password in [("alice", "wrong-password"), ("nobody", GOOD["password"])]:
        response = anonymous.post("/api/auth/token", {"username": username, "password": password}, format="json")
        assert response.status_code == 401
        assert response.json()["detail"] == "Wrong username or password."


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "123"}, "password"),
        ({"password": "password"}, "password"),
        ({"password": "1234567890123"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"username": ""}, "username"),
        ({"username": "has space"}, "username"),
        ({"username": "x" * 151}, "username"),
    ],
)
def test_bad_registration_is_a_400_and_creates_nobody(anonymous, change, field):
    response = anonymous.post("/api/auth/register", {**GOOD, **change}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{field}:")
    assert not User.objects.exists()


def test_a_taken_username_is_a_400_whatever_its_case(anonymous):
    anonymous.post("/api/auth/register", GOOD, format="json")
    for username in ["alice", "ALICE"]:
        response = anonymous.post("/api/auth/register", {**GOOD, "username": username}, format="json")
        assert response.status_code == 400
        assert "already taken" in response.json()["detail"]
    assert User.objects.count() == 1


def test_expired_token_is_refused(anonymous, monkeypatch, settings):
    issued_at = time.time() - settings.TOKEN_MAX_AGE - 5
    monkeypatch.setattr(signing.time, "time", lambda: issued_at)
    old = issue_token(username="alice", is_staff=False)
    monkeypatch.undo()
    assert verify_token(old) is None
    response = anonymous.get("/api/products", HTTP_AUTHORIZATION=f"Bearer {old}")
    assert response.status_code == 401


def test_tampered_or_foreign_tokens_are_refused(anonymous, settings):
    token = issue_token(username="alice", is_staff=False)
    staff_claim = signing.dumps(
        {"sub": "alice", "staff": True}, key="some-other-secret", salt="kubeshop.identity.token"
    )
    for bad in [token[:-2] + ("AA" if not token.endswith("AA") else "BB"), staff_claim, "garbage", token + "x"]:
        assert verify_token(bad) is None
        response = anonymous.post("/api/products", {}, format="json", HTTP_AUTHORIZATION=f"Bearer {bad}")
        assert response.status_code == 401
        assert response.json()["detail"] == "Invalid or expired token."


def test_a_token_needs_no_database_to_be_verified(django_assert_num_queries):
    token = issue_token(username="alice", is_staff=True)
    with django_assert_num_queries(0):
        assert verify_token(token).is_staff


def test_sign_in_attempts_are_rate_limited_per_address(anonymous, settings):
    from django.core.cache import cache

    cache.clear()
    settings.KUBESHOP_SIGN_IN_RATE = "3/min"
    wrong = {"username": "alice", "password": "guess"}
    statuses = [anonymous.post("/api/auth/token", wrong, format="json").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    response = anonymous.post("/api/auth/register", GOOD, format="json")
    assert response.status_code == 429
    assert "throttled" in response.json()["detail"].lower()
    assert not User.objects.exists()
    cache.clear()
