"""Scheduled dialogs (``SET SCHEDULE``, workflows.schedules): the schedule text read as cron,
registered when the package loads, fired by the timer tick exactly once per due time (also with
two workers ticking together), a bad text kept as a problem that never fires, and the statement
a no-op in the run itself; the admin list and its disable action."""

import threading
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from generalbots.bots.models import Bot
from generalbots.bots.services import packages_load
from tests import factories
from tests.bots.test_packages import make_package
from tests.workflows.engine_helpers import drive, make_bot, run_together
from workflows import schedules
from workflows.choices import ExecutionStatus
from workflows.models import BotSchedule, WorkflowExecution
from workflows.schedules import cron_next
from workflows.services import execution_start
from workflows.tasks import sweep_timers_task

REPORT = 'SET SCHEDULE "weekdays at 8am"\nTALK "report"\n'


def test_the_next_time_is_strictly_after_and_read_in_the_time_zone(settings):
    settings.TIME_ZONE = "America/Sao_Paulo"  # UTC-3
    wednesday = datetime(2026, 12, 2, 12, 0, tzinfo=dt_timezone.utc)  # 09:00 there

    assert cron_next("0 8 * * 1-5", after=wednesday) == datetime(2026, 12, 3, 11, 0, tzinfo=dt_timezone.utc)
    assert cron_next("0 9 * * *", after=wednesday) == datetime(2026, 12, 3, 12, 0, tzinfo=dt_timezone.utc)


@pytest.mark.django_db
def test_loading_a_package_registers_its_scheduled_dialog_and_removes_it_when_gone(tmp_path):
    package = make_package(tmp_path, "reports", dialog='TALK "hello"\n')
    (package / "reports.gbdialog" / "daily.bas").write_text(REPORT)
    (package / "reports.gbdialog" / "hourly.bas").write_text("SET SCHEDULE every 1 hour\nTALK \"tick\"\n")
    before = timezone.now()

    packages_load(roots=[tmp_path])

    bot = Bot.objects.get(name="reports")
    rows = {s.script_name: s for s in BotSchedule.objects.filter(bot=bot)}
    assert set(rows) == {"daily", "hourly"}
    daily, hourly = rows["daily"], rows["hourly"]
    assert (daily.schedule_text, daily.cron, daily.problem, daily.enabled) == ("weekdays at 8am", "0 8 * * 1-5", "", True)
    assert daily.next_run_at == cron_next("0 8 * * 1-5", after=before) and daily.next_run_at > before
    assert (hourly.schedule_text, hourly.cron) == ("every 1 hour", "0 * * * *")
    assert bot.problems == []

    (package / "reports.gbdialog" / "hourly.bas").write_text('TALK "no longer scheduled"\n')
    packages_load(roots=[tmp_path])

    assert list(BotSchedule.objects.filter(bot=bot).values_list("script_name", flat=True)) == ["daily"]
    assert BotSchedule.objects.get(bot=bot).next_run_at == daily.next_run_at  # unchanged text: same next time


@pytest.mark.django_db
def test_a_bad_schedule_is_a_problem_on_the_bot_and_never_fires(tmp_path):
    package = make_package(tmp_path, "oddbot")
    (package / "oddbot.gbdialog" / "odd.bas").write_text('TALK "x"\nSET SCHEDULE "whenever it rains"\n')
    packages_load(roots=[tmp_path])
    bot = Bot.objects.get(name="oddbot")
    row = BotSchedule.objects.get(bot=bot)
    BotSchedule.objects.filter(pk=row.pk).update(next_run_at=timezone.now() - timedelta(hours=1))

    assert "'whenever it rains' is neither a cron expression" in row.problem and row.problem.startswith(
        "oddbot.gbdialog/odd.bas:2:")
    assert row.next_run_at is None
    assert [(p["path"], p["line"], p["severity"]) for p in bot.problems] == [("oddbot.gbdialog/odd.bas", 2, "warning")]
    assert schedules.schedules_fire() == 0
    assert not WorkflowExecution.objects.filter(bot=bot).exists()


def scheduled(name="nightly", *, due_ago=timedelta(minutes=1), source=REPORT):
    bot = make_bot(name, source, script="job")
    schedules.schedules_sync(bot=bot, dialogs=[type("D", (), {"name": "job", "path": "job.bas", "source": source})])
    row = BotSchedule.objects.get(bot=bot)
    BotSchedule.objects.filter(pk=row.pk).update(next_run_at=timezone.now() - due_ago)
    return bot, row


@pytest.mark.django_db
def test_a_due_schedule_starts_one_run_and_moves_to_its_next_time():
    bot, row = scheduled(due_ago=timedelta(days=3))  # three days of missed times: one run

    assert sweep_timers_task() >= 1
    with CaptureQueriesContext(connection) as idle:
        assert schedules.schedules_fire() == 0  # the next time is in the future now
    statements = [q["sql"] for q in idle.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 1 and "bot_schedules" in statements[0]  # nothing due: one statement

    run = WorkflowExecution.objects.get(bot=bot)
    row.refresh_from_db()
    assert (run.workflow_name, run.started_by, row.last_execution_id, row.last_error) == ("job", None, run.pk, "")
    assert row.next_run_at == cron_next("0 8 * * 1-5", after=row.last_run_at) and row.next_run_at > timezone.now()
    drive(run)
    run.refresh_from_db()
    assert run.status == ExecutionStatus.COMPLETED and run.output == ["report"]  # SET SCHEDULE: a no-op in the run


@pytest.mark.django_db
def test_a_disabled_schedule_or_inactive_bot_does_not_fire():
    bot, row = scheduled()
    BotSchedule.objects.filter(pk=row.pk).update(enabled=False)
    other, _ = scheduled("sleeping")
    Bot.objects.filter(pk=other.pk).update(is_active=False)

    assert schedules.schedules_fire() == 0
    assert not WorkflowExecution.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_ticking_together_start_one_run_per_due_time():
    bots = [scheduled(f"twin{i}")[0] for i in range(6)]
    started = run_together(lambda: schedules.schedules_fire(limit=2))

    assert sum(started) == 6
    assert sorted(WorkflowExecution.objects.filter(bot__in=bots).values_list("bot__name", flat=True)) == \
        sorted(b.name for b in bots)


@pytest.mark.django_db(transaction=True)
def test_a_schedule_another_worker_holds_is_skipped_not_started_twice():
    bot, row = scheduled("held")
    held, release = threading.Event(), threading.Event()

    def other_worker():  # claims the row and holds the lock, as a worker in the middle of its start
        try:
            with transaction.atomic():
                list(BotSchedule.objects.select_for_update().filter(pk=row.pk))
                held.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    held.wait(30)
    try:
        assert schedules.schedules_fire() == 0  # skipped, not waited for
    finally:
        release.set()
        thread.join()
    assert schedules.schedules_fire() == 1
    assert WorkflowExecution.objects.filter(bot=bot).count() == 1


@pytest.mark.django_db
def test_set_schedule_with_an_expression_is_a_problem_and_in_a_run_is_a_no_op():
    source = 'x = "daily"\nSET SCHEDULE x\nTALK "ran"\n'
    bot, row = scheduled("exprbot", source=source)

    assert "needs a literal schedule text" in row.problem
    run = execution_start(bot=bot, script="job")
    drive(run)
    run.refresh_from_db()
    assert run.status == ExecutionStatus.COMPLETED and run.output == ["ran"]


@pytest.mark.django_db
def test_the_admin_lists_schedules_with_a_link_to_the_last_run_and_disables_them(admin_client):
    row = factories.BotScheduleFactory()
    changelist = reverse("admin:workflows_botschedule_changelist")

    page = admin_client.get(changelist).content.decode()
    response = admin_client.post(changelist, {"action": "disable", "_selected_action": [row.pk]}, follow=True)

    assert reverse("admin:workflows_workflowexecution_change", args=[row.last_execution_id]) in page
    assert "weekdays at 8am" in page and "0 8 * * 1-5" in page
    assert "1 schedule(s) disabled." in [str(m) for m in response.context["messages"]]
    row.refresh_from_db()
    assert row.enabled is False
