"""Fixtures shared by every test: API callers with each kind of identity, and catalog data."""

import os

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import Resolver404, resolve
from rest_framework.test import APIClient

from kubeshop import transport
from kubeshop.authentication import ACTING_USER_HEADER, SERVICE_TOKEN_HEADER
from kubeshop.identity import issue_token
from kubeshop.registry import MONOLITH, owner_of
from tests import transactions, urlconfs

urlconfs.follow_the_service_switch()

TEST_SERVICE_TOKEN = "test-service-token-for-the-kubeshop-suite-0123456789"


def pytest_sessionfinish(session, exitstatus):
    """In CI (KUBESHOP_FORBID_SKIPS=1) a skipped test fails the run: everything must really run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("KUBESHOP_FORBID_SKIPS") == "1" and skipped and exitstatus == 0:
        reporter.write_line(f"KUBESHOP_FORBID_SKIPS=1 but {len(skipped)} tests were skipped", red=True)
        session.exitstatus = 1


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs the PostgreSQL test database: run with DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _service_credential(settings, monkeypatch):
    settings.KUBESHOP_SERVICE_TOKEN = TEST_SERVICE_TOKEN
    transactions.install_block_counter()
    monkeypatch.setattr(transport, "runs_here", transactions.refusing_calls_in_transaction(transport.runs_here))
    # The hashed-name manifest exists only after collectstatic, which the image runs, not the suite.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.KUBESHOP_SIGN_IN_RATE = "100000/min"  # one address signs up every test user
    settings.KUBESHOP_SIGN_IN_USERNAME_RATE = "100000/min"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed, not security


@pytest.fixture(autouse=True)
def _fresh_catalog_cache():
    """Every test's database is rolled back: what the catalog cached from it (CACHE_URL=redis) goes too."""
    from catalog import cache

    if cache.enabled():
        cache.move_on()


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


def client_for(username: str, *, staff: bool = False) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(username=username, is_staff=staff)}")
    return client


def owning_service(path: str) -> str:
    """The split service that serves `path`: the owner of the app whose view the monolith routes it to."""
    with override_settings(KUBESHOP_SERVICE=MONOLITH):
        try:
            view = resolve(path).func
        except Resolver404:
            return MONOLITH
    return owner_of(getattr(view, "cls", view).__module__.split(".")[0]).name


class PeerServiceClient(APIClient):
    """A peer service's calls, each served as the split service owning the route serves it.

    The credential opens nothing in one process, so a test of a service-to-service call is a test of
    a split service, as in production; other apps' clients then go over HTTP, so such a route's own
    work must not call a peer unless the test points SERVICE_URLS at one.
    """

    def request(self, **request):
        with override_settings(KUBESHOP_SERVICE=owning_service(request["PATH_INFO"])):
            return super().request(**request)


def service_client(acting_for: str = "", *, client_class: type[APIClient] = PeerServiceClient) -> APIClient:
    client = client_class()
    client.credentials(
        **{
            f"HTTP_{SERVICE_TOKEN_HEADER.upper().replace('-', '_')}": TEST_SERVICE_TOKEN,
            f"HTTP_{ACTING_USER_HEADER.upper().replace('-', '_')}": acting_for,
        }
    )
    return client


@pytest.fixture
def customer() -> APIClient:
    return client_for("alice")


@pytest.fixture
def other_customer() -> APIClient:
    return client_for("bob")


@pytest.fixture
def staff() -> APIClient:
    return client_for("carol", staff=True)


@pytest.fixture
def service() -> APIClient:
    return service_client()


@pytest.fixture
def make_product(db):
    from catalog.models import Category, Product

    def make(name: str = "Blue Mug", *, price: str = "12.50", stock: int = 10, category: str = "", **extra):
        cat = (
            Category.objects.get_or_create(slug=category, defaults={"name": category.title()})[0] if category else None
        )
        slug = extra.pop("slug", None) or f"{name.lower().replace(' ', '-')}-{Product.objects.count() + 1}"
        return Product.objects.create(name=name, slug=slug, price=price, stock=stock, category=cat, **extra)

    return make
