"""`manage.py migrate_locked`, what every pod's init container runs: migrations take turns per database."""

import subprocess
import sys
import time

import pytest
from django.db import connection

from kubeshop.management.commands.migrate_locked import MIGRATION_LOCK_KEY
from tests.live import _postgres_server_url
from tests.processes import ROOT


def waiting_for_the_lock(pid_of_holder: int) -> int:
    """How many other sessions wait for the migration lock the test's session holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = %s AND pid <> %s",
            [MIGRATION_LOCK_KEY & 0xFFFFFFFF, pid_of_holder],
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_second_migration_waits_for_the_one_holding_the_lock_then_finds_nothing_to_do():
    database_url = _postgres_server_url().rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s), pg_backend_pid()", [MIGRATION_LOCK_KEY])
        holder = cursor.fetchone()[1]
    env = {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "true", "DATABASE_URL": database_url}
    second = subprocess.Popen(
        [sys.executable, "manage.py", "migrate_locked"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not waiting_for_the_lock(holder):  # polls a condition, with a deadline: no timing assumed
            assert second.poll() is None, second.stdout.read()
            assert time.monotonic() < deadline, "the second migration never asked for the lock"
            time.sleep(0.05)
        assert second.poll() is None  # it waits as long as the lock is held
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
    output, _ = second.communicate(timeout=120)
    assert second.returncode == 0, output
    assert "No migrations to apply." in output
