"""``dispatch.redis_push``: the message a hint pushes itself is the one ``apply_async`` pushes
(the same envelope, headers and body, but for the ids drawn at random), and a worker runs it."""

import base64
import json

import pytest
from django.conf import settings
from django.test import override_settings

from generalbots.core import dispatch
from workflows.engine import starts
from workflows.tasks import slice_new_task


def decoded(raw) -> dict:
    message = json.loads(raw)
    message["body"] = json.loads(base64.b64decode(message["body"]))
    return message


@pytest.fixture
def scratch(settings):
    """A queue of its own on the broker, which no worker of the test run consumes."""
    settings.CELERY_TASK_DEFAULT_QUEUE = queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-scratch"
    client = starts._client()
    client.delete(queue)
    yield client, queue
    client.delete(queue)


def test_the_message_is_the_one_apply_async_pushes_but_for_its_random_ids(scratch):
    client, queue = scratch
    slice_new_task.apply_async(args=("run-1",), queue=queue)
    theirs = decoded(client.lpop(queue))

    key, raw = dispatch.redis_push(slice_new_task, "run-1")
    ours = decoded(raw)

    assert key == queue
    task_id = ours["headers"]["id"]
    assert ours["headers"]["root_id"] == ours["properties"]["correlation_id"] == task_id != theirs["headers"]["id"]
    assert ours["properties"]["delivery_tag"] != theirs["properties"]["delivery_tag"]
    for message in (ours, theirs):
        for where, name in (("headers", "id"), ("headers", "root_id"), ("properties", "correlation_id"),
                            ("properties", "delivery_tag")):
            message[where][name] = "<random>"
    assert ours == theirs
    assert ours["body"][0] == ["run-1"] and ours["properties"]["delivery_info"]["routing_key"] == queue


def test_no_message_is_built_when_the_broker_is_not_the_redis_of_the_flag(settings):
    settings.CELERY_BROKER_URL = settings.REDIS_URL.rsplit("/", 1)[0] + "/15"
    assert dispatch.redis_push(slice_new_task, "run-1") is None
    with override_settings(CELERY_BROKER_URL=settings.REDIS_URL, CELERY_BROKER_TRANSPORT_OPTIONS={"global_keyprefix": "x"}):
        assert dispatch.redis_push(slice_new_task, "run-1") is None


def test_what_is_worked_out_once_follows_a_broker_or_a_setting_changed_since():
    from generalbots.celery import app

    assert dispatch.redis_push(slice_new_task, "run-1") is not None  # worked out for this broker
    conf = app.conf
    saved = conf.broker_url, conf.broker_write_url
    conf.broker_url = conf.broker_write_url = "redis://127.0.0.1:9/0"  # on the app itself, not a setting
    try:
        assert dispatch.redis_push(slice_new_task, "run-1") is None
    finally:
        conf.broker_url, conf.broker_write_url = saved
    assert dispatch.redis_push(slice_new_task, "run-1") is not None
    with override_settings(CELERY_TASK_ROUTES={"workflows.*": {"queue": "elsewhere"}}):
        assert dispatch.redis_push(slice_new_task, "run-1") is None
    key, _ = dispatch.redis_push(slice_new_task, "run-1")
    assert key == settings.CELERY_TASK_DEFAULT_QUEUE
