"""Liveness and readiness probes, as Kubernetes sends them."""

import pytest

from tests.processes import get_in_process, manage, service_env


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_a_bare_pod_ip_over_plain_http_with_https_enforced(client, settings, path):
    settings.ALLOWED_HOSTS = ["shop.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(path, HTTP_HOST="10.244.1.17:8000")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    # the door stays closed for everything else: unknown hosts refused, plain HTTP redirected
    assert client.get("/api/products", HTTP_HOST="10.244.1.17:8000").status_code == 400
    assert client.get("/api/products", HTTP_HOST="shop.example.com").status_code == 301


def test_liveness_does_no_io(client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("service", ["all", "payments"])
def test_readiness_is_503_until_migrations_are_applied(tmp_path, service):
    env = service_env(service, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert get_in_process("/readyz", env=env).startswith("503 ")
    assert manage("migrate", "--noinput", env=env).returncode == 0
    assert get_in_process("/readyz", env=env) == '200 {"status": "ok"}'


@pytest.mark.parametrize(
    "database_url",
    ["postgres://kubeshop@127.0.0.1:1/kubeshop", "sqlite:////nonexistent-directory/kubeshop.sqlite3"],
)
def test_readiness_is_503_when_the_database_is_unreachable(database_url):
    status, body = get_in_process("/readyz", env=service_env("catalog", DATABASE_URL=database_url)).split(" ", 1)
    assert status == "503"
    assert '"detail": "database: OperationalError"' in body


@pytest.mark.django_db
def test_only_calls_with_the_valid_credential_between_split_services_skip_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.KUBESHOP_SERVICE = "cart"
    from conftest import TEST_SERVICE_TOKEN

    browser = client.get("/api/cart/alice")
    service = client.get("/api/cart/alice", HTTP_X_SERVICE_TOKEN=TEST_SERVICE_TOKEN, HTTP_X_ACTING_USER="alice")
    forged = client.get("/api/cart/alice", HTTP_X_SERVICE_TOKEN="guess", HTTP_X_ACTING_USER="alice")
    assert (browser.status_code, service.status_code, forged.status_code) == (301, 200, 301)
    settings.KUBESHOP_SERVICE = "all"  # one process: the credential opens nothing, not even plain HTTP
    assert client.get("/api/cart/alice", HTTP_X_SERVICE_TOKEN=TEST_SERVICE_TOKEN).status_code == 301
