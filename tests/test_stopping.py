"""kubeshop.stopping: a stop signal is recorded, cuts a wait short, and leaves the handlers as they were."""

import os
import signal
import threading
import time

from kubeshop.stopping import StopSignals


def test_a_signal_during_a_wait_ends_it_at_once():
    with StopSignals((signal.SIGUSR1,)) as stop:
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGUSR1)).start()  # sent from elsewhere, mid-wait
        started = time.monotonic()

        assert stop.wait(60) is True

        assert time.monotonic() - started < 30
        assert stop.first == signal.SIGUSR1


def test_a_signal_before_the_wait_is_not_lost():
    with StopSignals((signal.SIGUSR1,)) as stop:
        os.kill(os.getpid(), signal.SIGUSR1)
        assert stop.requested
        assert stop.wait(60) is True


def test_the_previous_handlers_come_back_afterwards():
    before = signal.getsignal(signal.SIGUSR1)
    with StopSignals((signal.SIGUSR1,)):
        assert signal.getsignal(signal.SIGUSR1) != before
    assert signal.getsignal(signal.SIGUSR1) == before


def test_a_signal_ignored_by_whoever_started_the_process_stays_ignored():
    previous = signal.signal(signal.SIGUSR2, signal.SIG_IGN)  # as nohup leaves SIGHUP
    try:
        with StopSignals((signal.SIGUSR2,)) as stop:
            os.kill(os.getpid(), signal.SIGUSR2)
            assert not stop.requested
            assert signal.getsignal(signal.SIGUSR2) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGUSR2, previous)
