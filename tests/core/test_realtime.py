import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from generalbots.core.realtime import flush, publish, publish_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener():
    """A channel subscribed to group ``dashboard``; ``receive()`` returns a message or None."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("dashboard", channel)

    async def receive_or_none():
        try:
            return await asyncio.wait_for(layer.receive(channel), 1)
        except asyncio.TimeoutError:
            return None

    yield async_to_sync(receive_or_none)
    async_to_sync(layer.group_discard)("dashboard", channel)


def test_publish_reaches_the_group_when_the_transaction_commits(listener, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(group="dashboard", type="workflow.step", data={"step": 2})

    assert listener() == {"type": "realtime.event", "event": "workflow.step", "data": {"step": 2}}


def test_publish_sends_nothing_when_the_transaction_rolls_back(listener, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        publish(group="dashboard", type="workflow.step", data={"step": 2})

    assert listener() is None


@pytest.mark.parametrize("bad_type", ["step", "Workflow.Step", "workflow.", "workflow step"])
def test_publish_refuses_types_without_a_namespace(bad_type):
    with pytest.raises(ValueError):
        publish(group="dashboard", type=bad_type, data={})


def test_messages_of_one_process_arrive_in_the_order_they_were_published(listener, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(50):
            publish(group="dashboard", type="bot.message", data={"n": n})

    assert [listener()["data"]["n"] for _ in range(50)] == list(range(50))


def test_flush_waits_until_the_queued_messages_are_sent(listener, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(group="dashboard", type="workflow.step", data={"step": 1})

    assert flush(timeout=5) is True
    assert listener() == {"type": "realtime.event", "event": "workflow.step", "data": {"step": 1}}


def test_a_group_is_sent_to_once_it_has_a_member(django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    with django_capture_on_commit_callbacks(execute=True):
        publish(group="late", type="workflow.step", data={"step": 1})
    assert flush(timeout=5) is True
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)("late", channel)

    with django_capture_on_commit_callbacks(execute=True):
        publish_many([("late", "workflow.status", {"n": 1}), ("late", "workflow.status", {"n": 2})])

    async def both():
        return [await asyncio.wait_for(layer.receive(channel), 1) for _ in range(2)]
    assert [m["data"]["n"] for m in async_to_sync(both)()] == [1, 2]
    async_to_sync(layer.group_discard)("late", channel)


def test_messages_to_groups_nobody_joined_are_not_sent_and_the_others_keep_their_order(
        listener, django_capture_on_commit_callbacks, monkeypatch):
    layer = get_channel_layer()
    sent = []
    original = layer.group_send

    async def counting(group, message):
        sent.append(group)
        await original(group, message)

    monkeypatch.setattr(layer, "group_send", counting)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(20):
            publish(group=f"nobody.{n}", type="workflow.status", data={"n": n})
            publish(group="dashboard", type="workflow.status", data={"n": n})

    assert flush(timeout=5) is True
    assert [listener()["data"]["n"] for _ in range(20)] == list(range(20))
    assert sent == ["dashboard"] * 20
