"""The shops the end-to-end and contract tests start: real processes from tools.localshop.

Their databases follow the test run: PostgreSQL (a database per service, on the server of the test
database, named after it so that two checkouts' suites never share one) when the suite runs on
PostgreSQL, SQLite files otherwise.
"""

import os
import uuid
from pathlib import Path

from django.db import connection

from tests.processes import JWT_PRIVATE_KEY
from tools.localshop import SPLIT, LocalService, start_shop, stop_shop

__all__ = ["SPLIT", "LocalService", "start_test_shop", "stop_shop"]

# Every test customer signs up and in from one address; a few tests fail a sign-in on purpose.
TEST_SHOP_LIMITS = {
    "KUBESHOP_SIGN_IN_RATE": "100000/min",
    "KUBESHOP_SIGN_IN_USERNAME_RATE": "100000/min",
    "KUBESHOP_SIGN_IN_FAILURE_LIMIT": "100000",
}


def _postgres_server_url() -> str:
    if connection.vendor != "postgresql":
        return ""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/postgres"


def redis_test_url(prefix: str) -> str:
    """The suite's Redis (CACHE_URL in CI, else db 3 of the local one), under a key prefix of the caller's.

    Skips the test where no Redis answers (a developer's `make test`); .ci/run starts one and forbids skips.
    """
    import pytest
    import redis

    base = os.environ.get("CACHE_URL", "")
    base = base.split("?")[0] if base.startswith("redis") else "redis://127.0.0.1:6379/3"
    try:
        redis.Redis.from_url(base, socket_connect_timeout=2).ping()
    except redis.RedisError:
        pytest.skip(f"needs Redis at {base} (CACHE_URL=redis://…)")
    return f"{base}?key_prefix={prefix}-{uuid.uuid4().hex[:8]}"


def start_test_shop(
    services: list[str], workdir: Path, *, secret_key: str, token: str, extra_env: dict[str, str] | None = None
) -> dict[str, LocalService]:
    """A shop signing identity tokens with the suite's key pair (tests.processes), so tests can mint them."""
    return start_shop(
        services,
        workdir,
        secret_key=secret_key,
        token=token,
        postgres_url=_postgres_server_url(),
        database_prefix=f"{connection.settings_dict['NAME']}_",
        # Static files are collected without compression: seconds instead of minutes.
        extra_env={**TEST_SHOP_LIMITS, "KUBESHOP_COMPRESS_STATIC": "false", **(extra_env or {})},
        signing_key=JWT_PRIVATE_KEY,
    )
