"""Settings of the server bench/throughput.py starts: the platform's, plus the reference's URL."""

from generalbots.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
