"""Event keywords of the run host (BASIC.md §5): PUBLISH EVENT and WAIT FOR EVENT.

The group expects ``self.run``, ``self.bot``, ``self.conversation`` and ``self.slice`` (the
engine's SliceContext). The semantics live in ``workflows.events``:

- ``PUBLISH EVENT name [WITH data]`` stores the event (organization of the bot, source bot,
  this run) in the slice's transaction; it is broadcast and wakes its waiters when that commits.
  It is attributed (``published_by``) to the user of the conversation whose script publishes
  it, or, in a workflow, to the user who started it (BOT steps and branches inherit that user);
  to nobody when neither is known (terminal chats, runs of the sweeper).
- ``WAIT FOR EVENT name [TIMEOUT s] [WHERE ...]`` first takes the oldest matching event already
  in the run's mailbox (consumed in this slice's transaction) and goes on without suspending;
  otherwise it suspends on ``{"kind": "event", "name", "where", "timeout", "deadline"}`` (the
  deadline counted from the slice's ``now``). Without TIMEOUT it waits for as long as it takes.
"""

from __future__ import annotations

from generalbots.basic import BasicRuntimeError, Suspend, WaitKind
from generalbots.basic.host import deadline_after
from generalbots.basic.values import to_number, to_text
from workflows.events import event_name_check, event_publish, mailbox_take, where_spec
from workflows.runtime.errors import script_errors


class EventKeywords:
    """PUBLISH EVENT / WAIT FOR EVENT through ``workflows.events`` (see module docstring)."""

    @script_errors("PUBLISH EVENT")
    def publish_event(self, ctx, name, data=None):
        workflow = None if self.slice.recorder.is_new(self.run) else self.run
        conversation = self.conversation
        user = conversation.user if conversation is not None else self.run.started_by
        event_publish(organization=self.bot.organization, name=to_text(name), data=data,
                      source_bot=self.bot, workflow=workflow, published_by=user)
        return None

    def wait_event(self, ctx, name, timeout=None, where=None):
        with script_errors("WAIT FOR EVENT"):
            name = event_name_check(to_text(name))
            spec = where_spec(where)
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
        deadline = deadline_after(self.slice.now, seconds)
        return Suspend({"kind": WaitKind.EVENT, "name": name, "where": spec, "timeout": seconds, "deadline": deadline})
