"""Stop a long-running process on a signal at a point of its own choosing, not wherever the signal lands.

A handler that raises (Python's default for SIGINT) can cut a delivery or a child's start-up in half;
this one only records the signal, and the process looks at `requested` between units of work and
sleeps with `wait`, which a signal cuts short.
"""

import contextlib
import os
import select
import signal
import threading
from types import FrameType, TracebackType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """Records SIGINT/SIGTERM (or the signals given) while installed; restores the previous handlers on exit."""

    def __init__(self, signals: tuple[int, ...] = STOP_SIGNALS):
        self.signals = signals
        self.received: list[int] = []
        self._previous: dict[int, object] = {}
        # The self-pipe trick: the handler writes a byte, `wait` selects on it. threading.Event is not
        # safe here: Event.set() in a handler deadlocks if the signal lands while the same thread holds
        # the Event's (non-reentrant) lock inside Event.wait().
        self._wakeup_read, self._wakeup_write = os.pipe()
        os.set_blocking(self._wakeup_write, False)

    def __enter__(self) -> "StopSignals":
        if threading.current_thread() is threading.main_thread():  # only the main thread may set handlers
            for signum in self.signals:
                # Ignored by whoever started us (nohup, a shell's background job): stays ignored.
                if signal.getsignal(signum) is not signal.SIG_IGN:
                    self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        os.close(self._wakeup_read)
        os.close(self._wakeup_write)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.received.append(signum)
        with contextlib.suppress(BlockingIOError):  # a pipe full of earlier wake-ups wakes `wait` all the same
            os.write(self._wakeup_write, b"\0")

    @property
    def requested(self) -> bool:
        return bool(self.received)

    @property
    def first(self) -> int:
        """The signal that asked for the stop (0 if none did)."""
        return self.received[0] if self.received else 0

    def wait(self, timeout: float) -> bool:
        """Sleep up to `timeout` seconds, returning at once when a stop is (or was already) requested."""
        if not self.requested:
            select.select([self._wakeup_read], [], [], timeout)
        return self.requested
