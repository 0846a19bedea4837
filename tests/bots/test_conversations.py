"""Conversations through the services: start.bas, durable HEAR, typed answers, CALL, errors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from generalbots.bots.choices import Channel, MessageRole
from generalbots.bots.models import Conversation, Message
from generalbots.bots.services import conversation_get_or_create
from memory.models import BotMemory, SessionVariable, UserMemory
from tests.bots.conftest import load, write_package
from tests.workflows.engine_helpers import resume_due
from workflows.choices import ExecutionStatus
from workflows.conversations import conversation_post_message, conversation_start
from workflows.models import WorkflowExecution

pytestmark = pytest.mark.django_db


def say(conversation, text):
    """Post ``text``; the texts of the bot's replies."""
    return [m.text for m in conversation_post_message(conversation=conversation, text=text).replies]


@pytest.fixture
def chat(demo_bot, user):
    return conversation_get_or_create(bot=demo_bot, user=user, channel=Channel.API)


def test_the_first_message_runs_start_and_waits_at_hear(chat):
    result = conversation_post_message(conversation=chat, text="hello")

    assert [m.text for m in result.replies] == ["Welcome to Acme!"]
    assert result.suggestions == ["Order", "Ask"]
    assert result.waiting_for == "hear"
    chat.refresh_from_db()
    assert chat.run.status == ExecutionStatus.WAITING
    assert chat.run.workflow_name == "start"
    assert chat.run.state["wait"]["kind"] == "hear"
    assert [m.role for m in Message.objects.filter(conversation=chat)] == [MessageRole.USER, MessageRole.BOT]


def test_a_menu_answer_is_validated_and_asked_again(chat):
    say(chat, "hello")

    replies = say(chat, "pizza")

    assert replies == ["Please choose one of: Order, Ask."]
    assert say(chat, "ask") == ["Ask me anything."]
    chat.refresh_from_db()
    assert chat.run is None
    assert WorkflowExecution.objects.get(workflow_name="start").status == ExecutionStatus.COMPLETED


def test_a_called_dialog_asks_typed_questions_and_returns_its_value(chat, demo_bot):
    say(chat, "hi")

    assert say(chat, "Order") == ["How many boxes?"]
    assert say(chat, "a few") == ["Please answer with a whole number.", "How many boxes?"]
    assert say(chat, "3") == ["Your email?"]
    assert say(chat, "not-an-email") == ["Please enter a valid email address.", "Your email?"]
    assert say(chat, "ana@example.com") == ["Is it urgent?"]
    replies = say(chat, "yes")

    # 3 boxes at 10 with param-discount 15 % is 25.5; param-vip true takes 1 off.
    assert replies == ["Order of 3 for ana@example.com (urgent).", "Your total is 24.5."]
    assert BotMemory.objects.get(bot=demo_bot, key="last_order").value == 3
    runs = WorkflowExecution.objects.order_by("created_at")
    assert [(r.workflow_name, r.status) for r in runs] == [("start", "completed"), ("order", "completed")]
    assert runs[1].parent_id == runs[0].pk


def test_start_shapes_the_llm_context_for_later_messages(chat, llm_server):
    llm_server.configure("demo-model", reply="We open at 9.")
    say(chat, "hello")
    say(chat, "Ask")

    replies = say(chat, "When do you open?")

    assert replies == ["We open at 9."]
    body = llm_server.chat_requests("demo-model")[-1]
    assert body["messages"][0] == {"role": "system", "content": "You are the Demo desk assistant."}
    assert body["messages"][1] == {"role": "system", "content": "hours: We open from 9 to 17."}
    assert body["messages"][-1] == {"role": "user", "content": "When do you open?"}
    # history-limit 4: the four messages before this one, oldest first.
    assert [m["content"] for m in body["messages"][2:-1]] == ["hello", "Welcome to Acme!", "Ask", "Ask me anything."]
    assert [t["function"]["name"] for t in body["tools"]] == ["weather"]


def test_a_script_error_apologises_keeps_the_error_and_the_conversation_usable(tmp_path, user):
    write_package(tmp_path, "fragile", {"start.bas": 'TALK "one moment"\nHEAR x\nTHROW "boom " + x\n'})
    bot = load(tmp_path, "fragile")
    chat = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)
    say(chat, "hi")

    replies = say(chat, "now")

    assert replies == ["Sorry, something went wrong on my side. Please try again."]
    chat.refresh_from_db()
    assert chat.last_error == "fragile.gbdialog/start.bas:3: script error: boom now"
    assert chat.run is None
    assert WorkflowExecution.objects.get().error == chat.last_error
    offline = ('[offline model] I received: still there?\nI am an offline model, so I answer only from what I know '
               'about Fragile: ask "what can you do?" or "what do you need?".')
    assert say(chat, "still there?") == [offline]
    assert list(Message.objects.filter(conversation=chat).values_list("text", flat=True)) == [
        "hi", "one moment", "now", "Sorry, something went wrong on my side. Please try again.", "still there?", offline,
    ]


def test_a_model_that_fails_apologises_and_the_waiting_run_is_kept(tmp_path, user, llm_server):
    llm_server.configure("m", failure_rate=1.0, failure_status=503)
    write_package(tmp_path, "shaky", {"start.bas": 'HEAR topic\nTALK LLM "Say something about " + topic\n'},
                  config=f"llm-url,{llm_server.url}\nllm-model,m\n")
    bot = load(tmp_path, "shaky")
    chat = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)
    say(chat, "hi")

    replies = say(chat, "cats")

    assert replies == ["Sorry, something went wrong on my side. Please try again."]
    chat.refresh_from_db()
    assert "shaky.gbdialog/start.bas:2:" in chat.last_error and "HTTP 503" in chat.last_error


def test_wait_is_durable_and_the_sweeper_resumes_it_when_due(tmp_path, user):
    write_package(tmp_path, "patient", {"start.bas": 'TALK "wait for it"\nWAIT 60\nTALK "done"\n'})
    bot = load(tmp_path, "patient")
    chat = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)

    first = conversation_start(conversation=chat)
    early = resume_due(now=timezone.now())
    late = resume_due(now=timezone.now() + timedelta(seconds=61))

    assert [m.text for m in first.replies] == ["wait for it"]
    assert first.waiting_for == "timer"
    assert (early, late) == (0, 1)
    assert list(Message.objects.filter(conversation=chat).values_list("text", flat=True)) == ["wait for it", "done"]
    chat.refresh_from_db()
    assert chat.run is None


def test_memory_scopes_and_files(tmp_path, user, storage):
    write_package(tmp_path, "keeper", {"start.bas": "\n".join([
        'SET USER MEMORY "color", "blue"',
        'SET "session.step", 2',
        'WRITE "notes/a.txt", "kept"',
        'color = GET USER MEMORY "color"',
        'step = GET "session.step"',
        'note = READ "notes/a.txt"',
        'TALK color + " " + step + " " + note',
        'TALK JOIN(LIST "notes", ",")',
    ]) + "\n"})
    bot = load(tmp_path, "keeper")
    chat = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)

    result = conversation_start(conversation=chat)

    assert [m.text for m in result.replies] == ["blue 2 kept", "a.txt"]
    assert (storage / bot.pk.hex / "notes" / "a.txt").read_text() == "kept"
    chat.refresh_from_db()
    assert UserMemory.objects.get(bot=bot, user_key=chat.user_key, key="color").value == "blue"
    assert SessionVariable.objects.get(session_key=f"conversation:{chat.pk}", key="step").value == 2


def test_files_outside_the_storage_folder_are_refused(tmp_path, user):
    write_package(tmp_path, "nosy", {"start.bas": 'TALK READ "../../etc/passwd"\n'})
    bot = load(tmp_path, "nosy")
    chat = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)

    conversation_start(conversation=chat)

    chat.refresh_from_db()
    assert chat.last_error == 'nosy.gbdialog/start.bas:1: READ: "../../etc/passwd" is outside this bot\'s storage'


def test_one_conversation_per_bot_user_and_channel(demo_bot, user):
    a = conversation_get_or_create(bot=demo_bot, user=user, channel=Channel.API)
    b = conversation_get_or_create(bot=demo_bot, user=user, channel=Channel.API)
    c = conversation_get_or_create(bot=demo_bot, user=user, channel=Channel.WEB)

    assert a.pk == b.pk != c.pk
    assert Conversation.objects.count() == 2


def test_send_mail_goes_through_the_django_mail_backend(tmp_path, user, mailoutbox):
    write_package(tmp_path, "mailer", {"start.bas": 'SEND MAIL "a@example.com; b@example.com", "Hi", "Body text"\n'},
                  config="email-from,bot@example.com\n")
    bot = load(tmp_path, "mailer")

    conversation_start(conversation=conversation_get_or_create(bot=bot, user=user, channel=Channel.API))

    assert [(m.subject, m.body, m.from_email, m.to) for m in mailoutbox] == [
        ("Hi", "Body text", "bot@example.com", ["a@example.com", "b@example.com"])]


def test_one_sweeper_queues_conversations_and_workflows_in_both_modes(settings):
    from generalbots.celery import app

    app.loader.import_default_modules()
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]

    assert tasks.count("workflows.sweep") == 1 and "workflows.sweep" in app.tasks
    assert "bots.resume_due_conversations" not in tasks


def test_talk_to_reaches_another_users_conversation_or_their_mail(tmp_path, user, django_user_model, mailoutbox):
    write_package(tmp_path, "notifier", {"start.bas": (
        'TALK TO "zoe", "Your order shipped"\n'
        'TALK TO "terminal:bob", "Hello Bob"\n'
        'TALK TO "carol@example.com", "Welcome Carol"\n'
        'TALK "sent"\n')})
    bot = load(tmp_path, "notifier")
    zoe = django_user_model.objects.create_user("zoe", "zoe@example.com", "pw")
    zoe_chat = conversation_get_or_create(bot=bot, user=zoe, channel=Channel.WEB)
    bob_chat = conversation_get_or_create(bot=bot, user_key="terminal:bob", channel=Channel.TERMINAL)
    mine = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)

    result = conversation_start(conversation=mine)

    assert [m.text for m in result.replies] == ["sent"]
    assert list(zoe_chat.messages.values_list("role", "text")) == [(MessageRole.BOT, "Your order shipped")]
    assert list(bob_chat.messages.values_list("text", flat=True)) == ["Hello Bob"]
    assert [(m.to, m.body) for m in mailoutbox] == [(["carol@example.com"], "Welcome Carol")]


def test_talk_to_somebody_unknown_is_an_error_naming_them(tmp_path, user):
    write_package(tmp_path, "notifier", {"start.bas": 'TALK "before"\nTALK TO "nobody-here", "hi"\n'})
    bot = load(tmp_path, "notifier")
    mine = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)

    conversation_start(conversation=mine)

    mine.refresh_from_db()
    assert "nobody-here" in mine.last_error and "start.bas:2" in mine.last_error
    assert list(mine.messages.values_list("text", flat=True))[0] == "before"


def test_a_woken_conversation_slice_that_breaks_apologises_and_fails_its_run(tmp_path, user, monkeypatch):
    write_package(tmp_path, "patient", {"start.bas": 'TALK "wait for it"\nWAIT 60\nTALK "done"\n'})
    chat_ = conversation_get_or_create(bot=load(tmp_path, "patient"), user=user, channel=Channel.API)
    conversation_start(conversation=chat_)

    def broken_settle(*args, **kwargs):
        raise RuntimeError("the engine broke")
    monkeypatch.setattr("workflows.engine.core.settle", broken_settle)
    resumed = resume_due(now=timezone.now() + timedelta(seconds=61))

    chat_.refresh_from_db()
    run = WorkflowExecution.objects.get(conversation=chat_)
    assert resumed == 1
    assert list(chat_.messages.values_list("text", flat=True)) == [
        "wait for it", "Sorry, something went wrong on my side. Please try again."]
    assert "RuntimeError: the engine broke" in chat_.last_error
    assert run.status == ExecutionStatus.FAILED and "internal error (RuntimeError)" in run.error


def test_an_unanswered_hear_times_out_after_hear_timeout_secs(tmp_path, user):
    write_package(tmp_path, "patient", {"start.bas": (
        'HEAR name AS NAME WITH "Your name?" DEFAULT "friend"\n'
        'TALK "Hi " + name\n'
        'HEAR city\n'
        'TALK "city: " + city + "."\n')}, config="hear-timeout-secs,30\n")
    bot = load(tmp_path, "patient")
    chat_ = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)
    conversation_start(conversation=chat_)
    chat_.refresh_from_db()
    deadline = chat_.run.resume_at
    assert chat_.run.waiting_for == "hear" and deadline is not None
    assert timedelta(seconds=29) < deadline - timezone.now() <= timedelta(seconds=30)

    assert resume_due(now=deadline - timedelta(seconds=1)) == 0
    assert resume_due(now=deadline + timedelta(seconds=1)) == 1

    chat_.refresh_from_db()
    assert list(chat_.messages.values_list("text", flat=True)) == ["Your name?", "Hi friend"]
    assert chat_.run.waiting_for == "hear"  # the next HEAR has its own deadline
    assert say(chat_, "Porto") == ["city: Porto."]
    chat_.refresh_from_db()
    assert chat_.run is None


def test_an_answer_in_time_cancels_the_hear_timeout(tmp_path, user):
    write_package(tmp_path, "patient", {"start.bas": 'HEAR city\nTALK "city: " + city\nWAIT 3600\n'},
                  config="hear-timeout-secs,30\n")
    bot = load(tmp_path, "patient")
    chat_ = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)
    conversation_start(conversation=chat_)

    assert say(chat_, "Lima") == ["city: Lima"]
    assert resume_due(now=timezone.now() + timedelta(seconds=60)) == 0
    assert list(chat_.messages.values_list("text", flat=True)) == ["Lima", "city: Lima"]


def test_wait_for_response_gives_up_after_its_own_timeout(tmp_path, user):
    write_package(tmp_path, "patient", {"start.bas": (
        'TALK "Did it help?"\n'
        'WAIT FOR RESPONSE AS reply TIMEOUT 60\n'
        'IF reply IS NULL THEN TALK "No answer."\n'
        'answer = WAIT FOR RESPONSE TIMEOUT 5\n'
        'TALK "got " + answer + " from " + BOT_ID()\n')}, config="hear-timeout-secs,3000\n")
    bot = load(tmp_path, "patient")
    chat_ = conversation_get_or_create(bot=bot, user=user, channel=Channel.API)
    conversation_start(conversation=chat_)
    chat_.refresh_from_db()
    deadline = chat_.run.resume_at
    assert chat_.run.waiting_for == "hear"
    assert timedelta(seconds=59) < deadline - timezone.now() <= timedelta(seconds=60)

    assert resume_due(now=deadline + timedelta(seconds=1)) == 1
    chat_.refresh_from_db()
    assert list(chat_.messages.values_list("text", flat=True)) == ["Did it help?", "No answer."]
    # the second wait counts from the slice that timed the first one out
    assert chat_.run.resume_at == deadline + timedelta(seconds=6)
    assert say(chat_, "yes") == ["got yes from patient"]
