from datetime import timedelta

from django.core.management.base import BaseCommand

from orders import sweeper


class Command(BaseCommand):
    help = "Finish or compensate checkouts left PENDING (a crash, a lost answer); safe to run concurrently."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=float, default=None, help="seconds; default KUBESHOP_SWEEP_AFTER")

    def handle(self, *args, older_than: float | None, **options) -> None:
        age = timedelta(seconds=older_than) if older_than is not None else None
        done = sweeper.sweep_stale(older_than=age)
        self.stdout.write(f"swept stale orders: {done['paid']} paid, {done['failed']} failed, {done['skipped']} left")
