"""Faults at every step of checkout and cancel, then the books: paid once with stock sold, or nothing stands.

Each test runs twice: with every app in this process (`local`), and with the orders saga in this
process and catalog, cart, payments and notifications as the split shop's gunicorn services (`http`).
A killed process is a BaseException raised at the step (nothing after it runs, as with SIGKILL);
a database error is an OperationalError inside the transaction that writes the outcome; a peer down
is a closed port; a slow peer is a socket that never answers.
"""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from catalog import client as catalog
from conftest import client_for
from kubeshop.errors import Unavailable
from orders import outbox, sweeper
from orders.models import IdempotencyRecord, Order, OrderStatus, OutboxEvent
from payments import client as payments
from tests.conftest import ShopApi, call_split_shop
from tests.fake_peer import HeldProxy, closed_port, silent_listener

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """The process died here: no except clause of the code under test runs for it."""


@dataclass
class Shopper:
    api: ShopApi
    mode: str
    user: str
    product: int
    stock: int
    quantity: int

    def checkout(self, key: str = "key-1", **body):
        client = client_for(self.user)
        client.raise_request_exception = False  # a crash is a 500 here, as gunicorn would answer it
        return client.post("/api/orders/create", {"userId": self.user, **body}, format="json", HTTP_IDEMPOTENCY_KEY=key)

    def cancel(self, order_id):
        client = client_for(self.user)
        client.raise_request_exception = False
        return client.post(f"/api/orders/{order_id}/cancel")

    def orders(self) -> list[Order]:
        return list(Order.objects.filter(user_id=self.user).order_by("created_at"))


@pytest.fixture(params=["local", "http"])
def mode(request, settings) -> str:
    if request.param == "http":
        # The saga runs here; its peers are the split shop's services.
        call_split_shop(settings, request.getfixturevalue("split_shop"), as_service="orders")
    return request.param


@pytest.fixture
def shopper(mode, request) -> Shopper:
    api = ShopApi(request.getfixturevalue("split_shop") if mode == "http" else None)
    user = f"saga-{uuid.uuid4().hex[:10]}"
    product = api.make_product(f"Saga Kettle {user}", price="20.00", stock=5)
    api.add_to_cart(user, product, 2)
    return Shopper(api, mode, user, product, stock=5, quantity=2)


def fail_at(monkeypatch, module, name: str, *, before: bool = False, error: BaseException | None = None) -> None:
    """Make `module.name` die (Killed) or fail (`error`) after it did its work, or before with `before`."""
    real = getattr(module, name)

    def failing(*args, **kwargs):
        if not before:
            real(*args, **kwargs)
        raise error or Killed(f"killed {'before' if before else 'after'} {name}")

    monkeypatch.setattr(module, name, failing)


def drain_outbox() -> None:
    """Run the dispatcher until every event is delivered (what `deliver_outbox` does over time)."""
    for _ in range(5):
        outbox.retry_now()
        outbox.deliver_due()
    assert list(OutboxEvent.objects.filter(delivered_at__isnull=True).values_list("kind", "last_error")) == []


def expire_leases() -> None:
    """Let the idempotency lease of a killed request run out (what waiting IDEMPOTENCY_LEASE would do)."""
    IdempotencyRecord.objects.update(locked_until=timezone.now() - timedelta(seconds=1))


def assert_books_balance(shopper: Shopper) -> None:
    """At most one order paid, with exactly one charge standing and its stock sold; nothing else charged or held."""
    drain_outbox()
    orders = shopper.orders()
    paid = [o for o in orders if o.status == OrderStatus.PAID]
    assert len(paid) <= 1, [o.status for o in orders]
    for order in orders:
        assert order.status != OrderStatus.PENDING
        standing = [p.id for p in payments.payments_of_order(str(order.id)) if p.status == "succeeded"]
        assert standing == ([order.payment_id] if order.status == OrderStatus.PAID else []), order.status
    sold = shopper.quantity if paid else 0
    assert catalog.get_product(shopper.product).stock == shopper.stock - sold
    if shopper.mode == "local":
        from catalog.models import Reservation

        for order in orders:
            states = set(Reservation.objects.filter(order_id=str(order.id)).values_list("state", flat=True))
            assert states <= ({"committed"} if order.status == OrderStatus.PAID else {"released"})


# --- a killed process: the retry with the same key resumes, or the sweeper finishes ---------------

KILL_POINTS: dict[str, Callable] = {
    "after the order was created": lambda mp: fail_at(mp, catalog, "reserve_stock", before=True),
    "after the stock was reserved": lambda mp: fail_at(mp, catalog, "reserve_stock"),
    "after the charge": lambda mp: fail_at(mp, payments, "charge"),
    "after PAID was written": lambda mp: fail_at(mp, outbox, "deliver_now", before=True),
}


@pytest.fixture(params=KILL_POINTS)
def killed_at(request, shopper, monkeypatch) -> str:
    """The step (each in turn) at which the shopper's first checkout was killed; the process works again after."""
    KILL_POINTS[request.param](monkeypatch)
    with pytest.raises(Killed):
        shopper.checkout()
    monkeypatch.undo()
    return request.param


def test_a_checkout_killed_at_any_step_is_resumed_by_a_retry_with_the_same_key(shopper, killed_at):
    assert shopper.checkout().status_code == 409  # its lease still holds: the first request might be running
    expire_leases()

    retried = shopper.checkout()
    assert (retried.status_code, retried.json()["status"]) == (201, "PAID")
    assert [str(o.id) for o in shopper.orders()] == [retried.json()["orderId"]]  # resumed, not placed again
    assert_books_balance(shopper)
    assert shopper.checkout().json() == retried.json()  # and the outcome is replayed from now on


def test_a_checkout_killed_at_any_step_is_finished_by_the_sweeper(shopper, killed_at):
    (order,) = shopper.orders()

    sweeper.sweep_stale(older_than=timedelta(0))
    sweeper.sweep_stale(older_than=timedelta(0))  # a second sweep (or a second sweeper) changes nothing
    order.refresh_from_db()
    charged = killed_at in ("after the charge", "after PAID was written")
    assert order.status == (OrderStatus.PAID if charged else OrderStatus.FAILED)
    assert_books_balance(shopper)

    expire_leases()
    retried = shopper.checkout()  # the customer retries after all: the order's outcome, never a new order
    assert retried.status_code == (201 if charged else 409)
    assert len(shopper.orders()) == 1
    assert_books_balance(shopper)


def test_a_stale_order_is_left_alone_until_it_is_older_than_the_sweep_age(shopper, monkeypatch, settings):
    fail_at(monkeypatch, payments, "charge")
    with pytest.raises(Killed):
        shopper.checkout()
    monkeypatch.undo()
    settings.KUBESHOP_SWEEP_AFTER = 300
    assert sweeper.sweep_stale() == {"paid": 0, "failed": 0, "skipped": 0}
    Order.objects.update(created_at=timezone.now() - timedelta(seconds=301))
    assert sweeper.sweep_stale() == {"paid": 1, "failed": 0, "skipped": 0}
    assert_books_balance(shopper)


# --- a database error when the outcome is written ---------------------------------------------------


def test_a_database_error_writing_paid_is_resumed_at_once_by_a_retry_without_a_second_charge(shopper, monkeypatch):
    real_record = outbox.record

    def deadlocked(kind, **kwargs):
        if kind == "stock.commit":  # inside the transaction that writes PAID
            raise OperationalError("deadlock detected")
        return real_record(kind, **kwargs)

    monkeypatch.setattr(outbox, "record", deadlocked)
    assert shopper.checkout().status_code >= 500
    (order,) = shopper.orders()
    assert order.status == OrderStatus.PENDING  # the charge stands; PAID was rolled back
    monkeypatch.undo()

    retried = shopper.checkout()  # no lease to wait for: the failed request released it
    assert (retried.status_code, retried.json()["orderId"]) == (201, str(order.id))
    assert len(payments.payments_of_order(str(order.id))) == 1
    assert_books_balance(shopper)


@pytest.mark.postgres
def test_a_real_deadlock_error_from_postgresql_writing_paid_is_resumed_by_a_retry(shopper):
    from django.db import connection

    with connection.cursor() as cursor:  # the server itself fails the PAID write, as a deadlock victim
        cursor.execute(
            "CREATE FUNCTION saga_deadlock() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.status = 'PAID' THEN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01'; END IF; "
            "RETURN NEW; END $$;"
            "CREATE TRIGGER saga_deadlock BEFORE UPDATE ON orders_order FOR EACH ROW EXECUTE FUNCTION saga_deadlock();"
        )
    assert shopper.checkout().status_code >= 500
    (order,) = shopper.orders()
    assert order.status == OrderStatus.PENDING
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER saga_deadlock ON orders_order")

    retried = shopper.checkout()
    assert (retried.status_code, retried.json()["orderId"]) == (201, str(order.id))
    assert_books_balance(shopper)


def test_a_database_error_writing_paid_is_finished_by_the_sweeper(shopper, monkeypatch):
    fail_at(monkeypatch, outbox, "record", before=True, error=OperationalError("lock timeout"))
    assert shopper.checkout().status_code >= 500
    monkeypatch.undo()
    assert sweeper.sweep_stale(older_than=timedelta(0))["paid"] == 1
    assert_books_balance(shopper)


# --- a peer down or slow (the split shop) ------------------------------------------------------------


@pytest.fixture
def unreachable(settings):
    """Point one peer at a port nobody listens on, or at a socket that never answers; restored after."""
    sockets = []

    def cut(service: str, *, silent: bool = False) -> Callable[[], None]:
        sock = silent_listener() if silent else closed_port()
        sockets.append(sock)
        before = settings.SERVICE_URLS[service]
        host, port = sock.getsockname()[:2]
        settings.SERVICE_URLS = {**settings.SERVICE_URLS, service: f"http://{host}:{port}"}
        return lambda: setattr(settings, "SERVICE_URLS", {**settings.SERVICE_URLS, service: before})

    yield cut
    for sock in sockets:
        sock.close()


@pytest.mark.parametrize("mode", ["http"], indirect=True)  # in one process no peer can be down
@pytest.mark.parametrize("silent", [False, True], ids=["down", "slow"])
@pytest.mark.parametrize("peer", ["catalog", "payments"])
def test_a_checkout_with_a_peer_down_or_slow_is_a_prompt_503_and_a_retry_pays_once(
    shopper, unreachable, settings, peer, silent
):
    settings.KUBESHOP_REQUEST_DEADLINE = 1.5
    restore = unreachable(peer, silent=silent)
    started = time.monotonic()
    response = shopper.checkout(key="during-outage")
    assert time.monotonic() - started < 3.0  # the request's deadline, not 3 tries × the read timeout
    assert response.status_code == 503
    assert peer in response.json()["detail"]
    restore()
    assert_books_balance(shopper)  # the compensation was queued: nothing charged, nothing held

    retried = shopper.checkout(key="during-outage")  # nothing stands from the first try, so the key was freed
    assert (retried.status_code, retried.json()["status"]) == (201, "PAID")
    assert_books_balance(shopper)


@pytest.mark.parametrize("mode", ["http"], indirect=True)
def test_a_charge_that_lands_after_the_checkout_gave_up_is_voided_and_a_retry_pays_once(shopper, settings):
    settings.KUBESHOP_REQUEST_DEADLINE = 1.5
    real_payments = settings.SERVICE_URLS["payments"]
    slow = HeldProxy(real_payments).start()
    settings.SERVICE_URLS = {**settings.SERVICE_URLS, "payments": slow.url}
    try:
        response = shopper.checkout(key="slow-payments")
        assert response.status_code == 503
        assert slow.landed.wait(timeout=10)
        assert [f.split(" → ")[1] for f in slow.forwarded if "/api/process" in f] == ["201"]  # it was charged
    finally:
        slow.stop()  # the answer comes now, to nobody
        settings.SERVICE_URLS = {**settings.SERVICE_URLS, "payments": real_payments}
    (order,) = shopper.orders()
    assert order.status == OrderStatus.PAYMENT_FAILED
    assert_books_balance(shopper)  # the void queued with the failure refunded the late charge
    assert [p.status for p in payments.payments_of_order(str(order.id))] == ["refunded"]

    retried = shopper.checkout(key="slow-payments")
    assert (retried.status_code, retried.json()["status"]) == (201, "PAID")
    assert_books_balance(shopper)


# --- cancel ----------------------------------------------------------------------------------------


def paid_order(shopper: Shopper) -> str:
    response = shopper.checkout(key=f"paid-{uuid.uuid4().hex}")
    assert response.status_code == 201, response.json()
    drain_outbox()
    return response.json()["orderId"]


def test_a_cancel_killed_after_cancelling_was_written_is_finished_by_the_dispatcher(shopper, monkeypatch):
    order_id = paid_order(shopper)
    fail_at(monkeypatch, outbox, "deliver_now", before=True)
    with pytest.raises(Killed):
        shopper.cancel(order_id)
    monkeypatch.undo()
    assert Order.objects.get(pk=order_id).status == OrderStatus.CANCELLING
    drain_outbox()
    assert Order.objects.get(pk=order_id).status == OrderStatus.CANCELLED
    assert_books_balance(shopper)


def test_a_database_error_writing_cancelling_changes_nothing_and_a_retry_cancels(shopper, monkeypatch):
    order_id = paid_order(shopper)
    fail_at(monkeypatch, outbox, "record", before=True, error=OperationalError("lock timeout"))
    assert shopper.cancel(order_id).status_code >= 500
    monkeypatch.undo()
    assert Order.objects.get(pk=order_id).status == OrderStatus.PAID
    assert [p.status for p in payments.payments_of_order(order_id)] == ["succeeded"]

    again = shopper.cancel(order_id)
    assert (again.status_code, again.json()["status"]) == (200, "CANCELLED")
    assert_books_balance(shopper)


@pytest.mark.parametrize("mode", ["http"], indirect=True)  # in one process no peer can be down
@pytest.mark.parametrize("peer", ["catalog", "payments", "notifications"])
def test_a_cancel_with_a_peer_down_is_a_202_and_the_dispatcher_finishes_it(shopper, unreachable, peer):
    order_id = paid_order(shopper)
    restore = unreachable(peer)
    response = shopper.cancel(order_id)
    assert (response.status_code, response.json()["status"]) == (202, "CANCELLING")
    outbox.retry_now()
    outbox.deliver_due()  # still down: the cancellation waits, half done is never final
    assert Order.objects.get(pk=order_id).status == OrderStatus.CANCELLING
    assert shopper.cancel(order_id).status_code == 409

    restore()
    drain_outbox()
    assert Order.objects.get(pk=order_id).status == OrderStatus.CANCELLED
    assert [p.status for p in payments.payments_of_order(order_id)] == ["refunded"]
    assert_books_balance(shopper)


def test_a_cancel_whose_release_fails_is_a_202_and_never_a_refund_without_a_cancellation(shopper, monkeypatch):
    order_id = paid_order(shopper)
    down = Unavailable("The catalog service is unavailable.")
    fail_at(monkeypatch, catalog, "release_stock", before=True, error=down)
    response = shopper.cancel(order_id)
    assert (response.status_code, response.json()["status"]) == (202, "CANCELLING")
    assert [p.status for p in payments.payments_of_order(order_id)] == ["refunded"]  # refunded, and queued to finish
    assert OutboxEvent.objects.get(order_id=order_id, kind="stock.release").delivered_at is None

    monkeypatch.undo()
    drain_outbox()
    assert Order.objects.get(pk=order_id).status == OrderStatus.CANCELLED
    assert_books_balance(shopper)
