"""The outbox dispatcher (manage.py deliver_outbox) stops on SIGINT or SIGTERM after the event in hand, exit 0."""

import json
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from orders import outbox
from orders.models import OutboxEvent
from tests.processes import ROOT, Lines, like_a_terminal_job, manage, service_env


@pytest.mark.django_db(transaction=True)
def test_delivery_stops_between_events_and_leaves_the_rest_due_at_once():
    events = [outbox.record("order.paid", order_id=uuid.uuid4(), userId="alice", message=f"Paid {n}.") for n in "123"]
    answers = iter([False, True])  # asked before each event: go on with the first, stop before the second

    assert outbox.deliver_due(stopping=lambda: next(answers)) == 1

    first, *rest = (OutboxEvent.objects.get(pk=event.pk) for event in events)
    assert first.delivered_at is not None
    assert [(e.delivered_at, e.attempts) for e in rest] == [(None, 0), (None, 0)]
    assert all(e.next_attempt_at <= timezone.now() for e in rest)  # no lease to sit out for the next dispatcher


class HeldPeer:
    """A notifications service that holds each request until the test lets it answer."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.requests: list[dict] = []
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                peer.requests.append(body)
                peer.arrived.set()
                peer.release.wait(timeout=30)
                answer = json.dumps({**body, "id": len(peer.requests), "read": False, "orderId": body["orderId"]})
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer.encode())

            def log_message(self, format, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def held_peer():
    peer = HeldPeer()
    yield peer
    peer.close()


@pytest.fixture
def orders_env(tmp_path, held_peer) -> dict[str, str]:
    """An orders service's environment: its own migrated SQLite database, notifications at the held peer."""
    env = service_env(
        "orders",
        DATABASE_URL=f"sqlite:///{tmp_path / 'orders.sqlite3'}",
        NOTIFICATION_SERVICE_URL=held_peer.url,
        PYTHONUNBUFFERED="1",  # its progress lines reach the test as they are written
    )
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    return env


def dispatcher(env: dict[str, str], *args: str) -> tuple[subprocess.Popen, Lines]:
    with like_a_terminal_job():
        process = subprocess.Popen(
            [sys.executable, "manage.py", "deliver_outbox", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    return process, Lines(process)


def shell(code: str, env: dict[str, str]) -> str:
    done = manage("shell", "--no-imports", "-c", code, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_idle_dispatcher_exits_0_at_once_on(signum, orders_env):
    process, output = dispatcher(orders_env, "--interval", "600", "-v", "2")
    try:
        output.wait_for("nothing due; next round in 600s")

        sent = time.monotonic()
        process.send_signal(signum)
        status = process.wait(timeout=15)
    finally:
        process.kill()
        process.wait()

    assert status == 0
    assert time.monotonic() - sent < 5  # it did not sit out its 600 s idle wait
    assert f"stopped on {signal.Signals(signum).name}" in output.rest(timeout=5)


def test_a_dispatcher_finishes_the_event_in_hand_then_stops_on_sigterm(orders_env, held_peer):
    shell(
        "import uuid; from orders import outbox\n"
        "for n in '12': outbox.record('order.paid', order_id=uuid.uuid4(), userId='alice', message=f'Paid {n}.')",
        orders_env,
    )
    process, output = dispatcher(orders_env, "--interval", "600")
    try:
        assert held_peer.arrived.wait(timeout=120)  # the first event is being delivered

        process.send_signal(signal.SIGTERM)
        held_peer.release.set()
        status = process.wait(timeout=15)
    finally:
        process.kill()
        process.wait()

    assert status == 0, output.rest(timeout=5)
    assert [r["message"] for r in held_peer.requests] == ["Paid 1."]  # the event in hand, and no other
    delivered = shell(
        "from orders.models import OutboxEvent\n"
        "print(sorted((e.payload['message'], e.delivered_at is not None) for e in OutboxEvent.objects.all()))",
        orders_env,
    )
    assert delivered == "[('Paid 1.', True), ('Paid 2.', False)]"
