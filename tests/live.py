"""The shops the end-to-end and contract tests start: real processes from kubeshop.localshop.

Their databases follow the test run: PostgreSQL (a database per service, on the server of the test
database, named after it so that two checkouts' suites never share one) when the suite runs on
PostgreSQL, SQLite files otherwise.
"""
from pathlib import Path

from django.db import connection

from kubeshop.localshop import SPLIT, LocalService, start_shop, stop_shop

__all__ = ["SPLIT", "LocalService", "start_test_shop", "stop_shop"]


def _postgres_server_url() -> str:
    if connection.vendor != "postgresql":
        return ""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/postgres"


def start_test_shop(services: list[str], workdir: Path, *, secret_key: str, token: str) -> dict[str, LocalService]:
    return start_shop(
        services, workdir, secret_key=secret_key, token=token,
        postgres_url=_postgres_server_url(), database_prefix=f"{connection.settings_dict['NAME']}_",
        # Every test customer signs up from one address; static files are collected without compression.
        extra_env={"KUBESHOP_SIGN_IN_RATE": "100000/min", "KUBESHOP_COMPRESS_STATIC": "false"},
    )  # fmt: skip
