"""Run the split shop on one machine: six gunicorn processes, a database each, wired by URL.

    python -m tools.localshop                      # SQLite files under .localshop/, ports 8000-8005
    python -m tools.localshop --postgres postgres://postgres@127.0.0.1:5432/postgres
    python -m tools.localshop --base-port 0 --workdir /tmp/shop   # ports the system picks, files elsewhere

Each service is started the way its Kubernetes Deployment starts it (migrate, then gunicorn with
KUBESHOP_SERVICE and the peers' URLs), plus the orders outbox dispatcher. The test suite starts its
end-to-end shops with the same code.

Ctrl-C or SIGTERM (or SIGHUP), at any moment, stops everything this started and reaps it: exit status 0
after a stop of a running shop, 128 + the signal's number when start-up was interrupted, 1 when start-up
failed or a service died. Every child runs in a session of its own, so a terminal's Ctrl-C reaches this
launcher alone, exactly like `kill -TERM <launcher>` does; the launcher then stops the children itself,
in order (the dispatcher finishes the event in hand while its peers still answer; then gunicorn's
graceful shutdown), and kills what has not stopped after a grace period. Were the children left in the
terminal's process group, Ctrl-C would reach them all at once: gunicorn would drop in-flight requests,
a migration would die with a traceback, and the launcher would have to tell a child killed by the
user's Ctrl-C from one that failed, while `kill -TERM` would still need the forwarding done here.
"""

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from kubeshop import keys
from kubeshop.registry import DOMAIN_SERVICES, SERVICES
from kubeshop.stopping import STOP_SIGNALS, StopSignals

ROOT = Path(__file__).resolve().parent.parent
SPLIT = list(DOMAIN_SERVICES)  # catalog, cart, orders, payments, notifications, frontend
GRACE = 10.0  # seconds a child has to stop after SIGTERM before it is killed: gunicorn's graceful timeout is 5
Report = Callable[[str], object]


class Interrupted(Exception):
    """A stop signal arrived while the shop was starting."""

    def __init__(self, signum: int):
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum


def _pause(stop: StopSignals | None, seconds: float) -> None:
    """Wait a little between two polls, or raise Interrupted if a stop was requested."""
    if stop is None:
        time.sleep(seconds)
    elif stop.wait(seconds):
        raise Interrupted(stop.first)


def _hurried(stop: StopSignals | None) -> Callable[[], bool]:
    """Whether to kill at once rather than wait for a graceful stop: a second stop signal says so."""
    return lambda: stop is not None and len(stop.received) > 1


def _check(stop: StopSignals | None) -> None:
    """Raise Interrupted if a stop was requested: called before every stage of the start-up."""
    if stop is not None and stop.requested:
        raise Interrupted(stop.first)


def _spawn(command: list[str], *, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a child in a session of its own, output appended to `log`: no terminal signal reaches it but ours."""
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _exited(process: subprocess.Popen) -> bool:
    """Whether a child has ended, without reaping it: until it is reaped, its pid (its group's id) stays ours."""
    if process.returncode is not None:
        return True
    try:
        return os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:  # already reaped by someone else
        return True


def _signal(process: subprocess.Popen, signum: int) -> None:
    """Signal an unreaped child and, when it leads its own group, everything it started (gunicorn's workers)."""
    if process.returncode is not None:
        return
    try:
        if os.getpgid(process.pid) == process.pid:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
    except ProcessLookupError:
        pass


def _ending(returncode: int) -> str:
    return f"ended by {signal.Signals(-returncode).name}" if returncode < 0 else f"exit {returncode}"


def stop_processes(
    processes: dict[str, subprocess.Popen | None],
    *,
    grace: float = GRACE,
    report: Report | None = None,
    hurry: Callable[[], bool] = lambda: False,
) -> None:
    """SIGTERM every running child (with its group), SIGKILL what is left after `grace` seconds, reap them all."""
    running = {name: p for name, p in processes.items() if p is not None and p.returncode is None}
    for process in running.values():
        _signal(process, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while not all(_exited(p) for p in running.values()) and time.monotonic() < deadline and not hurry():
        time.sleep(0.05)  # polling the children; a signal to us (see `hurry`) still gets through
    for name, process in running.items():
        killed = not _exited(process)
        _signal(process, signal.SIGKILL)  # the group too: nothing a child started outlives it
        returncode = process.wait()
        if report:
            what = f"killed (still running after SIGTERM), {_ending(returncode)}" if killed else _ending(returncode)
            report(f"  stopped {name} (pid {process.pid}): {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(name: str, workdir: Path, postgres_url: str = "", prefix: str = "kubeshop_") -> str:
    """An empty database for one service: a PostgreSQL database on `postgres_url`'s server, else SQLite."""
    if not postgres_url:
        path = workdir / f"{name}.sqlite3"
        for stale in (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))):
            stale.unlink(missing_ok=True)  # a WAL left by a killed run must not be replayed into the new file
        return f"sqlite:///{path}"
    import psycopg2

    database = f"{prefix}{name}"
    server = psycopg2.connect(postgres_url)
    server.autocommit = True  # CREATE DATABASE cannot run in a transaction
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{database}"')
    server.close()
    return urlunsplit(urlsplit(postgres_url)._replace(path=f"/{database}"))


@dataclass
class LocalService:
    name: str
    env: dict[str, str]
    port: int
    log: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=300,
        )

    def spawn_manage(self, *args: str) -> subprocess.Popen:
        """Start `manage.py <args>` as this service, in a session of its own, its output in this service's log."""
        return _spawn([sys.executable, "manage.py", *args], env=self.env, log=self.log)

    def launch(self, *options: str) -> None:
        """Start gunicorn as the Deployment does; `options` are added last (a repeated one overrides)."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "kubeshop.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--graceful-timeout",
            "5",
            "--access-logfile",
            "-",
            "--no-control-socket",  # else all masters share one ~/.gunicorn/gunicorn.ctl, which each stop unlinks
            *options,
        ]
        self.process = _spawn(command, env=self.env, log=self.log)

    def wait_ready(self, timeout: float = 90, stop: StopSignals | None = None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _exited(self.process):
                raise RuntimeError(f"{self.name} exited at start-up:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as answer:  # noqa: S310 (our URL)
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            _pause(stop, 0.1)  # polling for readiness
        raise RuntimeError(f"{self.name} not ready after {timeout}s:\n{self.log.read_text()[-3000:]}")

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def stop(self, report: Report | None = None) -> None:
        stop_processes({self.name: self.process}, report=report)
        self.process = None


def run_to_completion(
    jobs: dict[str, Callable[[], subprocess.Popen]],
    stop: StopSignals | None = None,
    *,
    started: str = "",
    report: Report = lambda line: None,
) -> None:
    """Start every job at once (then report `started`) and wait for all; on a failure or a stop, stop the rest."""
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name, start in jobs.items():
            _check(stop)
            processes[name] = start()
        if started:
            report(started)
        while not all(p.poll() is not None for p in processes.values()):
            _pause(stop, 0.1)  # polling the children
    except BaseException:
        report("stopping what was started:")
        stop_processes(processes, report=report, hurry=_hurried(stop))
        raise
    failed = [name for name, process in processes.items() if process.returncode]
    if failed:
        raise RuntimeError(f"failed: {', '.join(failed)} (see their logs)")


def start_shop(
    services: list[str],
    workdir: Path,
    *,
    secret_key: str = "",
    token: str = "",
    postgres_url: str = "",
    database_prefix: str = "kubeshop_",
    ports: dict[str, int] | None = None,
    extra_env: dict[str, str] | None = None,
    signing_key: str = "",
    stop: StopSignals | None = None,
    report: Report = lambda line: None,
) -> dict[str, LocalService]:
    """Migrate and start `services`, each with its own database, wired to each other by URL.

    The Django secret key, the service credential (`token`) and the identity tokens' `signing_key` are
    fresh for the run when empty: the key pair's private half goes only to the service holding the
    accounts, the public half to every service. With `stop`, a stop signal at any stage stops what was
    started and raises Interrupted; on any failure or interrupt nothing started is left running.
    """
    secret_key = secret_key or secrets.token_urlsafe(50)
    token = token or secrets.token_urlsafe(32)
    signing_key = signing_key or keys.generate_private_pem()
    public_key = keys.public_pem_of(signing_key)
    ports = ports or {name: free_port() for name in services}
    peer_urls = {DOMAIN_SERVICES[n].url_env: f"http://127.0.0.1:{p}" for n, p in ports.items() if n in DOMAIN_SERVICES}
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KUBESHOP_", "DATABASE_URL"))}
    shop = {}
    for name in services:
        _check(stop)
        env = {
            **base,
            **peer_urls,
            "KUBESHOP_SERVICE": name,
            "KUBESHOP_SERVICE_TOKEN": token,
            "DJANGO_SECRET_KEY": secret_key,
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": fresh_database(name, workdir, postgres_url, database_prefix),
            "KUBESHOP_JWT_PUBLIC_KEY": public_key,
            **({"KUBESHOP_JWT_PRIVATE_KEY": signing_key} if SERVICES[name].owns_accounts else {}),
            **(extra_env or {}),
        }
        shop[name] = LocalService(name=name, env=env, port=ports[name], log=workdir / f"{name}.log")
    migrations = {f"migrate {name}": partial(svc.spawn_manage, "migrate", "--noinput") for name, svc in shop.items()}
    try:
        run_to_completion(migrations, stop, started=f"migrating {', '.join(shop)} (logs in {workdir}/)", report=report)
    except RuntimeError as failed:
        raise RuntimeError(f"migrations {failed}") from None
    # As the image does before any process starts: whitenoise indexes the static files at start-up.
    first = next(iter(shop.values()))
    collect = {"collectstatic": partial(first.spawn_manage, "collectstatic", "--noinput")}
    run_to_completion(collect, stop, started="collecting static files", report=report)
    try:
        report(f"starting gunicorn for {', '.join(shop)}")
        for service in shop.values():
            _check(stop)
            service.launch()
        report("waiting until every service answers /readyz")
        for service in shop.values():
            service.wait_ready(stop=stop)
    except BaseException:
        report("stopping what was started:")
        stop_shop(shop, report=report, hurry=_hurried(stop))  # leave no orphan behind a failed or interrupted start
        raise
    return shop


def stop_shop(
    shop: dict[str, LocalService], report: Report | None = None, hurry: Callable[[], bool] = lambda: False
) -> None:
    """Stop every service at once (each gets gunicorn's graceful shutdown), reaping them all."""
    stop_processes({name: service.process for name, service in shop.items()}, report=report, hurry=hurry)
    for service in shop.values():
        service.process = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="", help="a PostgreSQL server URL; a database per service is made")
    parser.add_argument("--database-prefix", default="kubeshop_", help="with --postgres: names the databases")
    parser.add_argument(
        "--base-port",
        type=int,
        default=8000,
        help="the frontend's port; the others follow it (catalog +1 … notifications +5); 0: ports the system picks",
    )
    parser.add_argument("--workdir", type=Path, default=ROOT / ".localshop", help="SQLite files and logs")
    args = parser.parse_args(argv)
    if not 0 <= args.base_port <= 65535 - len(SPLIT):
        parser.error(f"--base-port {args.base_port}: expected 0 or a port up to {65535 - len(SPLIT)}")
    sys.stdout.reconfigure(line_buffering=True)  # progress reaches a pipe (make, a test) line by line
    with StopSignals((*STOP_SIGNALS, signal.SIGHUP)) as stop:
        return run(args, stop)


def say(line: str) -> None:
    """Print progress; a terminal that hung up (SIGHUP) or a closed pipe must not cut the stopping short."""
    with contextlib.suppress(OSError):
        print(line)


def run(args: argparse.Namespace, stop: StopSignals) -> int:
    """Start the split shop and keep it until a stop signal; returns the exit status."""
    workdir = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    if args.base_port:
        ports = {name: DOMAIN_SERVICES[name].local_port - 8000 + args.base_port for name in SPLIT}
    else:
        ports = {name: free_port() for name in SPLIT}
    say("Starting the split shop: " + ", ".join(f"{name} on :{port}" for name, port in ports.items()))
    shop: dict[str, LocalService] = {}
    dispatcher = None
    status = 0
    try:
        shop = start_shop(
            SPLIT,
            workdir,
            postgres_url=args.postgres,
            database_prefix=args.database_prefix,
            ports=ports,
            stop=stop,
            report=say,
            # gzip/brotli copies are for the image: without them start-up takes seconds, not minutes
            extra_env={"KUBESHOP_COMPRESS_STATIC": "false"},
        )
        catalog = shop["catalog"]
        run_to_completion(
            {"seed_demo": partial(catalog.spawn_manage, "seed_demo")},
            stop,
            started="loading the demo catalog",
            report=say,
        )
        _check(stop)
        dispatcher = _spawn(
            [sys.executable, "manage.py", "deliver_outbox"], env=shop["orders"].env, log=workdir / "deliver_outbox.log"
        )
        say(f"The split shop is running (logs in {workdir}/):")
        for name, service in shop.items():
            say(f"  {name:<14} {service.url}   KUBESHOP_SERVICE={name}")
        say("Press Ctrl-C to stop.")
        children = {**{name: service.process for name, service in shop.items()}, "outbox dispatcher": dispatcher}
        while not stop.wait(1.0):
            if died := [name for name, process in children.items() if _exited(process)]:
                say(f"{', '.join(died)} stopped on its own (see the logs); stopping the shop")
                status = 1
                break
    except Interrupted as interrupted:
        say(f"Start-up {interrupted}.")
        status = 128 + interrupted.signum
    except RuntimeError as failed:
        say(f"Start-up failed: {failed}")
        status = 1
    finally:
        if shop:
            say("Stopping the shop (Ctrl-C again: kill at once):")
            stop_processes({"outbox dispatcher": dispatcher}, report=say, hurry=_hurried(stop))  # it may need its peers
            stop_shop(shop, report=say, hurry=_hurried(stop))
    say("Stopped." if status == 0 else f"Exit status {status}.")
    return status


if __name__ == "__main__":
    sys.exit(main())
