"""Logs and metrics: JSON lines that follow one order across the services, and /metrics on its own port.

In one process first (the formatter, the order's scope, the counters at their call sites), then over
real processes: the split shop's logs, gunicorn's workers summed on the metrics port, the dispatcher's.
"""

import io
import json
import logging
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import requests
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from kubeshop import logs, transport
from kubeshop.access import order_from_peer
from kubeshop.authentication import SERVICE_TOKEN_HEADER
from kubeshop.registry import SERVICES
from tests.conftest import ShopApi, call_split_shop
from tests.fake_peer import FakePeer, Reply
from tests.processes import JWT_PRIVATE_KEY, JWT_PUBLIC_KEY, Lines, manage, service_env
from tools.localshop import ROOT, LocalService, free_port

DECLINED_CARD = "4000000000000002"
ORDER_ROUTE = "api/orders/<uuid:order_id>"


@pytest.fixture
def json_log() -> Iterator[Callable[[], list[dict]]]:
    """The lines logged meanwhile, formatted as in the pods (KUBESHOP_LOG_FORMAT=json) and parsed back."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.ContextFilter())
    root, access = logging.getLogger(), logging.getLogger("kubeshop.access")
    levels = (root.level, access.level)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    access.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(levels[0])
    access.setLevel(levels[1])


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


# --- in one process ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # real commits: the notice is sent when its row commits, as in production
def test_every_line_of_a_checkout_names_the_service_the_request_and_then_the_order(json_log, customer, make_product):
    mug = make_product("Mug", stock=5)
    customer.post("/api/cart/alice/add", {"productId": mug.id, "quantity": 1}, format="json")
    with logs.scope():  # as a gunicorn thread between two requests: no order named
        response = customer.post("/api/orders/create", {"userId": "alice"}, format="json", HTTP_X_REQUEST_ID="trace-42")
        assert logs.current_order() == ""  # the request's order is forgotten once it ended
    assert response.status_code == 201
    order_id = response.json()["orderId"]

    lines = json_log()
    (access,) = [line for line in lines if line["logger"] == "kubeshop.access" and line["path"] == "/api/orders/create"]
    assert access["service"] == "all" and access["request_id"] == "trace-42"
    assert access["order_id"] == order_id  # the access line knows which order the request placed
    assert (access["route"], access["method"], access["status"]) == ("api/orders/create", "POST", 201)
    notice = [line for line in lines if line["message"].startswith("notification sent to alice")]
    assert [(n["order_id"], n["request_id"]) for n in notice] == [(order_id, "trace-42")]


@pytest.mark.django_db
def test_an_order_named_by_the_route_is_on_the_access_line(json_log, customer):
    order_id = str(uuid.uuid4())
    assert customer.get(f"/api/orders/{order_id}").status_code == 404
    (access,) = [line for line in json_log() if line["logger"] == "kubeshop.access"]
    assert (access["order_id"], access["route"], access["status"]) == (order_id, ORDER_ROUTE, 404)


def test_a_peer_names_the_order_only_beside_a_valid_service_credential(settings):
    settings.KUBESHOP_SERVICE = "payments"  # one process accepts no service credential at all
    order_id = str(uuid.uuid4())

    def named(**headers: str) -> str:
        return order_from_peer(RequestFactory().post("/api/process", headers=headers))

    token = settings.KUBESHOP_SERVICE_TOKEN
    assert named(**{"X-Order-ID": order_id, SERVICE_TOKEN_HEADER: token}) == order_id
    assert named(**{"X-Order-ID": order_id}) == ""  # a customer cannot file lines under someone's order
    assert named(**{"X-Order-ID": order_id, SERVICE_TOKEN_HEADER: "x" * 40}) == ""
    assert named(**{"X-Order-ID": 'x" "injected', SERVICE_TOKEN_HEADER: token}) == ""


def test_a_call_to_a_peer_passes_the_order_on_and_no_order_when_there_is_none(settings):
    peer = FakePeer().start()
    settings.KUBESHOP_SERVICE = "frontend"
    settings.SERVICE_URLS = {**settings.SERVICE_URLS, "payments": peer.url}
    try:
        peer.answer(Reply(200, []), Reply(200, []))
        with logs.scope(order_id="0b5d0c3e-8f1a-4c4e-9f39-1d2e3f4a5b6c"):
            transport.call("GET", "payments", "/api/payments", params={"orderId": "x"})
        with logs.scope():
            transport.call("GET", "payments", "/api/payments", params={"orderId": "x"})
    finally:
        peer.stop()
    first, second = peer.requests
    assert first.headers["X-Order-ID"] == "0b5d0c3e-8f1a-4c4e-9f39-1d2e3f4a5b6c"
    assert "X-Order-ID" not in second.headers


@pytest.mark.django_db
def test_requests_are_counted_by_url_pattern_and_status_never_by_raw_path(customer):
    order_id = str(uuid.uuid4())
    before = sample("kubeshop_http_requests_total", route=ORDER_ROUTE, method="GET", status="404")
    timed = sample("kubeshop_http_request_duration_seconds_count", route=ORDER_ROUTE, method="GET", status="404")
    customer.get(f"/api/orders/{order_id}")
    customer.generic("BREW", "/api/products")
    assert sample("kubeshop_http_requests_total", route=ORDER_ROUTE, method="GET", status="404") == before + 1
    assert sample("kubeshop_http_request_duration_seconds_count", route=ORDER_ROUTE, method="GET", status="404") == (
        timed + 1
    )
    routes = {s.labels.get("route") for m in REGISTRY.collect() for s in m.samples}
    methods = {s.labels.get("method") for m in REGISTRY.collect() for s in m.samples}
    assert not any(order_id in (route or "") for route in routes)
    assert "other" in methods and "BREW" not in methods  # a client's invented method is one label, not many


@pytest.mark.django_db
def test_checkout_outcomes_are_counted_by_result(customer, make_product):
    results = ("placed", "declined", "short_stock", "cart_empty")
    before = {r: sample("kubeshop_checkouts_total", result=r) for r in results}
    mug = make_product("Mug", stock=1)

    def checkout(quantity: int, **body) -> int:
        if quantity:
            customer.post("/api/cart/alice/add", {"productId": mug.id, "quantity": quantity}, format="json")
        return customer.post("/api/orders/create", {"userId": "alice", **body}, format="json").status_code

    assert checkout(1, card=DECLINED_CARD) == 402
    assert checkout(0) == 201  # the declined line is still in the cart
    assert checkout(0) == 400
    assert checkout(2) == 409
    assert {r: sample("kubeshop_checkouts_total", result=r) - before[r] for r in results} == dict.fromkeys(results, 1)


@pytest.mark.django_db(transaction=True)  # the dispatcher closes old connections each round
def test_a_dispatcher_round_sets_the_outbox_backlog_and_counts_the_stale_checkouts_it_swept(settings, make_product):
    from orders import outbox
    from orders.models import Order, OrderItem, OutboxEvent

    settings.KUBESHOP_SWEEP_AFTER = 60
    later, now = timezone.now() + timedelta(hours=1), timezone.now()
    waiting = outbox.record("order.paid", order_id=uuid.uuid4(), userId="alice", message="Paid.")
    parked = outbox.record("order.paid", order_id=uuid.uuid4(), userId="bob", message="Paid.")
    OutboxEvent.objects.filter(pk=waiting.pk).update(next_attempt_at=later)
    OutboxEvent.objects.filter(pk=parked.pk).update(dead_at=now)
    mug = make_product("Mug", stock=3)
    stale = Order.objects.create(user_id="alice", total_amount="12.50")
    OrderItem.objects.create(order=stale, product_id=mug.id, name="Mug", quantity=1, price="12.50")
    Order.objects.filter(pk=stale.pk).update(created_at=now - timedelta(seconds=61))
    swept = sample("kubeshop_stale_orders_swept_total", outcome="failed")

    call_command("deliver_outbox", "--once")
    assert sample("kubeshop_outbox_events", state="pending") == 1
    assert sample("kubeshop_outbox_events", state="dead") == 1
    assert sample("kubeshop_stale_orders_swept_total", outcome="failed") == swept + 1  # never charged: compensated


@pytest.mark.parametrize("service", SERVICES)
def test_no_service_routes_metrics_on_its_public_port(service):
    with override_settings(KUBESHOP_SERVICE=service), pytest.raises(Resolver404):
        resolve("/metrics")


# --- over real processes -------------------------------------------------------------------------


def scrape(port: int) -> dict[tuple[str, frozenset], float]:
    """Every sample a metrics port serves, by name and labels; fails unless it is the Prometheus text format."""
    answer = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def labels(**pairs: str) -> frozenset:
    return frozenset(pairs.items())


@pytest.mark.e2e
def test_one_grep_follows_an_order_through_the_orders_payments_and_notifications_logs(settings, split_shop):
    call_split_shop(settings, split_shop, as_service="frontend")
    api, user = ShopApi(split_shop), f"tracer{uuid.uuid4().hex[:6]}"
    api.add_to_cart(user, api.make_product(f"Traced Mug {user}", stock=3))
    status, order = api.call("orders", "POST", "/api/orders/create", user=user, body={"userId": user})
    assert status == 201, order
    needle = f'"order_id": "{order["orderId"]}"'  # what an operator greps for

    def grep(service: str) -> list[dict]:
        return [json.loads(line) for line in split_shop[service].log.read_text().splitlines() if needle in line]

    if not grep("notifications"):  # the quick attempt after commit lost to a loaded machine: the dispatcher's turn
        split_shop["orders"].manage("deliver_outbox", "--once", "--ignore-backoff")
    found = {service: grep(service) for service in ("orders", "payments", "notifications")}
    for service, lines in found.items():
        assert lines and {line["service"] for line in lines} == {service}, (service, lines)
    (placed,) = [line for line in found["orders"] if line.get("route") == "api/orders/create"]
    (charged,) = [line for line in found["payments"] if line.get("route") == "api/process"]
    assert charged["request_id"] == placed["request_id"]  # the checkout's request id crossed to payments
    assert any(line["message"].startswith(f"notification sent to {user}") for line in found["notifications"])


@pytest.mark.e2e
def test_metrics_sum_every_gunicorn_worker_on_their_own_port_and_never_answer_on_the_public_one(settings, tmp_path):
    metrics_port, metrics_dir = free_port(), tmp_path / "metrics"
    env = service_env(
        "all",
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db'}",
        KUBESHOP_LOG_FORMAT="json",
        KUBESHOP_METRICS_PORT=str(metrics_port),
        KUBESHOP_METRICS_ADDRESS="127.0.0.1",
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        KUBESHOP_COMPRESS_STATIC="false",
    )
    assert manage("migrate", "--noinput", env=env).returncode == 0
    assert manage("collectstatic", "--noinput", env=env).returncode == 0  # as the image: the 404 page needs it
    metrics_dir.mkdir()
    # What an earlier run left in the pod's /tmp (it survives a container restart): wiped at start.
    earlier = (
        "from kubeshop import metrics; "
        "metrics.observe_request(route='api/products', method='GET', status=200, seconds=1)"
    )
    subprocess.run([sys.executable, "-c", earlier], cwd=ROOT, env=env, check=True)
    assert list(metrics_dir.glob("counter_*.db"))
    shop = LocalService("all", env, free_port(), tmp_path / "gunicorn.log")
    # As the image runs it (./gunicorn.conf.py), each worker replaced after 3 requests: many processes count.
    gunicorn = [sys.executable, "-m", "gunicorn", "kubeshop.wsgi", "--bind", f"127.0.0.1:{shop.port}"]
    command = [*gunicorn, "--workers", "2", "--max-requests", "3", "--no-control-socket"]
    settings.KUBESHOP_JWT_PRIVATE_KEY, settings.KUBESHOP_JWT_PUBLIC_KEY = JWT_PRIVATE_KEY, JWT_PUBLIC_KEY
    api = ShopApi(dict.fromkeys(SERVICES, shop))
    with shop.log.open("ab") as log:
        shop.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        shop.wait_ready()
        listed = [requests.get(f"{shop.url}/api/products", timeout=30).status_code for _ in range(12)]
        public = requests.get(f"{shop.url}/metrics", timeout=30)
        api.add_to_cart("alice", api.make_product("Counted Mug", stock=1))
        declined = api.call(
            "orders", "POST", "/api/orders/create", user="alice", body={"userId": "alice", "card": DECLINED_CARD}
        )
        placed = api.call("orders", "POST", "/api/orders/create", user="alice", body={"userId": "alice"})
        scraped = scrape(metrics_port)
        counted_by = {f.stem.rsplit("_", 1)[1] for f in metrics_dir.glob("counter_*.db")}
    finally:
        shop.stop()
    assert not list(metrics_dir.glob("*.db"))  # removed at exit
    assert listed == [200] * 12 and (declined[0], placed[0]) == (402, 201)
    assert public.status_code == 404 and "kubeshop_http" not in public.text
    products = labels(route="api/products", method="GET", status="200")
    assert scraped[("kubeshop_http_requests_total", products)] == 12  # the earlier run's one is not among them
    assert scraped[("kubeshop_http_request_duration_seconds_count", products)] == 12
    assert scraped[("kubeshop_checkouts_total", labels(result="placed"))] == 1
    assert scraped[("kubeshop_checkouts_total", labels(result="declined"))] == 1
    assert len(counted_by) > 2  # summed over workers, those already replaced included
    for line in shop.log.read_text().splitlines():  # gunicorn's own lines as well as the shop's
        assert json.loads(line)["service"] == "all", line


@pytest.mark.e2e
def test_the_dispatcher_serves_the_outbox_backlog_on_its_own_metrics_port(tmp_path):
    metrics_port = free_port()
    env = service_env(
        "all",
        DJANGO_DEBUG="false",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db'}",
        KUBESHOP_METRICS_PORT=str(metrics_port),
        KUBESHOP_METRICS_ADDRESS="127.0.0.1",
    )
    assert manage("migrate", "--noinput", env=env).returncode == 0
    park = (
        "import uuid; from django.utils import timezone; from orders import outbox; "
        "e = outbox.record('order.paid', order_id=uuid.uuid4(), userId='alice', message='Paid.'); "
        "type(e).objects.filter(pk=e.pk).update(dead_at=timezone.now())"
    )
    parked = manage("shell", "--no-imports", "-c", park, env=env)
    assert parked.returncode == 0, parked.stderr
    command = [sys.executable, "manage.py", "deliver_outbox", "--interval", "60", "--verbosity", "2"]
    dispatcher = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        Lines(dispatcher).wait_for("nothing due")  # its first round is over: the backlog is measured
        scraped = scrape(metrics_port)
    finally:
        dispatcher.terminate()
        dispatcher.wait(timeout=30)
    assert scraped[("kubeshop_outbox_events", labels(state="dead"))] == 1
    assert scraped[("kubeshop_outbox_events", labels(state="pending"))] == 0
    assert scraped[("kubeshop_stale_orders_swept_total", labels(outcome="failed"))] == 0
