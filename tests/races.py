"""Racing two steps of every order against each other, in threads released together (PostgreSQL tests)."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

from kubeshop import errors


def race_each_order(order_ids: list[str], *steps: Callable[[str], object]) -> None:
    """Run every step for every order at once, all let go by one barrier; a Conflict is a step refused."""
    start = threading.Barrier(len(steps) * len(order_ids))

    def run(job: tuple[Callable[[str], object], str]) -> None:
        step, order_id = job
        start.wait()
        try:
            step(order_id)
        except errors.Conflict:
            pass  # refused: another step of the order came first
        finally:
            connection.close()

    jobs = [(step, order_id) for order_id in order_ids for step in steps]
    with ThreadPoolExecutor(len(jobs)) as pool:
        list(pool.map(run, jobs))
