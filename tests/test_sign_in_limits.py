"""Sign-in limits that hold: per address (which a forged X-Forwarded-For does not change) and per
username, in the shared cache across gunicorn workers, and a lockout after repeated failures —
for the token route and the admin's login alike."""

import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.contrib.auth.models import User
from django.core.cache import cache

from tests.live import redis_test_url
from tests.processes import manage, service_env
from tools.localshop import LocalService, free_port

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, username: str, password: str, address: str = "127.0.0.1", **headers):
    body = {"username": username, "password": password}
    return client.post("/api/auth/token", body, format="json", REMOTE_ADDR=address, **headers)


@pytest.mark.django_db
def test_a_forged_x_forwarded_for_does_not_reset_the_per_address_limit(anonymous, settings):
    settings.KUBESHOP_SIGN_IN_RATE = "3/min"
    statuses = [
        sign_in(anonymous, f"user{i}", "guess", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]


@pytest.mark.django_db
def test_behind_one_proxy_the_address_is_the_one_the_proxy_appended(anonymous, settings):
    settings.KUBESHOP_SIGN_IN_RATE = "2/min"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    def attempt(forwarded: str) -> int:
        return sign_in(
            anonymous, uuid.uuid4().hex, "guess", address="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert [attempt(f"198.51.100.{i}, 203.0.113.7") for i in range(3)] == [401, 401, 429]
    assert attempt("203.0.113.8") == 401  # another client behind the same proxy has its own count


@pytest.mark.django_db
def test_sign_in_and_sign_up_are_limited_per_username_from_any_address(anonymous, settings):
    settings.KUBESHOP_SIGN_IN_USERNAME_RATE = "3/min"
    spellings = ["alice", "ALICE", "ＡＬＩＣＥ", "Alice"]
    statuses = [
        sign_in(anonymous, name, "guess", address=f"192.0.2.{i}").status_code for i, name in enumerate(spellings)
    ]
    assert statuses == [401, 401, 401, 429]
    assert sign_in(anonymous, "bob", "guess", address="192.0.2.9").status_code == 401
    body = {"username": "alice", "password": PASSWORD, "email": "alice@example.com"}
    response = anonymous.post("/api/auth/register", body, format="json", REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 429
    assert not User.objects.exists()


@pytest.mark.django_db
def test_repeated_failures_lock_the_username_out_even_with_the_right_password(anonymous, settings):
    settings.AXES_FAILURE_LIMIT = 3
    User.objects.create_user("alice", password=PASSWORD)
    statuses = [sign_in(anonymous, "alice", f"guess{i}", address=f"192.0.2.{i}").status_code for i in range(3)]
    assert statuses == [401, 401, 429]  # the third failure locks the username out
    locked = sign_in(anonymous, "alice", PASSWORD, address="192.0.2.50")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.json()["detail"]
    assert int(locked["Retry-After"]) > 0
    User.objects.create_user("bob", password=PASSWORD)
    assert sign_in(anonymous, "bob", PASSWORD, address="192.0.2.50").status_code == 200


@pytest.mark.django_db
def test_repeated_failures_lock_the_address_out_whatever_the_username(anonymous, settings):
    settings.AXES_FAILURE_LIMIT = 3
    User.objects.create_user("carol", password=PASSWORD)
    statuses = [sign_in(anonymous, f"nobody{i}", "guess", address="192.0.2.7").status_code for i in range(3)]
    assert statuses == [401, 401, 429]
    assert sign_in(anonymous, "carol", PASSWORD, address="192.0.2.7").status_code == 429
    assert sign_in(anonymous, "carol", PASSWORD, address="192.0.2.8").status_code == 200


@pytest.mark.django_db
def test_the_admin_login_is_locked_out_after_repeated_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    User.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    statuses = [
        client.post("/admin/login/", {"username": "boss", "password": f"guess{i}"}).status_code for i in range(3)
    ]
    assert statuses == [200, 200, 429]  # the form again with its error, twice; then locked out
    response = client.post("/admin/login/?next=/admin/", {"username": "boss", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still to the login page


@pytest.mark.e2e
def test_the_sign_in_limit_holds_in_total_across_two_gunicorn_workers(tmp_path):
    """Two worker processes of one gunicorn; each request is counted once in Redis, whoever serves it."""
    limit, attempts = 5, 16
    env = service_env(
        "all",
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db'}",
        CACHE_URL=redis_test_url("accounts"),
        KUBESHOP_SIGN_IN_RATE=f"{limit}/min",
        KUBESHOP_SIGN_IN_USERNAME_RATE="1000/min",
        KUBESHOP_SIGN_IN_FAILURE_LIMIT="1000",
    )
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    shop = LocalService("all", env, free_port(), tmp_path / "gunicorn.log")
    shop.launch("--threads", "1", "--access-logformat", "served-by %(p)s %(U)s %(s)s")  # sync workers
    try:
        shop.wait_ready()

        def attempt(i: int) -> int:  # a new connection each, a forged address each, a new username each
            body = {"username": f"nobody{i}", "password": "guess"}
            headers = {"X-Forwarded-For": f"198.51.100.{i}", "Connection": "close"}
            return requests.post(f"{shop.url}/api/auth/token", json=body, headers=headers, timeout=60).status_code

        with ThreadPoolExecutor(8) as pool:  # sync workers: while one checks a password, the other takes a call
            statuses = list(pool.map(attempt, range(attempts)))
    finally:
        shop.stop()
    assert sorted(statuses) == [401] * limit + [429] * (attempts - limit)
    served = re.findall(r"served-by <(\d+)> /api/auth/token (\d+)", shop.log.read_text())
    assert len(served) == attempts
    assert len({pid for pid, _ in served}) == 2, "both workers must have served sign-ins"


def test_concurrent_sign_ins_are_each_counted_once_in_the_shared_cache(settings):
    """Forty sign-ins at once from one address against a limit of five: exactly five get through."""
    from django.core.cache import caches
    from django.test import RequestFactory

    from kubeshop.throttling import SignInRateThrottle

    redis_url = redis_test_url("counting").split("?")[0]
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": redis_url, "KEY_PREFIX": uuid.uuid4().hex}}
    settings.KUBESHOP_SIGN_IN_RATE = "5/min"
    request = RequestFactory().post("/api/auth/token", REMOTE_ADDR="203.0.113.9")

    def attempt(_) -> bool:
        throttle = SignInRateThrottle()
        throttle.cache = caches["default"]
        return throttle.allow_request(request, None)

    with ThreadPoolExecutor(20) as pool:
        allowed = list(pool.map(attempt, range(40)))
    assert allowed.count(True) == 5
