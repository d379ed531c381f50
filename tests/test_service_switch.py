"""KUBESHOP_SERVICE mounts one service's routes; split migrate creates only that service's tables."""

import sqlite3

import pytest
from django.urls import Resolver404, resolve

from kubeshop.registry import DOMAIN_APPS, SERVICES, admin_prefix
from tests.processes import manage, service_env

ROUTES = {
    "catalog": ["/api/products", "/api/products/1", "/api/categories"],
    "frontend": ["/", "/api/auth/register", "/api/auth/token"],
}
EVERY_SERVICE = ["/api/schema/", "/api/docs/"]


def mounted(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@pytest.mark.parametrize("service", list(SERVICES))
def test_each_service_mounts_only_its_own_routes(settings, service):
    settings.KUBESHOP_SERVICE = service
    for owner, paths in ROUTES.items():
        for path in paths:
            assert mounted(path) == (service in ("all", owner)), (service, path)
    assert all(mounted(path) for path in EVERY_SERVICE)


@pytest.mark.parametrize("service", list(SERVICES))
def test_each_service_mounts_its_admin_at_a_path_of_its_own(settings, service):
    settings.KUBESHOP_SERVICE = service
    assert resolve(f"/{admin_prefix(service)}").url_name == "index"
    assert mounted("/admin/") == SERVICES[service].owns_accounts  # the frontend's (or the monolith's) admin
    assert admin_prefix(service) == ("admin/" if service in ("all", "frontend") else f"admin/{service}/")


def test_unknown_service_stops_start_up_listing_the_valid_ones():
    result = manage("check", env=service_env("warehouse"))
    assert result.returncode != 0
    assert "KUBESHOP_SERVICE='warehouse' is not a service; expected one of all, catalog, cart, orders" in result.stderr


@pytest.mark.parametrize(("service", "variable"), [("cart", "CATALOG_SERVICE_URL"), ("orders", "PAYMENT_SERVICE_URL")])
def test_a_missing_peer_url_stops_start_up_naming_the_variable(service, variable):
    result = manage("check", env=service_env(service, **{variable: None}))
    assert result.returncode != 0
    assert f"{variable} is not set" in result.stderr


@pytest.mark.parametrize("token", [None, "", "short-and-guessable"])
def test_split_services_refuse_to_start_without_a_strong_service_credential(token):
    result = manage("check", env=service_env("catalog", KUBESHOP_SERVICE_TOKEN=token))
    assert result.returncode != 0
    assert "KUBESHOP_SERVICE_TOKEN is not set or shorter than 32 characters" in result.stderr


@pytest.mark.parametrize(
    "token",
    ["REPLACE-ME-shared-service-credential", "replace-me-" + "x" * 40, "django-insecure-" + "x" * 40],
)
def test_split_services_refuse_to_start_with_a_placeholder_service_credential(token):
    result = manage("check", env=service_env("catalog", KUBESHOP_SERVICE_TOKEN=token))
    assert result.returncode != 0
    assert "KUBESHOP_SERVICE_TOKEN is still a placeholder" in result.stderr


def test_one_process_starts_without_a_service_credential():
    result = manage("check", env=service_env("all", KUBESHOP_SERVICE_TOKEN=None))
    assert result.returncode == 0, result.stderr


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


@pytest.mark.parametrize("service", list(SERVICES))
def test_migrate_creates_only_the_tables_of_the_service_apps(tmp_path, service):
    database = tmp_path / f"{service}.sqlite3"
    result = manage("migrate", "--noinput", env=service_env(service, DATABASE_URL=f"sqlite:///{database}"))
    assert result.returncode == 0, result.stderr
    tables = _tables(database)
    owned = {app for app in DOMAIN_APPS if any(t.startswith(f"{app}_") for t in tables)}
    assert owned <= set(SERVICES[service].apps)
    assert ("catalog_product" in tables) == (service in ("all", "catalog"))
    assert "auth_user" in tables  # Django's own apps are in every service's database
    # Revoked refresh tokens live beside the accounts: the frontend's database (or the monolith's) only.
    assert ("token_blacklist_blacklistedtoken" in tables) == SERVICES[service].owns_accounts
