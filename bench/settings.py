"""The shipped settings plus one bench-only route (bench.urls): never used outside `make bench`."""

from kubeshop.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
