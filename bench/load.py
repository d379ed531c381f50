"""Load and memory measurements: wrk against one URL, medians over interleaved runs, a service's memory."""

import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

CONNECTIONS = 16
THREADS = 2
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Figure:
    rps: float
    p50_ms: float
    p99_ms: float


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed: `apt-get install -y wrk` (make bench does it when it may)")
    return found


def _latency(text: str, percentile: str) -> float:
    found = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE)
    if not found:
        raise RuntimeError(f"no {percentile}% latency in wrk's output:\n{text}")
    return float(found.group(1)) * _UNITS[found.group(2)]


def wrk(url: str, seconds: float, *, headers: dict[str, str] | None = None) -> Figure:
    """One wrk run: CONNECTIONS connections for `seconds`; every answer must be a 2xx (or 3xx)."""
    command = [wrk_binary(), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    if bad := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise RuntimeError(f"{url}: {bad.group(1)} answers were errors:\n{out}")
    if errors := re.search(r"Socket errors: .*", out):
        raise RuntimeError(f"{url}: {errors.group(0)}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return Figure(rps=rps, p50_ms=_latency(out, "50"), p99_ms=_latency(out, "99"))


def medians(targets: dict[str, str], *, runs: int, seconds: float, warmup: float = 1.0) -> dict[str, Figure]:
    """Each target `runs` times, interleaved (a burst of noise hits every target alike); the median of each."""
    for url in targets.values():
        wrk(url, warmup)  # every worker imported, connected and its caches filled
    samples: dict[str, list[Figure]] = {name: [] for name in targets}
    for _ in range(runs):
        for name, url in targets.items():
            samples[name].append(wrk(url, seconds))
    return {
        name: Figure(
            rps=statistics.median(f.rps for f in figures),
            p50_ms=statistics.median(f.p50_ms for f in figures),
            p99_ms=statistics.median(f.p99_ms for f in figures),
        )
        for name, figures in samples.items()
    }


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        found += [int(c) for c in children]
    return found


def _kib(pid: int, path: str, field: str) -> int:
    for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


@dataclass(frozen=True)
class Memory:
    processes: int
    largest_rss_mb: float  # the biggest single process (a worker)
    total_pss_mb: float  # what the service really occupies: shared pages counted once, as a container's usage


def memory(pid: int) -> Memory:
    """The gunicorn master `pid` and its workers."""
    pids = [pid, *_children(pid)]
    rss = [_kib(p, "status", "VmRSS") for p in pids]
    pss = [_kib(p, "smaps_rollup", "Pss") for p in pids]
    return Memory(processes=len(pids), largest_rss_mb=max(rss) / 1024, total_pss_mb=sum(pss) / 1024)
