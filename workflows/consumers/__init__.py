"""Websockets of the dashboard, split by concern: runs (``runs``), the event log (``events``);
``generalbots.routing`` routes them."""

from workflows.consumers.events import EventsConsumer
from workflows.consumers.runs import RunConsumer, RunsConsumer

__all__ = ["EventsConsumer", "RunConsumer", "RunsConsumer"]
