"""The Celery application.

Configuration comes from Django settings under the ``CELERY_`` namespace; tasks are found in
every installed app's ``tasks.py``. In embedded mode the broker is ``memory://`` and nothing
talks to it: ``core.dispatch`` runs the same tasks on an in-process worker thread instead.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generalbots.settings.base")

app = Celery("generalbots")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
