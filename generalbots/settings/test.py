"""The test suite runs in full mode against the real PostgreSQL and Redis.

Defaults point at the local services ``scripts/ensure-services.sh`` starts; the environment
may override them like in any other mode.
"""

import os

# Runs of the suite may overlap on one machine (several checkouts, several developers): each
# run gets its own test database, channel-layer prefix and task queue.
_run = os.environ.setdefault("GB_TEST_RUN", str(os.getpid()))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/generalbots")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("GB_CHANNEL_PREFIX", f"gbtest{_run}")
os.environ.setdefault("GB_TASK_QUEUE", f"generalbots-test-{_run}")

from .base import *  # noqa: E402, F403
from .base import DATABASES  # noqa: E402

DATABASES["default"]["TEST"] = {"NAME": f"test_generalbots_{_run}"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
