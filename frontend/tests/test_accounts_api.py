import hashlib
import hmac
import json
import time

import jwt
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import IntegrityError, transaction

from kubeshop import identity, keys
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


def test_a_taken_username_is_a_400_whatever_its_case_or_width(anonymous):
    anonymous.post("/api/auth/register", GOOD, format="json")
    for username in ["alice", "ALICE", "ＡＬＩＣＥ", "ａｌｉｃｅ"]:
        response = anonymous.post("/api/auth/register", {**GOOD, "username": username}, format="json")
        assert response.status_code == 400
        assert "already taken" in response.json()["detail"]
    assert User.objects.count() == 1


def test_an_access_token_is_refused_once_its_short_lifetime_is_over(anonymous, monkeypatch, settings):
    assert settings.ACCESS_TOKEN_LIFETIME <= 300  # minutes, not hours
    now = time.time()
    monkeypatch.setattr(identity.time, "time", lambda: now - settings.ACCESS_TOKEN_LIFETIME - 1)
    expired = issue_token(username="alice", is_staff=False)
    monkeypatch.setattr(identity.time, "time", lambda: now - settings.ACCESS_TOKEN_LIFETIME + 30)
    still_good = issue_token(username="alice", is_staff=False)
    monkeypatch.undo()
    assert verify_token(expired) is None
    assert anonymous.get("/api/products", HTTP_AUTHORIZATION=f"Bearer {expired}").status_code == 401
    assert verify_token(still_good).username == "alice"


def hs256(claims: dict, secret: bytes) -> str:
    """A token PyJWT refuses to make: HMAC-signed with a public key, as in an algorithm-confusion attack."""
    b64 = jwt.utils.base64url_encode
    signing_input = b64(b'{"alg":"HS256","typ":"JWT"}') + b"." + b64(json.dumps(claims).encode())
    return (signing_input + b"." + b64(hmac.new(secret, signing_input, hashlib.sha256).digest())).decode()


def test_tampered_or_foreign_tokens_are_refused(anonymous, settings):
    token = issue_token(username="alice", is_staff=False)
    claims = jwt.decode(token, options={"verify_signature": False})
    staff_claims = {**claims, "staff": True}
    other_key = keys.private_key(keys.generate_private_pem())
    header, _, signature = token.split(".")
    forged = [
        jwt.encode(staff_claims, other_key, algorithm="EdDSA"),  # signed with another key
        jwt.encode(staff_claims, settings.SECRET_KEY, algorithm="HS256"),  # the old shared secret
        hs256(staff_claims, settings.KUBESHOP_JWT_PUBLIC_KEY.encode()),  # the public key as an HMAC secret
        jwt.encode(staff_claims, None, algorithm="none"),
        ".".join([header, jwt.utils.base64url_encode(json.dumps(staff_claims).encode()).decode(), signature]),
    ]
    for bad in [token[:-2] + ("AA" if not token.endswith("AA") else "BB"), *forged, "garbage", token + "x"]:
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


def test_a_username_is_stored_and_signed_in_normalised(anonymous):
    response = anonymous.post("/api/auth/register", {**GOOD, "username": "ＢＯＢ"}, format="json")
    assert (response.status_code, response.json()) == (201, {"userId": "BOB"})
    assert list(User.objects.values_list("username", flat=True)) == ["BOB"]
    response = anonymous.post("/api/auth/token", {"username": "ＢＯＢ", "password": GOOD["password"]}, format="json")
    assert (response.status_code, response.json()["userId"]) == (200, "BOB")


def test_the_database_refuses_a_second_account_differing_only_in_case():
    User.objects.create_user("alice", password=GOOD["password"])
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("ALICE", password=GOOD["password"])
    assert User.objects.count() == 1
