"""CPU time per request, in process, through the whole middleware stack: a steadier measure than
requests/s on a shared machine, for profiling between two `make bench` runs.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=… CACHE_URL=… python -m bench.cpu /api/products /
"""

import os
import sys
import time

import django


def cpu_per_request(client, path: str, repeat: int) -> float:
    for _ in range(20):
        assert client.get(path).status_code == 200, path
    started = time.process_time()
    for _ in range(repeat):
        client.get(path)
    return (time.process_time() - started) / repeat


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    repeat = int(os.environ.get("REPEAT", "300"))
    for path in sys.argv[1:] or ["/bench/constant", "/api/products", "/api/products/1", "/"]:
        print(f"{cpu_per_request(client, path, repeat) * 1000:7.3f} ms CPU  {path}")


if __name__ == "__main__":
    main()
