"""Settings shared by every mode; the mode is chosen by environment variables only.

- no ``DATABASE_URL``: an SQLite file under ``GB_DATA_DIR`` (``var/`` by default);
- ``REDIS_URL`` set: channels-redis layer, Celery broker and Django cache on Redis;
  otherwise an in-memory channel layer and the in-process worker of ``core.dispatch``;
- ``QDRANT_URL`` set: a Qdrant server; otherwise Qdrant's local mode in a folder.
"""

import os
import sys
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()

DATA_DIR = Path(env("GB_DATA_DIR", default="") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key_from_data_dir() -> str:
    """A key generated once per installation, so no secret ever sits in the repository."""
    from django.core.management.utils import get_random_secret_key

    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("DJANGO_SECRET_KEY", default=None) or env("SECRET_KEY", default=None)
if not SECRET_KEY:
    SECRET_KEY = _secret_key_from_data_dir()

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# A Celery process (``celery ... worker`` or ``beat``, ``python -m celery`` too) serves no HTTP, so
# it leaves daphne out: daphne's app config imports Twisted to install its reactor early, ~45 MB in
# every worker process, for ``runserver`` only (bench/memory.py --workers measures the processes).
CELERY_PROCESS = "celery" in (Path(sys.argv[0]).name, Path(sys.argv[0]).parent.name)
# An ASGI server process (``daphne``, as ``make serve`` runs it, ``python -m daphne`` too, or another
# server): its database connections come from a pool (``DB_POOL_MAX_SIZE``, below).
SERVER_PROCESS = bool({"daphne", "uvicorn", "gunicorn", "hypercorn"} & {Path(sys.argv[0]).name, Path(sys.argv[0]).parent.name})

INSTALLED_APPS = [
    *([] if CELERY_PROCESS else ["daphne"]),
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",  # login throttling; before our apps so core.admin can make its admin superuser-only
    "generalbots.core",
    "generalbots.bots",
    "workflows",
    "memory",
    "llmrouter",
    "designer",
    "console",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes): after GB_LOGIN_FAILURE_LIMIT wrong passwords for one user name
# from one address, that pair is locked out (HTTP 429) for GB_LOGIN_COOLOFF_MINUTES, even with
# the right password; a successful login resets the count. Admin and console logins alike.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("GB_LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("GB_LOGIN_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "generalbots.urls"
WSGI_APPLICATION = "generalbots.wsgi.application"
ASGI_APPLICATION = "generalbots.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------

SQLITE_PATH = DATA_DIR / "generalbots.sqlite3"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded server writes from request threads and the worker thread at once:
    # WAL lets readers go on during a write, IMMEDIATE takes the write lock up front so two
    # writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The server answers each request in a thread of its own, so a kept connection (CONN_MAX_AGE)
    # would outlive its thread; without a pool every request opens a connection (a PostgreSQL
    # backend started and stopped per request). Django's psycopg pool (psycopg-pool) lends one
    # per request instead: up to DB_POOL_MAX_SIZE per server process (20; 0 turns it off), by
    # default in an ASGI server process only — a worker keeps its own connections
    # (GB_WORKER_CONN_MAX_AGE), a command or a test opens its own — and not with
    # DB_CONN_MAX_AGE set (persistent connections, the other choice). A request waits up to
    # DB_POOL_TIMEOUT seconds (10) for a connection. The pool checks a connection before lending
    # it (CONN_HEALTH_CHECKS: an empty query, one round trip per request), so one that broke
    # (PostgreSQL restarted) is replaced instead of failing a request.
    DB_POOL_MAX_SIZE = env.int("DB_POOL_MAX_SIZE",
                               default=20 if SERVER_PROCESS and not DATABASES["default"]["CONN_MAX_AGE"] else 0)
    if DB_POOL_MAX_SIZE > 0:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1, "max_size": DB_POOL_MAX_SIZE, "timeout": env.float("DB_POOL_TIMEOUT", default=10.0)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, channel layer, cache, Celery ---------------------------------------------------------

REDIS_URL = env("REDIS_URL", default=None)

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # channels-redis blocks 5 s at a time waiting for a message (BZPOPMIN); redis-py's
                # own 5 s read timeout raced it, and an idle websocket died with 1011 after 5-15 s.
                # The read timeout must stay well above that blocking read.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30, "socket_connect_timeout": 5,
                           "socket_keepalive": True, "health_check_interval": 25}],
                "prefix": env("GB_CHANNEL_PREFIX", default="gb"),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gb",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Read by generalbots/celery.py through the CELERY_ namespace.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("GB_TASK_QUEUE", default="generalbots")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers keep their database connection between tasks (see generalbots/celery.py): Celery's
# fixup then closes it only after this many tasks, and close_old_connections does the rest.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1_000_000)
GB_WORKER_CONN_MAX_AGE = env.int("GB_WORKER_CONN_MAX_AGE", default=600)
# The prefork pool (Celery's default; one child per core: BASIC slices are CPU-bound, so threads
# would share one GIL) replaces a child, after its task, once it holds more than this many KB.
# A child running slices rests near 90 MB (bench/memory.py --workers); one that has loaded the
# embedding model for a knowledge base holds ~140 MB more and keeps it. 0 turns the ceiling off.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("GB_WORKER_MAX_MEMORY_MB", default=400) * 1024 or None
# After a task, at most once every this many seconds, a worker process hands the memory malloc
# keeps free back to the system (malloc_trim, generalbots/celery.py); 0 never.
GB_WORKER_TRIM_SECONDS = env.float("GB_WORKER_TRIM_SECONDS", default=1)
# A queued task is only a hint (the sweeper re-finds the work), so a broker outage must not
# hold a request for long: one quick retry, then give up (dispatch.enqueue logs it).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# Periodic tasks, by task name. Celery beat sends them in full mode; the timer thread of the
# embedded server reads the same schedule (core.dispatch), so each one is declared once.
CELERY_BEAT_SCHEDULE: dict = {
    # Runs whose wake-up is due or was lost, conversations' timers and HEAR timeouts too
    # (workflows.engine.sweep: it only queues), and pruning.
    "workflows-sweep": {"task": "workflows.sweep", "schedule": 1.0},
    # Due timers only, more often (one indexed statement when none is due): a timer's lateness
    # is at most this tick plus the time its slice waits for a worker.
    "workflows-sweep-timers": {"task": "workflows.sweep_timers", "schedule": env.float("GB_SWEEP_TIMER_SECONDS",
                                                                                      default=0.25)},
    "workflows-prune": {"task": "workflows.prune", "schedule": 3600.0},
    # Expired REMEMBER memories and their vectors (memory.services.remembered_purge_expired).
    "memory-purge-expired": {"task": "memory.purge_expired", "schedule": 60.0},
}
# Finished workflow runs older than this many days are deleted by workflows.prune.
GB_RUN_RETENTION_DAYS = env.float("GB_RUN_RETENTION_DAYS", default=30)
# The sweeper takes a run whose wake-up message may be lost once it is this many seconds old,
# and queues the same run again only after GB_SWEEP_REQUEUE_SECONDS (a backlog is not a loss).
GB_SWEEP_GRACE_SECONDS = env.float("GB_SWEEP_GRACE_SECONDS", default=3)
GB_SWEEP_REQUEUE_SECONDS = env.float("GB_SWEEP_REQUEUE_SECONDS", default=15)
# The most due timers one sweep claims (oldest due first); the rest wait for the next tick.
GB_SWEEP_TIMER_BATCH = env.int("GB_SWEEP_TIMER_BATCH", default=5000)
# Runs woken together (one event, one sweep) travel GB_SLICE_BATCH to a worker message.
GB_SLICE_BATCH = env.int("GB_SLICE_BATCH", default=50)
# New runs started over the API are taken by the workers up to GB_START_BATCH at a time, one
# message for many starts (workflows.engine.starts); 0 sends one message per start. The flag
# that stands for a waiting message expires after GB_START_HINT_SECONDS (a lost message).
GB_START_BATCH = env.int("GB_START_BATCH", default=20)
GB_START_HINT_SECONDS = env.float("GB_START_HINT_SECONDS", default=5)
# A run whose slice killed its worker this many times in a row is failed instead of retried.
GB_SLICE_MAX_ATTEMPTS = env.int("GB_SLICE_MAX_ATTEMPTS", default=3)
# The most a run keeps between slices: its saved VM state (variables ...) and its TALK output.
GB_STATE_MAX_BYTES = env.int("GB_STATE_MAX_BYTES", default=4 * 1024 * 1024)
# The engine's hot-path statements built from Django internals (generalbots.core.fastsql); off,
# the same writes and reads go through the plain ORM (slower, same results). Check core.W001.
GB_ENGINE_FAST_SQL = env.bool("GB_ENGINE_FAST_SQL", default=True)
# In-process worker and timer threads instead of Celery processes (embedded mode).
GB_INPROCESS_WORKER = CELERY_BROKER_URL.startswith("memory://")

# --- Qdrant ---------------------------------------------------------------------------------

QDRANT_URL = env("QDRANT_URL", default=None)
QDRANT_API_KEY = env("QDRANT_API_KEY", default=None)
QDRANT_PATH = env("QDRANT_PATH", default=str(DATA_DIR / "qdrant"))

# --- platform -------------------------------------------------------------------------------

GB_TEMPLATES_DIR = BASE_DIR / "bottemplates"
GB_BOTS_DIRS = [Path(p) for p in env("GB_BOTS_DIRS", default="").split(os.pathsep) if p]
GB_DEFAULT_ORGANIZATION = "default"
# Uploaded .gbai zips are unpacked here (one NAME.gbai folder each).
GB_PACKAGE_UPLOAD_DIR = Path(env("GB_PACKAGE_UPLOAD_DIR", default="") or DATA_DIR / "packages")
GB_PACKAGE_UPLOAD_MAX_BYTES = env.int("GB_PACKAGE_UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
GB_PACKAGE_UNPACKED_MAX_BYTES = env.int("GB_PACKAGE_UNPACKED_MAX_BYTES", default=200 * 1024 * 1024)
# Each bot's files (READ, WRITE, LIST ...) live in GB_STORAGE_DIR/<bot id>/ (workflows.runtime.keywords.files).
GB_STORAGE_DIR = Path(env("GB_STORAGE_DIR", default="") or DATA_DIR / "storage")
GB_MESSAGE_MAX_CHARS = env.int("GB_MESSAGE_MAX_CHARS", default=10_000)
# Where people reach this site: links that leave it (approval mails) start with it. Production
# must set it (system check workflows.E001).
GB_PUBLIC_URL = env("GB_PUBLIC_URL", default="http://127.0.0.1:8000")
# /healthz: when set, "no Celery worker answered" makes the platform unhealthy.
GB_HEALTH_REQUIRE_WORKERS = env.bool("GB_HEALTH_REQUIRE_WORKERS", default=False)
# Outbound HTTP of scripts (GET, POST ... keywords; generalbots.core.outbound): each exchange ends
# within the deadline and reads at most GB_HTTP_MAX_BYTES. Private and local addresses are refused
# unless the bot allows them (config http-allow-private) or they lie in GB_HTTP_ALLOWED_NETWORKS
# (comma-separated CIDRs, e.g. an intranet API: 10.20.0.0/16).
GB_HTTP_DEADLINE_SECONDS = env.float("GB_HTTP_DEADLINE_SECONDS", default=20)
GB_HTTP_MAX_BYTES = env.int("GB_HTTP_MAX_BYTES", default=5_000_000)
GB_HTTP_ALLOWED_NETWORKS = env.list("GB_HTTP_ALLOWED_NETWORKS", default=[])
# Model endpoints a bot's own config.csv names (llm-url, embedding-url: written by whoever made the
# package) may reach private addresses only inside these networks; by default the machine itself
# (a local Ollama or llama.cpp server). Production allows none unless set. Models registered in the
# admin by an operator are not limited.
GB_MODEL_ALLOWED_NETWORKS = env.list("GB_MODEL_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])

# --- mail (SEND MAIL): SMTP when EMAIL_HOST is set, else printed on the console ---------------

EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
# Seconds one send may take as a whole (connect, greeting, TLS, login, data): core.mail.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=20)
EMAIL_BACKEND = ("generalbots.core.mail.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="bots@localhost")

# --- auth, i18n, static -----------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"  # the console home page, which links to the admin for staff

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the site's one stylesheet (static/site.css)
# asgi.py serves static files itself (the platform runs without a front web server);
# set GB_SERVE_STATIC=false when a proxy serves STATIC_ROOT after collectstatic.
GB_SERVE_STATIC = env.bool("GB_SERVE_STATIC", default=True)

# --- REST API -------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "generalbots.core.auth.TokenAuthentication",  # DRF's, its lookup compiled once
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The API speaks JSON only; its parser bounds nesting (core.api_input: a 400, not a 500).
    "DEFAULT_PARSER_CLASSES": ["generalbots.core.api_input.JSONParser"],
    # drf-spectacular's, plus the error answers of every operation (core.api.ApiSchema).
    "DEFAULT_SCHEMA_CLASS": "generalbots.core.api.ApiSchema",
    "DEFAULT_PAGINATION_CLASS": "generalbots.core.api_input.ApiPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "generalbots.core.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "General Bots API",
    "DESCRIPTION": "Bots, workflows, events, approvals, memory and LLM routing.",
    "VERSION": "7.0.0",
    # 3.1: full JSON Schema, so the schema can say what the views check (e.g. variable names).
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ExecutionStatusEnum": "workflows.choices.ExecutionStatus",
        "StepStatusEnum": "workflows.choices.StepStatus",
        "ApprovalStatusEnum": "workflows.choices.ApprovalStatus",
        "ExecutionKindEnum": "workflows.choices.ExecutionKind",
        "StepKindEnum": "workflows.choices.StepKind",
    },
}

# --- logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Daphne narrates its start-up at INFO; the serve command prints its own banner.
        "daphne": {"level": "WARNING"},
        # One line per task run is noise with periodic tasks every second; failures still log.
        # Likewise a line per task received (worker) and per task sent (beat): an idle worker
        # with beat inside logged four lines a second.
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
        "celery.beat": {"level": "WARNING"},
        # httpx logs every request at INFO (LLM calls, script HTTP): too chatty for the console.
        "httpx": {"level": "WARNING"},
    },
}
