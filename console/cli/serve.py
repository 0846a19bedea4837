"""``gb serve``: the whole platform in one process — what ``make run`` starts.

Migrates the database, loads the packages, makes sure an admin exists, then serves HTTP and
websockets with Daphne while the in-process worker and timer threads run the tasks (embedded
mode; with a real broker the Celery workers do). SIGINT or SIGTERM stop it with status 0.
"""

import logging
import os
import signal

from django.core.management.base import CommandError

HELP = "Migrate, load packages, ensure an admin user and serve the platform in one process."

logger = logging.getLogger("generalbots.access")


def add_arguments(parser) -> None:
    parser.add_argument("--host", default=os.environ.get("GB_HOST", "127.0.0.1"), help="default: GB_HOST or 127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("GB_PORT", "8000")), help="default: GB_PORT or 8000")
    parser.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")


def handle(command, options) -> None:
    try:
        _serve(command, options)
    except KeyboardInterrupt:  # Ctrl-C before the server took over the signal
        command.stdout.write("\nStopped.")


def _say(command, text: str = "") -> None:
    command.stdout.write(text)
    command.stdout.flush()


def _serve(command, options) -> None:
    from django.conf import settings
    from django.core.management import call_command

    from generalbots.bots.services import packages_load
    from generalbots.core import dispatch
    from generalbots.core.services import superuser_ensure

    if not options["no_migrate"]:
        _say(command, "Applying database migrations...")
        call_command("migrate", interactive=False, verbosity=0)
    results = packages_load()
    _say(command, f"Loaded {len(results)} bot package(s) from {', '.join(_roots(settings))}.")
    login = superuser_ensure(username="admin", password=os.environ.get("GB_ADMIN_PASSWORD") or None)

    host, port = options["host"], options["port"]
    if not os.environ.get("GB_PUBLIC_URL"):  # mailed links point at this very server
        shown = f"[{host}]" if ":" in host else ("127.0.0.1" if host in ("0.0.0.0", "") else host)
        settings.GB_PUBLIC_URL = f"http://{shown}:{port}"
    # Twisted takes SIGINT over only from Python's default handler; a shell that started us in
    # the background set it to "ignore", and Ctrl-C must stop the server in every case.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    server = _build_server(host, port, ready=lambda: _banner(command, settings, host, port, login))
    if settings.GB_INPROCESS_WORKER:
        dispatch.embedded_start()
    try:
        server.run()
    finally:
        if server.listening_addresses and settings.GB_INPROCESS_WORKER:
            _say(command, "\nStopping: letting the worker finish the task in hand...")
        dispatch.embedded_stop()
    if not server.listening_addresses:
        raise CommandError(f"Could not listen on {host}:{port} (in use?). Set GB_PORT or --port.")
    _say(command, "Stopped.")


def _build_server(host: str, port: int, *, ready):
    # daphne.server installs Twisted's asyncio reactor when imported: import it only here.
    from daphne.endpoints import build_endpoint_description_strings
    from daphne.server import Server

    from generalbots.asgi import application

    return Server(
        application=application,
        endpoints=build_endpoint_description_strings(host=host, port=port),
        signal_handlers=True,
        action_logger=_log_action,
        ready_callable=ready,
        server_name="generalbots",
    )


def _log_action(protocol, action, details) -> None:
    if protocol == "http" and action == "complete":
        logger.info("%s %s %s", details["method"], details["path"], details["status"])


def _roots(settings) -> list[str]:
    return [str(settings.GB_TEMPLATES_DIR), *(str(p) for p in settings.GB_BOTS_DIRS)]


def _banner(command, settings, host: str, port: int, login) -> None:
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}"
    database = settings.DATABASES["default"]
    store = database["NAME"] if database["ENGINE"].endswith("sqlite3") else database["ENGINE"].rsplit(".", 1)[-1]
    worker = "in-process worker and timer" if settings.GB_INPROCESS_WORKER else "Celery workers"
    if login.created and login.password:
        account = f"{login.username} / {login.password}   (generated, shown once: change it in the admin)"
    elif login.created:
        account = f"{login.username} / the password in GB_ADMIN_PASSWORD"
    else:
        account = f"existing superuser '{login.username}' (password unchanged)"
    _say(
        command,
        "\n".join(
            [
                "",
                f"General Bots is running at {url}/",
                f"  home:      {url}/   (log in here: every page is linked from it)",
                f"  login:     {account}",
                f"  runs:      {url}/dashboard/   (start one: {url}/dashboard/start/)",
                f"  approvals: {url}/dashboard/approvals/",
                f"  events:    {url}/dashboard/events/",
                f"  chat:      {url}/chat/",
                f"  LLM:       {url}/llm/",
                f"  admin:     {url}/admin/",
                f"  API:       {url}/api/   (docs: {url}/api/schema/docs/)",
                f"  health:    {url}/healthz",
                f"  mode:      database {store}; {worker}",
                "Press Ctrl-C to stop.",
                "",
            ]
        ),
    )
