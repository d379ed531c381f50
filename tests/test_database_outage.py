"""A database that cannot be reached: 503 with Retry-After on every route and page, and recovery without a restart."""

import json
from contextlib import contextmanager

import psycopg2
import pytest
import requests
from django.db import connection

from tests.fake_peer import closed_port
from tests.live import _postgres_server_url
from tests.processes import manage, service_env
from tools.localshop import start_shop, stop_shop

pytestmark = pytest.mark.e2e
USER, PASSWORD = "olga", "correct-horse-battery-staple"

# (method, path, signed in as USER, JSON body): the API of every app, sign-in, the storefront, readiness
CALLS = [
    ("GET", "/api/products", False, None),
    ("GET", f"/api/cart/{USER}", True, None),
    ("GET", f"/api/orders?userId={USER}", True, None),
    ("POST", "/api/auth/token", False, {"username": USER, "password": PASSWORD}),
    ("GET", "/", False, None),
    ("GET", "/readyz", False, None),
]
PAGES = {"/"}
# With a shared cache (CACHE_URL=redis://…) the catalog's reads, read before the outage, keep being answered
# from it: they cannot be stale, as nothing can be written while the database is down.
CACHED_READS = {"/api/products", "/"}

IN_A_CHILD = """
import json
from conftest import client_for
from rest_framework.test import APIClient
for method, path, signed_in, body in json.loads({calls!r}):
    client = client_for({user!r}) if signed_in else APIClient()
    client.raise_request_exception = False  # what a server would answer, not the exception
    r = client.generic(method, path, json.dumps(body) if body else "", content_type="application/json")
    print(json.dumps([r.status_code, r.headers.get("Retry-After"), r["Content-Type"], r.content.decode()]))
"""


def check_unavailable(path: str, status: int, retry_after: str | None, content_type: str, body: str) -> None:
    assert status == 503, (path, status, body[:300])
    if path == "/readyz":
        assert json.loads(body)["status"] == "unavailable"
    elif path in PAGES:
        assert content_type.startswith("text/html") and retry_after, (path, content_type, retry_after)
        assert "try again" in body and "Traceback" not in body and "Error" not in body
    else:
        assert content_type == "application/json" and retry_after, (path, content_type, retry_after)
        assert "try again" in json.loads(body)["detail"]


def test_without_its_database_file_every_route_and_page_answers_503_with_retry_after():
    env = service_env(
        "all", DATABASE_URL="sqlite:////nonexistent-directory/kubeshop.sqlite3", DJANGO_ALLOWED_HOSTS="testserver"
    )
    result = manage("shell", "--no-imports", "-c", IN_A_CHILD.format(calls=json.dumps(CALLS), user=USER), env=env)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == len(CALLS)
    for (_, path, _, _), answer in zip(CALLS, answers, strict=True):
        check_unavailable(path, *answer)


def test_without_the_shared_cache_sign_in_answers_503_with_retry_after_not_500():
    account = {"username": USER, "password": PASSWORD, "email": "olga@example.com"}
    calls = [("POST", "/api/auth/token", False, account), ("POST", "/api/auth/register", False, account)]
    refusing = closed_port()  # the sign-in limits' Redis, gone
    env = service_env(
        "all",
        DATABASE_URL="sqlite://",
        DJANGO_ALLOWED_HOSTS="testserver",
        CACHE_URL=f"redis://127.0.0.1:{refusing.getsockname()[1]}/0",
    )
    result = manage("shell", "--no-imports", "-c", IN_A_CHILD.format(calls=json.dumps(calls), user=USER), env=env)
    assert result.returncode == 0, result.stderr
    for (_, path, _, _), answer in zip(calls, map(json.loads, result.stdout.splitlines()), strict=True):
        check_unavailable(path, *answer)
    refusing.close()


# --- PostgreSQL, a real gunicorn -------------------------------------------------------------------


@pytest.fixture(scope="module")
def monolith(tmp_path_factory, django_db_blocker):
    """The whole shop as one gunicorn process (two workers, four threads each) on a PostgreSQL database of its own."""
    with django_db_blocker.unblock():
        server, prefix = _postgres_server_url(), f"{connection.settings_dict['NAME']}_outage_"
    shop = start_shop(
        ["all"],
        tmp_path_factory.mktemp("outage"),
        postgres_url=server,
        database_prefix=prefix,
        extra_env={"KUBESHOP_SIGN_IN_RATE": "100000/min"},
    )
    yield shop["all"], server, f"{prefix}all"
    stop_shop(shop)


@contextmanager
def superuser(server: str):
    admin = psycopg2.connect(server)
    admin.autocommit = True  # ALTER DATABASE cannot run in a transaction
    try:
        with admin.cursor() as cursor:
            yield cursor
    finally:
        admin.close()


def drop_connections(cursor, database: str) -> int:
    """Terminate every backend of `database`, wait until they are gone (a backend ends asynchronously), count them."""
    cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [database])
    terminated = cursor.rowcount
    for _ in range(500):
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database])
        if cursor.fetchone()[0] == 0:
            return terminated
        cursor.execute("SELECT pg_sleep(0.01)")  # polling for a condition, not waiting out a race
    raise AssertionError(f"backends of {database} still alive")


def call_all(url: str, token: str) -> list[requests.Response]:
    answers = []
    for method, path, signed_in, body in CALLS:
        headers = {"Authorization": f"Bearer {token}"} if signed_in else {}
        answers.append(requests.request(method, f"{url}{path}", json=body, headers=headers, timeout=30))
    return answers


@pytest.mark.postgres
def test_a_database_that_refuses_connections_is_a_503_everywhere_and_the_shop_recovers_without_restart(monolith):
    service, server, database = monolith
    account = {"username": USER, "password": PASSWORD, "email": "olga@example.com"}
    assert requests.post(f"{service.url}/api/auth/register", json=account, timeout=30).status_code == 201
    token = requests.post(f"{service.url}/api/auth/token", json=account, timeout=30).json()["token"]
    pid = service.process.pid
    for _ in range(3):  # every worker thread holds a persistent connection (CONN_MAX_AGE)
        assert [r.status_code for r in call_all(service.url, token)] == [200] * len(CALLS)

    with superuser(server) as cursor:
        # The workers' persistent connections break while the database still answers: each is found
        # broken by the health check (CONN_HEALTH_CHECKS) and replaced, so not one request fails.
        assert drop_connections(cursor, database) > 0
        assert [r.status_code for r in call_all(service.url, token)] == [200] * len(CALLS)
        try:
            cursor.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false')
            drop_connections(cursor, database)
            shared_cache = service.env.get("CACHE_URL", "").startswith("redis")
            for _ in range(2):
                for (_, path, _, _), r in zip(CALLS, call_all(service.url, token), strict=True):
                    if shared_cache and path in CACHED_READS:
                        assert r.status_code == 200, (path, r.status_code, r.text[:300])
                        continue
                    retry_after, content_type = r.headers.get("Retry-After"), r.headers["Content-Type"]
                    check_unavailable(path, r.status_code, retry_after, content_type, r.text)
        finally:
            cursor.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true')

    assert [r.status_code for r in call_all(service.url, token)] == [200] * len(CALLS)
    assert (service.process.pid, service.process.poll()) == (pid, None)  # the same gunicorn, never restarted


def test_a_live_monolith_refuses_the_service_credential(monolith):
    service = monolith[0]
    headers = {"X-Service-Token": service.env["KUBESHOP_SERVICE_TOKEN"], "X-Acting-User": USER, "Idempotency-Key": "k1"}
    charge = {"userId": USER, "amount": "5.00", "orderId": "order-1"}
    response = requests.post(f"{service.url}/api/process", json=charge, headers=headers, timeout=30)
    assert response.status_code == 401, response.text
    assert (
        requests.post(
            f"{service.url}/api/notify", json={"userId": USER, "message": "hi"}, headers=headers, timeout=30
        ).status_code
        == 401
    )
