import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from orders import outbox, retention, sweeper


class Command(BaseCommand):
    help = "Deliver the orders outbox to the other services, retrying failures with backoff."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="deliver what is due, then exit")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between rounds when idle")
        parser.add_argument(
            "--ignore-backoff", action="store_true", help="retry failed events now (after an outage is over)"
        )

    def handle(self, *args, once: bool, interval: float, ignore_backoff: bool, **options) -> None:
        if ignore_backoff:
            outbox.retry_now()
        while True:
            close_old_connections()
            delivered = outbox.deliver_due()
            sweeper.sweep_stale()  # checkouts a crash left PENDING
            retention.purge_expired()
            if delivered:
                self.stdout.write(f"delivered {delivered} outbox events")
            if once:
                return
            if not delivered:
                time.sleep(interval)  # idle: poll again later
