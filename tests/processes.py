"""Run manage.py in a child process with an environment of our choosing, as a deployment would."""

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from conftest import TEST_SERVICE_TOKEN
from kubeshop import keys
from kubeshop.registry import DOMAIN_SERVICES, SERVICES

ROOT = Path(__file__).resolve().parent.parent
SECRET = "a-real-looking-secret-for-child-processes-4f8e2a9c1b7d6e3f"
# The key pair of every shop and child process the suite starts; the suite mints tokens with it too.
JWT_PRIVATE_KEY = keys.generate_private_pem()
JWT_PUBLIC_KEY = keys.public_pem_of(JWT_PRIVATE_KEY)
PEER_URLS = {s.url_env: f"http://127.0.0.1:{s.local_port}" for s in DOMAIN_SERVICES.values() if s.url_env}


def service_env(service: str = "all", **overrides: str) -> dict[str, str]:
    """The environment of one service process, with every peer URL and the shared secrets set.

    Nothing of this process's own configuration leaks in: not even its cache, whose counters it would share.
    """
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KUBESHOP_", "DATABASE_URL", "CACHE_URL"))
    }
    env.update(PEER_URLS)
    env.update(
        DJANGO_SECRET_KEY=SECRET,
        KUBESHOP_SERVICE=service,
        KUBESHOP_SERVICE_TOKEN=TEST_SERVICE_TOKEN,
        KUBESHOP_JWT_PUBLIC_KEY=JWT_PUBLIC_KEY,
        DJANGO_SETTINGS_MODULE="kubeshop.settings",
    )
    if service in SERVICES and SERVICES[service].owns_accounts:
        env["KUBESHOP_JWT_PRIVATE_KEY"] = JWT_PRIVATE_KEY
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def get_in_process(path: str, *, env: dict[str, str], host: str = "testserver") -> str:
    """Status and body of one GET handled by a fresh process with `env` (no server needed)."""
    code = (
        "from django.test import Client; "
        f"r = Client(HTTP_HOST={host!r}).get({path!r}); "
        "print(r.status_code, r.content.decode())"
    )
    result = manage("shell", "--no-imports", "-c", code, env={**env, "DJANGO_ALLOWED_HOSTS": host})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


class Lines:
    """A child's output read line by line as it comes, so a test can wait for a line instead of sleeping."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.seen: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)  # end of output

    def wait_for(self, text: str, timeout: float = 240) -> str:
        """The first line from now on that contains `text`; fails if the output ends or time runs out first."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._queue.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} within {timeout}s:\n" + "\n".join(self.seen)) from None
            if line is None:
                raise AssertionError(f"output ended without {text!r}:\n" + "\n".join(self.seen))
            self.seen.append(line)
            if text in line:
                return line

    def rest(self, timeout: float) -> str:
        """Everything printed until the output ends (the child exited), within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with contextlib.suppress(queue.Empty):
            while (line := self._queue.get(timeout=max(deadline - time.monotonic(), 0))) is not None:
                self.seen.append(line)
        return "\n".join(self.seen)


@contextlib.contextmanager
def like_a_terminal_job() -> Iterator[None]:
    """Children started inside take SIGINT as a terminal's foreground job does, even when this run ignores it.

    A shell without job control starts its background jobs with SIGINT ignored, and children inherit
    an ignored signal; a handler, unlike SIG_IGN, is reset to the default when a child execs.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
