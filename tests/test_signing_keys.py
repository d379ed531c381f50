"""The identity key pair at start-up: only the frontend (or the monolith) holds the private key,
every service needs the public one, and the published development pair is refused in production."""

import pytest

from kubeshop import keys
from kubeshop.identity import issue_token
from tests.processes import JWT_PRIVATE_KEY, JWT_PUBLIC_KEY, manage, service_env

PRODUCTION = {"DJANGO_DEBUG": "false", "DATABASE_URL": "sqlite://"}


def check(service: str, **env: str | None) -> tuple[int, str]:
    result = manage("check", env=service_env(service, **PRODUCTION, **env))
    return result.returncode, result.stderr


@pytest.mark.parametrize("service", ["all", "frontend", "catalog", "orders"])
def test_every_service_starts_with_the_keys_it_is_given(service):
    code, stderr = check(service)
    assert code == 0, stderr


def test_a_service_that_does_not_hold_the_accounts_refuses_the_private_key():
    code, stderr = check("catalog", KUBESHOP_JWT_PRIVATE_KEY=JWT_PRIVATE_KEY)
    assert code != 0 and "only the service that holds the accounts may sign identity tokens" in stderr


@pytest.mark.parametrize("service", ["all", "frontend"])
def test_the_service_holding_the_accounts_needs_the_private_key(service):
    code, stderr = check(service, KUBESHOP_JWT_PRIVATE_KEY=None)
    assert code != 0 and f"KUBESHOP_JWT_PRIVATE_KEY is not set: KUBESHOP_SERVICE={service}" in stderr


def test_a_service_without_the_public_key_does_not_start():
    code, stderr = check("cart", KUBESHOP_JWT_PUBLIC_KEY=None)
    assert code != 0 and "KUBESHOP_JWT_PUBLIC_KEY is not set" in stderr


@pytest.mark.parametrize("variable", ["KUBESHOP_JWT_PUBLIC_KEY", "KUBESHOP_JWT_PRIVATE_KEY"])
def test_a_placeholder_or_mismatched_key_does_not_start(variable):
    code, stderr = check("frontend", **{variable: "REPLACE-ME-with-a-pem-key"})
    assert code != 0 and "not a PEM" in stderr
    code, stderr = check("frontend", KUBESHOP_JWT_PUBLIC_KEY=keys.public_pem_of(keys.generate_private_pem()))
    assert code != 0 and "is not the public half of KUBESHOP_JWT_PRIVATE_KEY" in stderr


def test_production_refuses_the_published_development_key_pair():
    code, stderr = check("all", KUBESHOP_JWT_PRIVATE_KEY=keys.DEV_PRIVATE_KEY, KUBESHOP_JWT_PUBLIC_KEY=None)
    assert code != 0 and "published development key pair" in stderr
    code, stderr = check("all", KUBESHOP_JWT_PRIVATE_KEY=None, KUBESHOP_JWT_PUBLIC_KEY=None)
    assert code != 0 and "KUBESHOP_JWT_PRIVATE_KEY is not set" in stderr


def test_development_runs_with_the_development_key_pair():
    env = service_env("all", DJANGO_DEBUG="true", KUBESHOP_JWT_PRIVATE_KEY=None, KUBESHOP_JWT_PUBLIC_KEY=None)
    assert manage("check", env=env).returncode == 0


def test_a_split_service_verifies_tokens_of_the_frontend_but_cannot_mint_one(settings):
    settings.KUBESHOP_JWT_PRIVATE_KEY, settings.KUBESHOP_JWT_PUBLIC_KEY = JWT_PRIVATE_KEY, JWT_PUBLIC_KEY
    token = issue_token(username="alice", is_staff=True)
    code = (
        "from kubeshop.identity import issue_token, verify_token, CannotSign\n"
        f"print(verify_token({token!r}))\n"
        "try:\n    issue_token(username='mallory', is_staff=True)\n"
        "except CannotSign as exc:\n    print('cannot sign:', exc)\n"
    )
    result = manage("shell", "--no-imports", "-c", code, env=service_env("catalog", **PRODUCTION))
    assert result.returncode == 0, result.stderr
    assert "Identity(username='alice', email='', is_staff=True" in result.stdout
    assert "cannot sign: KUBESHOP_SERVICE=catalog holds no signing key" in result.stdout
