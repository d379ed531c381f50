"""Run the split shop on one machine: six gunicorn processes, a database each, wired by URL.

    python -m kubeshop.localshop                      # SQLite files under .localshop/
    python -m kubeshop.localshop --postgres postgres://postgres@127.0.0.1:5432/postgres

Each service is started the way its Kubernetes Deployment starts it (migrate, then gunicorn with
KUBESHOP_SERVICE and the peers' URLs), plus the orders outbox dispatcher. The test suite starts its
end-to-end shops with the same code.
"""
import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from kubeshop import keys
from kubeshop.registry import DOMAIN_SERVICES, SERVICES

ROOT = Path(__file__).resolve().parent.parent
SPLIT = list(DOMAIN_SERVICES)  # catalog, cart, orders, payments, notifications, frontend


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(name: str, workdir: Path, postgres_url: str = "", prefix: str = "kubeshop_") -> str:
    """An empty database for one service: a PostgreSQL database on `postgres_url`'s server, else SQLite."""
    if not postgres_url:
        path = workdir / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
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
            [sys.executable, "manage.py", *args], cwd=ROOT, env={**self.env, **extra_env},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    def launch(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn", "kubeshop.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", "2", "--threads", "4", "--graceful-timeout", "5", "--access-logfile", "-",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start-up:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=5) as answer:  # noqa: S310 (our URL)
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)  # polling for readiness
        raise RuntimeError(f"{self.name} not ready after {timeout}s:\n{self.log.read_text()[-3000:]}")

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


def start_shop(
    services: list[str],
    workdir: Path,
    *,
    secret_key: str,
    token: str,
    postgres_url: str = "",
    database_prefix: str = "kubeshop_",
    ports: dict[str, int] | None = None,
    extra_env: dict[str, str] | None = None,
    signing_key: str = "",
) -> dict[str, LocalService]:
    """Migrate and start `services`, each with its own database, wired to each other by URL.

    Identity tokens are signed with `signing_key` (a fresh key pair per run when empty): its private
    half goes only to the service holding the accounts, the public half to every service.
    """
    signing_key = signing_key or keys.generate_private_pem()
    public_key = keys.public_pem_of(signing_key)
    ports = ports or {name: free_port() for name in services}
    peer_urls = {DOMAIN_SERVICES[n].url_env: f"http://127.0.0.1:{p}" for n, p in ports.items() if n in DOMAIN_SERVICES}
    peer_urls.pop("", None)  # nobody calls the frontend
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KUBESHOP_", "DATABASE_URL"))}
    shop = {}
    for name in services:
        env = {
            **base, **peer_urls, "KUBESHOP_SERVICE": name, "KUBESHOP_SERVICE_TOKEN": token,
            "DJANGO_SECRET_KEY": secret_key, "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": fresh_database(name, workdir, postgres_url, database_prefix),
            "KUBESHOP_JWT_PUBLIC_KEY": public_key,
            **({"KUBESHOP_JWT_PRIVATE_KEY": signing_key} if SERVICES[name].owns_accounts else {}),
            **(extra_env or {}),
        }  # fmt: skip
        shop[name] = LocalService(name=name, env=env, port=ports[name], log=workdir / f"{name}.log")
    with ThreadPoolExecutor(len(shop)) as pool:
        for migrated in pool.map(lambda service: service.manage("migrate", "--noinput"), shop.values()):
            if migrated.returncode:
                raise RuntimeError(migrated.stderr)
    # As the image does before any process starts: whitenoise indexes the static files at start-up.
    collected = next(iter(shop.values())).manage("collectstatic", "--noinput")
    if collected.returncode:
        raise RuntimeError(collected.stderr)
    try:
        for service in shop.values():
            service.launch()
        for service in shop.values():
            service.wait_ready()
    except BaseException:
        stop_shop(shop)  # leave no orphan behind a failed start
        raise
    return shop


def stop_shop(shop: dict[str, LocalService]) -> None:
    for service in shop.values():
        service.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="", help="a PostgreSQL server URL; a database per service is made")
    args = parser.parse_args()
    workdir = ROOT / ".localshop"
    workdir.mkdir(exist_ok=True)
    ports = {name: DOMAIN_SERVICES[name].local_port for name in SPLIT}
    shop = start_shop(SPLIT, workdir, secret_key=secrets.token_urlsafe(50), token=secrets.token_urlsafe(32),
                      postgres_url=args.postgres, ports=ports)  # fmt: skip
    shop["catalog"].manage("seed_demo")
    dispatcher = subprocess.Popen(
        [sys.executable, "manage.py", "deliver_outbox"], cwd=ROOT, env=shop["orders"].env,
        stdout=(workdir / "deliver_outbox.log").open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    print("The split shop is running (logs in .localshop/):")
    for name, service in shop.items():
        print(f"  {name:<14} {service.url}   KUBESHOP_SERVICE={name}")
    print("Press Ctrl-C to stop.")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        dispatcher.wait()
    except KeyboardInterrupt:
        pass
    finally:
        dispatcher.terminate()
        stop_shop(shop)


if __name__ == "__main__":
    main()
