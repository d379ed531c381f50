"""The suite's guard against a cross-app call made inside an open transaction.

A saga step that calls a peer inside a transaction works in one process and breaks when split: the
tests refuse it. The guard counts the atomic blocks the code itself opened in this thread (those a
test case wraps around each test mark themselves `_from_testcase` before entering), through Django's
public Atomic context manager rather than the connection's private bookkeeping.
"""

import threading
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, transaction


class CallInsideTransaction(RuntimeError):
    """A cross-app call was made with a transaction open: the saga would not survive a split."""


_depth = threading.local()


def open_blocks() -> int:
    """How many atomic blocks of the code's own (not a test case's) are open in this thread."""
    return getattr(_depth, "blocks", 0)


def _counted(atomic: transaction.Atomic) -> bool:
    return (atomic.using or DEFAULT_DB_ALIAS) == DEFAULT_DB_ALIAS and not getattr(atomic, "_from_testcase", False)


def install_block_counter() -> None:
    """Count the code's atomic blocks from now on (idempotent)."""
    if getattr(transaction.Atomic, "_kubeshop_counted", False):
        return
    enter, exit_ = transaction.Atomic.__enter__, transaction.Atomic.__exit__

    def __enter__(self):
        enter(self)
        if _counted(self):
            _depth.blocks = open_blocks() + 1

    def __exit__(self, exc_type, exc_value, traceback):
        if _counted(self):
            _depth.blocks = open_blocks() - 1
        return exit_(self, exc_type, exc_value, traceback)

    transaction.Atomic.__enter__, transaction.Atomic.__exit__ = __enter__, __exit__
    transaction.Atomic._kubeshop_counted = True


def refusing_calls_in_transaction(runs_here: Callable[[str], bool]) -> Callable[[str], bool]:
    """`transport.runs_here`, raising CallInsideTransaction when the code holds a transaction open."""

    def guarded(app_label: str) -> bool:
        if open_blocks():
            raise CallInsideTransaction(f"a call to {app_label} was made inside an open transaction")
        return runs_here(app_label)

    return guarded
