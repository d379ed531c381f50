"""Real KubeShop processes for end-to-end and contract tests: gunicorn per service, own database each.

The databases follow the test run: PostgreSQL (one database per service, on the server of the test
database) when the suite runs on PostgreSQL, SQLite files otherwise.
"""
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import requests
from django.db import connection

from kubeshop.registry import DOMAIN_SERVICES
from tests.processes import ROOT, manage, service_env

SPLIT = list(DOMAIN_SERVICES)  # catalog, cart, orders, payments, notifications, frontend


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(name: str, workdir: Path) -> str:
    """A fresh, empty database for one service process."""
    if connection.vendor != "postgresql":
        return f"sqlite:///{workdir / f'{name}.sqlite3'}"
    s = connection.settings_dict
    database = f"kubeshop_live_{name}"
    server = psycopg2.connect(
        dbname="postgres", user=s["USER"], password=s["PASSWORD"], host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432
    )
    server.autocommit = True  # CREATE DATABASE cannot run in a transaction
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{database}"')
    server.close()
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{database}"


@dataclass
class LiveService:
    name: str
    env: dict[str, str]
    port: int
    log: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> None:
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn", "kubeshop.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", "2", "--threads", "4", "--graceful-timeout", "5", "--access-logfile", "-",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start-up:\n{self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/readyz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)  # polling for readiness, not timing a behaviour
        raise RuntimeError(f"{self.name} not ready after {timeout}s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return manage(*args, env=self.env)


def start_shop(services: list[str], workdir: Path, *, secret_key: str, token: str) -> dict[str, LiveService]:
    """Migrate and start `services` (each its own database), wired to each other by URL."""
    ports = {name: free_port() for name in services}
    peer_urls = {DOMAIN_SERVICES[name].url_env: f"http://127.0.0.1:{ports[name]}" for name in ports if name != "all"}
    peer_urls.pop("", None)  # the frontend has no URL variable: nobody calls it
    shop = {}
    for name in services:
        env = service_env(
            name, DJANGO_SECRET_KEY=secret_key, KUBESHOP_SERVICE_TOKEN=token, DJANGO_DEBUG="false",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", DATABASE_URL=database_url(name, workdir), **peer_urls,
        )  # fmt: skip
        shop[name] = LiveService(name=name, env=env, port=ports[name], log=workdir / f"{name}.log")
    with ThreadPoolExecutor(len(shop)) as pool:
        for migrated in pool.map(lambda service: service.manage("migrate", "--noinput"), shop.values()):
            assert migrated.returncode == 0, migrated.stderr
    for service in shop.values():
        service.launch()
    for service in shop.values():
        service.wait_ready(timeout=90)
    return shop


def stop_shop(shop: dict[str, LiveService]) -> None:
    for service in shop.values():
        service.stop()
