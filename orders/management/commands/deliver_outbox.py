import logging
import signal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from kubeshop import logs, metrics
from kubeshop.stopping import StopSignals
from orders import outbox, retention, sweeper
from orders.metrics import record_backlog

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Deliver the orders outbox to the other services, retrying failures with backoff. "
        "SIGINT or SIGTERM stops it after the event in hand (exit status 0)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="deliver what is due, then exit")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between rounds when idle")
        parser.add_argument(
            "--ignore-backoff", action="store_true", help="retry failed events now (after an outage is over)"
        )
        parser.add_argument(
            "--heartbeat",
            type=Path,
            help="a file touched after every event and every round: a liveness probe reads its age",
        )

    def handle(
        self, *args, once: bool, interval: float, ignore_backoff: bool, heartbeat: Path | None, verbosity: int, **opts
    ) -> None:
        self.heartbeat = heartbeat
        if not once:  # the backlog, the sweeps and this process's own figures, on KUBESHOP_METRICS_PORT
            metrics.serve(settings.KUBESHOP_METRICS_PORT, settings.KUBESHOP_METRICS_ADDRESS)
        with StopSignals() as stop:
            if ignore_backoff:
                outbox.retry_now()
            while not stop.requested:
                with logs.scope():  # each event and swept order names its order on the lines it causes
                    delivered = self.do_round(stop)
                self.beat()  # even after a failed round: the loop goes on, only a stuck one should be restarted
                if once:
                    return
                if not delivered:
                    if verbosity >= 2:
                        self.stdout.write(f"nothing due; next round in {interval:g}s")
                    stop.wait(interval)  # idle: poll again later, or at once stop on a signal
            self.stdout.write(f"stopped on {signal.Signals(stop.first).name}")

    def do_round(self, stop: StopSignals) -> int:
        """One round of the dispatcher's work; each step returns between events once a stop is requested."""
        close_old_connections()
        try:
            delivered = outbox.deliver_due(stopping=lambda: self.beat() or stop.requested)
            sweeper.sweep_stale()  # checkouts a crash left PENDING
            retention.purge_expired()
            record_backlog(outbox.backlog())
        except DatabaseError:  # the database is away for a moment: the next round tries again
            log.exception("the dispatcher's round failed; retrying after the interval")
            return 0
        if delivered:
            self.stdout.write(f"delivered {delivered} outbox events")
        return delivered

    def beat(self) -> None:
        """Touch the heartbeat file: the dispatcher is making progress (a round may deliver many events)."""
        if self.heartbeat is not None:
            self.heartbeat.touch()
