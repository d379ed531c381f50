"""`migrate`, one process at a time per database: what every pod's init container runs.

Each Deployment's pods migrate their own database before gunicorn starts, so any re-apply (a new
image, config or secret) migrates with no Job to replace. Django's migrate takes no lock of its own:
on PostgreSQL a session advisory lock makes concurrent pods of one rollout wait for each other, and
the later ones find nothing left to apply.
"""

import zlib

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

# One fixed key per database (advisory locks are per database): any 64-bit number nobody else uses.
MIGRATION_LOCK_KEY = zlib.crc32(b"kubeshop.migrate")


class Command(BaseCommand):
    help = "Run migrate --noinput, holding a PostgreSQL advisory lock so that concurrent runs take turns."

    def handle(self, *args, verbosity: int, **options) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "postgresql":  # SQLite (local runs) locks its file for each write anyway
            call_command("migrate", interactive=False, verbosity=verbosity)
            return
        with connection.cursor() as cursor:
            # Session-level: held across migrate's own transactions, released below or when the pod's
            # connection closes, so a crashed migration never leaves the lock behind.
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
        try:
            call_command("migrate", interactive=False, verbosity=verbosity)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])
