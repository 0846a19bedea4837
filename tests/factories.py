import factory
from django.contrib.auth import get_user_model

from designer.models import DesignerDocument
from generalbots.bots.models import Bot, BotAccess, BotScript, Conversation, Message
from generalbots.core.models import Organization
from llmrouter.models import ModelPerformance
from memory.models import (BotMemory, BotSharedMemory, BotTableRow, KnowledgeBase, LiveShare, MemoryVersion,
                           Remembered, SessionVariable, UserMemory)
from workflows.models import BotSchedule, WorkflowApproval, WorkflowEvent, WorkflowExecution, WorkflowStep


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class BotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bot

    name = factory.Sequence(lambda n: f"bot-{n}")
    title = factory.LazyAttribute(lambda o: o.name.title())
    version_hash = factory.Faker("sha256")
    config = factory.Dict({"Title": "A bot"})
    organization = factory.SubFactory(OrganizationFactory)


class WorkflowExecutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkflowExecution

    bot = factory.SubFactory(BotFactory)
    workflow_name = factory.Sequence(lambda n: f"flow-{n}")


class WorkflowEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkflowEvent

    event_name = "order_created"
    event_data = factory.Dict({"id": 1})
    workflow = factory.SubFactory(WorkflowExecutionFactory)
    source_bot = factory.SelfAttribute("workflow.bot")
    organization = factory.SelfAttribute("source_bot.organization")


class BotMemoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BotMemory

    bot = factory.SubFactory(BotFactory)
    key = factory.Sequence(lambda n: f"key{n}")
    value = factory.Dict({"n": 1})


class BotSharedMemoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BotSharedMemory

    source_bot = factory.SubFactory(BotFactory)
    target_bot = factory.SubFactory(BotFactory)
    memory_key = factory.Sequence(lambda n: f"shared{n}")
    memory_value = "a value"


class MemoryVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemoryVersion

    memory = factory.SubFactory(BotMemoryFactory)
    bot = factory.SelfAttribute("memory.bot")
    key = factory.SelfAttribute("memory.key")
    value = factory.SelfAttribute("memory.value")
    source = "script"


class LiveShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveShare

    source_bot = factory.SubFactory(BotFactory)
    target_bot = factory.SubFactory(BotFactory, organization=factory.SelfAttribute("..source_bot.organization"))
    memory_key = factory.Sequence(lambda n: f"live{n}")


class UserMemoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserMemory

    bot = factory.SubFactory(BotFactory)
    user_key = factory.Sequence(lambda n: f"user:{n}")
    key = factory.Sequence(lambda n: f"pref{n}")
    value = "pt"


class SessionVariableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionVariable

    bot = factory.SubFactory(BotFactory)
    session_key = factory.Sequence(lambda n: f"run:{n}")
    key = factory.Sequence(lambda n: f"step{n}")
    value = 2


class BotTableRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BotTableRow

    bot = factory.SubFactory(BotFactory)
    table = "tickets"
    data = factory.Sequence(lambda n: {"id": n, "status": "open"})


class KnowledgeBaseFactory(factory.django.DjangoModelFactory):
    """A knowledge base row without documents or points (tests that index go through ``kb_index``)."""

    class Meta:
        model = KnowledgeBase

    bot = factory.SubFactory(BotFactory)
    name = factory.Sequence(lambda n: f"kb{n}")


class RememberedFactory(factory.django.DjangoModelFactory):
    """A remembered memory without a vector (tests that need one go through ``remembered_set``)."""

    class Meta:
        model = Remembered

    bot = factory.SubFactory(BotFactory)
    user_key = factory.Sequence(lambda n: f"user:{n}")
    key = factory.Sequence(lambda n: f"fact{n}")
    value = 42


class ModelPerformanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelPerformance

    model = factory.Sequence(lambda n: f"model-{n}")
    llm_model = None
    # a bot's model counts in its bot's organization; a global model's row names its own
    organization = factory.LazyAttribute(
        lambda row: row.llm_model.bot.organization if row.llm_model is not None and row.llm_model.bot_id else None)
    task_type = "general"
    requests = 10
    successes = 9


class DesignerDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DesignerDocument

    name = factory.Sequence(lambda n: f"canvas {n}")
    bot = factory.SubFactory(BotFactory)
    basic_source = 'TALK "hello"\n'
    graph = factory.Dict({"positions": {"n1": [20, 20]}})


class BotScriptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BotScript

    bot = factory.SubFactory(BotFactory)
    name = factory.Sequence(lambda n: f"dialog{n}")
    path = factory.LazyAttribute(lambda o: f"{o.bot.name}.gbdialog/{o.name}.bas")
    source = 'TALK "hello"\n'
    source_hash = factory.Faker("sha256")
    problems = factory.List([factory.Dict({"path": "x.bas", "line": 1, "col": 1, "severity": "warning",
                                           "message": "a note"})])


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    bot = factory.SubFactory(BotFactory)
    user = factory.SubFactory(UserFactory)
    user_key = factory.LazyAttribute(lambda o: f"user:{o.user.pk}")
    channel = "web"
    run = factory.SubFactory(WorkflowExecutionFactory, bot=factory.SelfAttribute("..bot"), status="waiting",
                             waiting_for="hear")
    last_error = "start.bas:3: script error: boom"


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    role = "bot"
    text = factory.Sequence(lambda n: f"a message {n}")


class BotAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BotAccess

    bot = factory.SubFactory(BotFactory)
    user = factory.SubFactory(UserFactory)
    can_operate = True


class WorkflowStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkflowStep

    execution = factory.SubFactory(WorkflowExecutionFactory, is_workflow=True)
    label = factory.Sequence(lambda n: str(n + 1))
    status = "completed"
    kind = "other"
    line = 2


class BotScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BotSchedule

    bot = factory.SubFactory(BotFactory)
    script_name = factory.Sequence(lambda n: f"job{n}")
    schedule_text = "weekdays at 8am"
    cron = "0 8 * * 1-5"
    source_path = factory.LazyAttribute(lambda o: f"{o.bot.name}.gbdialog/{o.script_name}.bas")
    line = 1
    last_execution = factory.SubFactory(WorkflowExecutionFactory, bot=factory.SelfAttribute("..bot"))


class WorkflowApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkflowApproval

    execution = factory.SubFactory(WorkflowExecutionFactory, is_workflow=True, status="waiting",
                                   waiting_for="approval")
    step_label = "2"
    approver = "lead@corp.example"
    token = factory.Faker("sha256")
