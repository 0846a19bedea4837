"""The test suite runs in full mode against the real PostgreSQL and Redis.

Defaults point at the local services ``scripts/ensure-services.sh`` starts; the environment
may override them like in any other mode.
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/generalbots")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
os.environ.setdefault("GB_CHANNEL_PREFIX", "gbtest")
os.environ.setdefault("GB_TASK_QUEUE", "generalbots-test")

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
