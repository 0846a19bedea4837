"""Publishes a burst of events from its own process: ``python -m tests.workflows.events_publisher
ORG_ID NAME COUNT PAUSE``; each event's data is ``{"n": i}`` (i = 1..COUNT). Prints the count."""

import os
import sys
import time


def main(org_id: str, name: str, count: int, pause: float) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generalbots.settings.test")
    import django

    django.setup()
    from generalbots.core.models import Organization
    from workflows.events import event_publish

    organization = Organization.objects.get(pk=org_id)
    for n in range(1, count + 1):
        event_publish(organization=organization, name=name, data={"n": n})
        time.sleep(pause)
    print(count, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
