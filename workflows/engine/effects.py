"""The step cache (DESIGN §4.4): keywords with outside effects record their result under
(run id, effect key ``"seq:line"``).

``EffectCache`` wraps the run's host. For a keyword in ``OUTSIDE`` it first looks for a recorded
result (in this slice, then in ``workflow_effects``) and returns it without calling the real
method. Otherwise it calls the host, records the result, and in a worker slice (``durable``)
returns ``Suspend({"kind": "effect"})`` at once: the slice commits the state together with the
record, and the worker resumes the run with the recorded value straight after. A worker killed
after that commit never repeats the effect; only a kill between the effect and the commit (a few
milliseconds) can. Conversation turns (not durable) record the result and go on inside the turn.
"""

from __future__ import annotations

from functools import partial

from generalbots.basic import Suspend, WaitKind
from generalbots.basic.values import decode_value, encode_value
from workflows.models import WorkflowEffect

OUTSIDE = frozenset({"http", "send_mail", "llm", "rewrite", "talk_to", "send_file", "download", "upload",
                     "create_task"})


class EffectCache:
    """A proxy host: ``OUTSIDE`` keywords go through the cache, the rest straight through."""

    def __init__(self, host, run, slice_ctx):
        self.inner = host
        self.run = run
        self.slice = slice_ctx

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name in OUTSIDE:
            return partial(self._cached, name, attr)
        return attr

    def lookup(self, key: str):
        """The recorded result of ``key`` as a (found, value) pair."""
        recorded = self.slice.recorder.effect(self.run, key)
        if recorded is None and not self.slice.recorder.is_new(self.run):
            recorded = WorkflowEffect.objects.filter(execution_id=self.run.pk, key=key).first()
        if recorded is None:
            return False, None
        return True, decode_value(recorded.result)

    def _cached(self, name, method, ctx, *args):
        key = ctx.key_text
        found, value = self.lookup(key)
        if found:
            return value
        if name == "http" and len(args) >= 4 and isinstance(args[3], dict):
            # receivers can drop a request repeated after a crash in the commit window
            args = (*args[:3], {"Idempotency-Key": f"{self.run.pk}:{key}", **args[3]})
        value = method(ctx, *args)
        if type(value) is Suspend:
            return value
        self.slice.recorder.add_effect(self.run, key, name, encode_value(value))
        if self.slice.durable:
            return Suspend({"kind": WaitKind.EFFECT, "key": key, "method": name})
        return value
