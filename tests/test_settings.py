"""Start-up refuses unsafe production settings; a production configuration passes `check --deploy`."""

import re
import subprocess
import sys

import pytest

from tests.processes import ROOT, get_in_process, manage, service_env
from tools.localshop import free_port


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


def test_a_process_started_without_debug_or_a_secret_key_refuses_to_start(tmp_path):
    env = service_env(DJANGO_SECRET_KEY=None, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert "DJANGO_DEBUG" not in env
    checked = manage("check", env=env)
    assert checked.returncode != 0
    assert "DJANGO_SECRET_KEY must be set to a real secret" in checked.stderr
    command = [sys.executable, "-m", "gunicorn", "kubeshop.wsgi", "--bind", f"127.0.0.1:{free_port()}"]
    served = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert served.returncode != 0
    assert "DJANGO_SECRET_KEY must be set to a real secret" in served.stderr


def test_with_a_secret_key_and_no_debug_setting_a_404_lists_no_routes():
    production = get_in_process("/no-such-page", env=service_env())
    development = get_in_process("/no-such-page", env=service_env(DJANGO_DEBUG="true"))
    assert development.startswith("404 ") and "api/products" in development  # debug's page lists every route
    assert production.startswith("404 ") and "api/products" not in production


def test_the_image_turns_debug_off():
    assert re.search(r"^ENV [^#]*\bDJANGO_DEBUG=false\b", (ROOT / "Dockerfile").read_text(), re.M | re.S)
