"""Start-up refuses unsafe production settings; a production configuration passes `check --deploy`."""
import pytest

from tests.processes import manage, service_env


@pytest.mark.parametrize(
    "secret", [None, "", "django-insecure-kubeshop-development-key-never-use-in-production", "django-insecure-xyz"]
)
def test_production_refuses_a_missing_or_development_secret_key(secret):
    result = manage("check", env=service_env(DJANGO_SECRET_KEY=secret, DJANGO_DEBUG="false"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set to a real secret" in result.stderr


def test_development_runs_with_the_development_key():
    result = manage("check", env=service_env(DJANGO_SECRET_KEY=None, DJANGO_DEBUG="true"))
    assert result.returncode == 0, result.stderr


def test_https_production_settings_pass_the_deploy_check():
    env = service_env(DJANGO_HTTPS="true", DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="shop.example.com")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_notices_a_missing_security_middleware():
    from django.test import override_settings

    from kubeshop.security import check_security_middleware

    assert check_security_middleware(None) == []
    with override_settings(MIDDLEWARE=["django.middleware.common.CommonMiddleware"]):
        assert [w.id for w in check_security_middleware(None)] == ["kubeshop.W001"]
