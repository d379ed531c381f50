"""`make split` (python -m tools.localshop) stops on Ctrl-C or SIGTERM at any moment, leaving nothing behind.

Each test starts the launcher in a process group of its own, as a terminal starts a foreground job, and
signals it the way a terminal's Ctrl-C does (the whole group) or the way `kill` does (the launcher alone).
The launcher reaps what it started before it exits, so everything is checked the moment it has exited:
no process of its group, no process anywhere carrying this run's mark (its children run in sessions of
their own, and the mark follows them through their environment), every port free.
"""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests.live import _postgres_server_url
from tests.processes import ROOT, Lines, like_a_terminal_job
from tools.localshop import free_port

pytestmark = pytest.mark.e2e

MARK = "LOCALSHOP_TEST_RUN"  # no DJANGO_, KUBESHOP_ or DATABASE_URL prefix: the launcher hands it to every child
STOPPED_IN = 15  # seconds from the signal to the launcher's exit, everything reaped
SERVICES = ["catalog", "cart", "orders", "payments", "notifications", "frontend"]


class Launcher:
    """`python -m tools.localshop` on ports the system picks, its files under a temporary directory."""

    def __init__(self, workdir: Path):
        self.mark = uuid.uuid4().hex
        command = [sys.executable, "-m", "tools.localshop", "--base-port", "0", "--workdir", str(workdir)]
        if connection.vendor == "postgresql":  # databases named after the test database: no other run's
            prefix = f"{connection.settings_dict['NAME']}_signals_"
            command += ["--postgres", _postgres_server_url(), "--database-prefix", prefix]
        with like_a_terminal_job():
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, MARK: self.mark},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
        self.pgid = self.process.pid
        self.output = Lines(self.process)
        plan = self.output.wait_for("Starting the split shop:", timeout=60)
        self.ports = {name: int(port) for name, port in re.findall(r"(\w+) on :(\d+)", plan)}
        assert sorted(self.ports) == sorted(SERVICES), plan

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def interrupt(self, signum: int, *, whole_group: bool) -> tuple[int, str]:
        """Send `signum` like a terminal's Ctrl-C (whole_group) or like `kill`; the exit status and the output."""
        sent = time.monotonic()
        if whole_group:
            os.killpg(self.pgid, signum)
        else:
            os.kill(self.process.pid, signum)
        try:
            status = self.process.wait(timeout=STOPPED_IN)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"still running {STOPPED_IN}s after the signal:\n{self.output.rest(1)}") from None
        assert time.monotonic() - sent < STOPPED_IN
        return status, self.output.rest(timeout=5)

    def kill(self) -> None:
        """After a failed test: whatever is left, so no test after it finds ports or processes taken."""
        for pid in processes_marked(self.mark):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(os.getpgid(pid), signal.SIGKILL)
        self.process.wait()


def processes_marked(mark: str) -> list[int]:
    """Every process on this machine whose environment carries this run's mark."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:  # gone meanwhile, or not ours
                continue
            if f"{MARK}={mark}".encode() in environ.split(b"\0"):
                found.append(int(entry.name))
    return found


def marked_at_least(mark: str, count: int, within: float = 30) -> bool:
    """Whether `count` processes carry the mark, waiting for a loaded machine to finish forking them."""
    deadline = time.monotonic() + within
    while len(processes_marked(mark)) < count:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)  # polling /proc
    return True


def group_alive(pgid: int) -> bool:
    """Whether any process, a zombie included, is left in the process group."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        # As gunicorn binds: a connection of the stopped shop in TIME_WAIT does not hold the port for a server.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def assert_nothing_left(launcher: Launcher) -> None:
    assert not group_alive(launcher.pgid)
    assert processes_marked(launcher.mark) == []  # nor any it started, in whatever session
    assert [port for port in launcher.ports.values() if not port_is_free(port)] == []


def stopped_lines(output: str) -> dict[str, str]:
    """What the launcher reported stopping: name → how it ended."""
    return dict(re.findall(r"^  stopped (.+?) \(pid \d+\): (.+)$", output, flags=re.MULTILINE))


@pytest.fixture
def launcher(tmp_path):
    started = Launcher(tmp_path)
    yield started
    if started.process.poll() is None or processes_marked(started.mark):
        started.kill()


def buy_something(launcher: Launcher) -> dict:
    """A whole checkout through the split shop's API: sign up, sign in, add to cart, order."""

    def call(method: str, service: str, path: str, **kwargs) -> requests.Response:
        try:
            return requests.request(method, f"{launcher.url(service)}{path}", timeout=30, **kwargs)
        except requests.ConnectionError as error:  # say what the launcher said about it
            raise AssertionError(f"{error}\nthe launcher's output:\n{launcher.output.rest(timeout=3)}") from None

    user = f"ctrlc{uuid.uuid4().hex[:8]}"
    body = {"username": user, "password": "correct-horse-battery", "email": f"{user}@example.com"}
    assert call("POST", "frontend", "/api/auth/register", json=body).status_code == 201
    auth = {"Authorization": f"Bearer {call('POST', 'frontend', '/api/auth/token', json=body).json()['token']}"}
    products = call("GET", "catalog", "/api/products").json()
    product = next(p for p in products if p["stock"] > 0)  # the demo catalog the launcher loaded
    line = {"productId": product["id"], "quantity": 1}
    added = call("POST", "cart", f"/api/cart/{user}/add", json=line, headers=auth)
    assert added.status_code == 200, added.text
    order = call("POST", "orders", "/api/orders/create", json={"userId": user}, headers=auth)
    assert order.status_code == 201, order.text
    return order.json()


def test_ctrl_c_during_migrations_stops_them_and_exits_non_zero(launcher):
    launcher.output.wait_for("migrating ")

    status, output = launcher.interrupt(signal.SIGINT, whole_group=True)

    assert status == 128 + signal.SIGINT, output
    assert_nothing_left(launcher)
    assert "Start-up interrupted by SIGINT" in output
    assert "The split shop is running" not in output  # nothing started after the interrupt
    assert set(stopped_lines(output)) <= {f"migrate {name}" for name in SERVICES}


def test_ctrl_c_right_after_start_up_stops_every_service_and_the_dispatcher(launcher):
    launcher.output.wait_for("Press Ctrl-C to stop.")
    assert marked_at_least(launcher.mark, 1 + 6 * 3 + 1)  # the mark reaches them all: workers, dispatcher

    status, output = launcher.interrupt(signal.SIGINT, whole_group=True)

    assert status == 0, output
    assert_nothing_left(launcher)
    assert sorted(stopped_lines(output)) == sorted([*SERVICES, "outbox dispatcher"])


def test_ctrl_c_after_a_checkout_stops_everything_gracefully(launcher):
    launcher.output.wait_for("Press Ctrl-C to stop.")
    assert buy_something(launcher)["status"] == "PAID"

    status, output = launcher.interrupt(signal.SIGINT, whole_group=True)

    assert status == 0, output
    assert_nothing_left(launcher)
    stopped = stopped_lines(output)
    assert {stopped[name] for name in SERVICES} == {"exit 0"}  # gunicorn's graceful shutdown, not a kill
    assert stopped["outbox dispatcher"] == "exit 0"  # it stopped itself on SIGTERM, between two events


@pytest.mark.parametrize(
    ("moment", "expected_status"),
    [("waiting until every service answers", 128 + signal.SIGTERM), ("Press Ctrl-C to stop.", 0)],
    ids=["while-services-start", "while-running"],
)
def test_sigterm_to_the_launcher_alone_stops_what_it_started(launcher, moment, expected_status):
    launcher.output.wait_for(moment)

    status, output = launcher.interrupt(signal.SIGTERM, whole_group=False)

    assert status == expected_status, output
    assert_nothing_left(launcher)
    assert set(SERVICES) <= set(stopped_lines(output))  # the gunicorns were up: each one was stopped and reaped


@pytest.mark.parametrize(
    ("signum", "whole_group"), [(signal.SIGINT, True), (signal.SIGTERM, False)], ids=["ctrl-c", "sigterm-to-make"]
)
def test_make_run_stops_with_its_runserver_child(tmp_path, signum, whole_group):
    """`make run` needs no help: runserver's reloader kills its serving child on either signal, and exits.

    On Ctrl-C the reloader does not wait to reap that child (CPython's subprocess.run on KeyboardInterrupt);
    the child, already dead, is reaped by init a moment later: so the group is polled until it is empty.
    """
    port = free_port()
    mark = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KUBESHOP_", "DATABASE_URL"))}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_DEBUG": "true",
        "PYTHONUNBUFFERED": "1",
        MARK: mark,
    }
    # The interpreter running this suite stands in for .venv's; -o: the venv is not to be (re)made.
    command = [
        "make",
        "--no-print-directory",
        "-o",
        ".venv/.runtime",
        "run",
        f"BIN={Path(sys.executable).parent}",
        "HOST=127.0.0.1",
        f"PORT={port}",
    ]
    with like_a_terminal_job():
        make = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    output = Lines(make)
    try:
        output.wait_for("Quit the server with CONTROL-C.")
        assert marked_at_least(mark, 3)  # make, runserver's reloader, the serving child

        if whole_group:  # a terminal's Ctrl-C
            os.killpg(make.pid, signum)
        else:
            os.kill(make.pid, signum)
        deadline = time.monotonic() + STOPPED_IN
        make.wait(timeout=STOPPED_IN)
        while group_alive(make.pid) and time.monotonic() < deadline:
            time.sleep(0.05)  # polling for init to reap the orphaned child
    finally:
        for pid in processes_marked(mark):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        make.wait()

    assert not group_alive(make.pid)
    assert processes_marked(mark) == []
    assert port_is_free(port)
