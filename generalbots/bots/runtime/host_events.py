"""Event keywords of the Django host (BASIC.md §5): PUBLISH EVENT and WAIT FOR EVENT.

The mixin expects ``self.run``, ``self.bot`` and ``self.slice`` (the engine's SliceContext).
It sits before ``WorkflowKeywords`` in ``RunHost``'s bases. The semantics live in
``workflows.events``:

- ``PUBLISH EVENT name [WITH data]`` stores the event (organization of the bot, source bot,
  this run) in the slice's transaction; it is broadcast and wakes its waiters when that commits.
  It is attributed (``published_by``) to the user of the conversation whose script publishes
  it, or, in a workflow, to the user who started it (BOT steps and branches inherit that user);
  to nobody when neither is known (terminal chats, runs of the sweeper).
- ``WAIT FOR EVENT name [TIMEOUT s] [WHERE ...]`` first takes the oldest matching event already
  in the run's mailbox (consumed in this slice's transaction) and goes on without suspending;
  otherwise it suspends on ``{"kind": "event", "name", "where", "timeout", "deadline"}``.
  Without TIMEOUT it waits for as long as it takes.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from generalbots.basic import BasicRuntimeError, Suspend
from generalbots.basic.values import to_number, to_text
from generalbots.core.exceptions import ApplicationError


class EventKeywords:
    """PUBLISH EVENT / WAIT FOR EVENT through ``workflows.events`` (see module docstring)."""

    def publish_event(self, ctx, name, data=None):
        from workflows.events import event_publish

        workflow = None if self.slice.recorder.is_new(self.run) else self.run
        conversation = getattr(self, "conversation", None)
        user = conversation.user if conversation is not None else self.run.started_by
        try:
            event_publish(organization=self.bot.organization, name=to_text(name), data=data,
                          source_bot=self.bot, workflow=workflow, published_by=user)
        except ApplicationError as exc:
            raise BasicRuntimeError(f"PUBLISH EVENT: {exc.message}") from None
        return None

    def wait_event(self, ctx, name, timeout=None, where=None):
        from workflows.events import event_name_check, mailbox_take, where_spec

        try:
            name = event_name_check(to_text(name))
            spec = where_spec(where)
        except ApplicationError as exc:
            raise BasicRuntimeError(f"WAIT FOR EVENT: {exc.message}") from None
        seconds = None
        if timeout is not None:
            seconds = float(to_number(timeout))
            if seconds < 0:
                raise BasicRuntimeError(f"WAIT FOR EVENT {name}: TIMEOUT must not be negative ({seconds:g})")
        taken = mailbox_take(self.run, name=name, where=spec)
        if taken is not None:
            return {"timed_out": False, "data": taken.event.event_data}
        if seconds is not None and seconds <= 0:
            return {"timed_out": True, "data": None}
        deadline = (timezone.now() + timedelta(seconds=seconds)).isoformat() if seconds is not None else None
        return Suspend({"kind": "event", "name": name, "where": spec, "timeout": seconds, "deadline": deadline})
