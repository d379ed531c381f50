"""The catalog's cached reads are never stale: a write through one gunicorn worker is seen by the very
next read through the other — a product edited, taken off sale, stock taken by a checkout's
reservation and given back — while that other worker really does answer from the shared cache."""

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from conftest import TEST_SERVICE_TOKEN
from kubeshop.authentication import SERVICE_TOKEN_HEADER
from kubeshop.identity import issue_token
from tests.live import redis_test_url
from tests.processes import JWT_PRIVATE_KEY, JWT_PUBLIC_KEY, manage, service_env
from tools.localshop import ROOT, LocalService, free_port

pytestmark = pytest.mark.e2e


class TwoWorkers:
    """The catalog service as two gunicorn processes on one database and one Redis: two workers (or two
    replicas) as far as anything a process keeps goes. Calls go to each in turn; reads, to both.

    Two processes rather than one gunicorn with two workers: which worker the kernel hands a connection
    to is not ours to choose, and on a busy machine one worker can take every one of them.
    """

    def __init__(self, tmp_path: Path):
        self.env = service_env(
            "catalog",
            DJANGO_DEBUG="false",
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=f"sqlite:///{tmp_path / 'catalog.sqlite3'}",
            CACHE_URL=redis_test_url("catalog"),
        )
        migrated = manage("migrate", "--noinput", env=self.env)
        assert migrated.returncode == 0, migrated.stderr
        self.workers = [self._start(tmp_path / f"gunicorn-{n}.log") for n in (1, 2)]
        self.turn = 0

    def _start(self, log: Path) -> LocalService:
        worker = LocalService("catalog", self.env, free_port(), log)
        command = [sys.executable, "-m", "gunicorn", "kubeshop.wsgi", "--bind", f"127.0.0.1:{worker.port}"]
        with worker.log.open("ab") as out:
            worker.process = subprocess.Popen(
                [*command, "--workers", "1"], cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        worker.wait_ready()
        return worker

    def call(self, method: str, path: str, *, headers: dict | None = None, **kwargs) -> requests.Response:
        """One request, through the worker whose turn it is."""
        worker, self.turn = self.workers[self.turn], 1 - self.turn
        return requests.request(method, f"{worker.url}{path}", headers=headers, timeout=30, **kwargs)

    def read_through_both(self, path: str) -> list[requests.Response]:
        """A read of `path` through each worker."""
        return [requests.get(f"{worker.url}{path}", timeout=30) for worker in self.workers]

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    shop = TwoWorkers(tmp_path_factory.mktemp("catalog-cache"))
    yield shop
    shop.stop()


@pytest.fixture
def staff(settings) -> dict[str, str]:
    settings.KUBESHOP_JWT_PRIVATE_KEY = JWT_PRIVATE_KEY  # the key pair the shop verifies with
    settings.KUBESHOP_JWT_PUBLIC_KEY = JWT_PUBLIC_KEY
    return {"Authorization": f"Bearer {issue_token(username='boss', is_staff=True)}"}


SERVICE = {SERVICE_TOKEN_HEADER: TEST_SERVICE_TOKEN}


def behind_the_shops_back(catalog: TwoWorkers, product_id: int, **fields) -> None:
    """Change a row without the catalog's services, so nothing tells the cache."""
    code = f"from catalog.models import Product; Product.objects.filter(pk={product_id}).update(**{fields!r})"
    changed = manage("shell", "--no-imports", "-c", code, env=catalog.env)
    assert changed.returncode == 0, changed.stderr


def each(answers: list[requests.Response], field: str) -> set:
    return {a.json()[field] if isinstance(a.json(), dict) else a.json()[0][field] for a in answers}


def test_reads_come_from_the_shared_cache_until_a_write_through_either_worker(catalog, staff):
    name = f"Cached Mug {uuid.uuid4().hex[:6]}"
    created = catalog.call("POST", "/api/products", headers=staff, json={"name": name, "price": "9.90", "stock": 10})
    assert created.status_code == 201, created.text
    detail, listing = f"/api/products/{created.json()['id']}", f"/api/products?q={name.replace(' ', '+')}"
    assert each(catalog.read_through_both(detail), "price") == {"9.90"}
    assert each(catalog.read_through_both(listing), "price") == {"9.90"}

    behind_the_shops_back(catalog, created.json()["id"], price="1.00")
    assert each(catalog.read_through_both(detail), "price") == {"9.90"}  # both workers answer from the cache
    assert each(catalog.read_through_both(listing), "price") == {"9.90"}

    changed = catalog.call("PATCH", detail, headers=staff, json={"name": name, "price": "12.50"})
    assert changed.status_code == 200, changed.text
    # every read, from the first on, whichever worker serves it: the writer's and the other one
    assert each(catalog.read_through_both(detail), "price") == {"12.50"}
    assert each(catalog.read_through_both(listing), "price") == {"12.50"}


def test_stock_taken_and_given_back_by_a_checkout_is_read_at_once_through_both_workers(catalog, staff):
    name = f"Stocked Kettle {uuid.uuid4().hex[:6]}"
    created = catalog.call("POST", "/api/products", headers=staff, json={"name": name, "price": "20.00", "stock": 5})
    product = created.json()["id"]
    detail, listing = f"/api/products/{product}", f"/api/products?q={name.replace(' ', '+')}"
    assert each(catalog.read_through_both(detail), "stock") == {5}
    assert each(catalog.read_through_both(listing), "stock") == {5}

    order = f"order-{uuid.uuid4().hex[:8]}"
    body = {"orderId": order, "lines": [{"productId": product, "quantity": 3}]}
    reserved = catalog.call("POST", "/api/reservations", headers=SERVICE, json=body)
    assert reserved.status_code == 201, reserved.text
    assert each(catalog.read_through_both(detail), "stock") == {2}
    assert each(catalog.read_through_both(listing), "stock") == {2}

    released = catalog.call("POST", f"/api/reservations/{order}/release", headers=SERVICE)
    assert released.status_code == 200, released.text
    assert each(catalog.read_through_both(detail), "stock") == {5}
    assert each(catalog.read_through_both(listing), "stock") == {5}


def test_a_product_taken_off_sale_is_gone_at_once_from_both_workers(catalog, staff):
    name = f"Withdrawn Lamp {uuid.uuid4().hex[:6]}"
    created = catalog.call("POST", "/api/products", headers=staff, json={"name": name, "price": "5.00", "stock": 1})
    detail, listing = f"/api/products/{created.json()['id']}", f"/api/products?q={name.replace(' ', '+')}"
    assert {a.status_code for a in catalog.read_through_both(detail)} == {200}
    assert [len(a.json()) for a in catalog.read_through_both(listing)][-1] == 1

    withdrawn = catalog.call("DELETE", detail, headers=staff)
    assert withdrawn.status_code == 204
    assert {a.status_code for a in catalog.read_through_both(detail)} == {404}
    assert {len(a.json()) for a in catalog.read_through_both(listing)} == {0}
