"""Run manage.py in a child process with an environment of our choosing, as a deployment would."""
import os
import subprocess
import sys
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
    """The environment of one service process, with every peer URL and the shared secrets set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KUBESHOP_", "DATABASE_URL"))}
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
