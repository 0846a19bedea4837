from django.conf import settings
from django.db import models

from generalbots.bots.choices import Channel, MessageRole
from generalbots.core.models import BaseModel, Organization, TimeStampedModel


class BotQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Bot(BaseModel):
    """A bot installed from a ``.gbai`` package."""

    name = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200, blank=True)
    source_path = models.CharField(max_length=1024, blank=True, help_text="The .gbai folder it was loaded from.")
    version_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 over every file of the package.")
    config = models.JSONField(default=dict, blank=True, help_text="The rows of config.csv.")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="bots")
    is_active = models.BooleanField(default=True)
    problems = models.JSONField(
        default=list, blank=True,
        help_text="What was odd or broken when the package was last loaded: {path, line, col, severity, message}.",
    )
    manifest = models.JSONField(
        default=dict, blank=True, help_text="What the package holds besides dialogs: knowledge bases, theme files."
    )
    theme_css = models.TextField(blank=True, help_text="The CSS of the package's .gbtheme, served to the web chat.")

    objects = BotQuerySet.as_manager()

    class Meta:
        db_table = "bots"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def config_value(self, key: str, default: str = "") -> str:
        """A config.csv value by key, case-insensitively."""
        wanted = key.lower()
        for name, value in (self.config or {}).items():
            if name.lower() == wanted:
                return value
        return default


class BotScriptQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def tools(self):
        return self.filter(is_current=True, is_tool=True)


class BotScript(TimeStampedModel):
    """One version of one dialog (``.bas``) of a bot, identified by the hash of its source.

    Old versions stay (``is_current`` false) so a run in flight keeps the script it started
    with (DESIGN §4.7); exactly one version per (bot, name) is current.
    """

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="scripts")
    name = models.CharField(max_length=200, help_text="File stem in lower case: what CALL and USE TOOL name.")
    path = models.CharField(max_length=1024, help_text="Path inside the package.")
    source = models.TextField()
    source_hash = models.CharField(max_length=64)
    is_current = models.BooleanField(default=True)
    is_tool = models.BooleanField(default=False, help_text="Has PARAM or DESCRIPTION lines: callable by the LLM.")
    tool_schema = models.JSONField(null=True, blank=True, help_text="OpenAI function schema of the tool.")
    problems = models.JSONField(default=list, blank=True, help_text="Syntax and checker findings.")

    objects = BotScriptQuerySet.as_manager()

    class Meta:
        db_table = "bot_scripts"
        ordering = ["bot", "name", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["bot", "name", "source_hash"], name="bot_scripts_version_uniq"),
            models.UniqueConstraint(
                fields=["bot", "name"], condition=models.Q(is_current=True), name="bot_scripts_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bot}: {self.name}.bas"

    @property
    def has_errors(self) -> bool:
        return any(p.get("severity") == "error" for p in self.problems or [])


class Conversation(BaseModel):
    """A bot talking with one user on one channel, with the run that waits for the user.

    ``run`` is the workflow execution (VM state in ``workflow_executions.state``) the next
    message resumes, or the one waiting on a timer; None when no script is running, and then
    messages go to the LLM.
    """

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="conversations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="conversations"
    )
    user_key = models.CharField(max_length=200, help_text="Who the bot talks with: 'user:<id>' or 'terminal:<name>'.")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    run = models.ForeignKey(
        "workflows.WorkflowExecution", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    started_at = models.DateTimeField(null=True, blank=True, help_text="When start.bas ran.")
    system_prompt = models.TextField(blank=True)
    contexts = models.JSONField(default=dict, blank=True, help_text="SET CONTEXT texts by name.")
    tools = models.JSONField(default=list, blank=True, help_text="Tools enabled with USE TOOL.")
    suggestions = models.JSONField(default=list, blank=True)
    user_memory = models.JSONField(default=dict, blank=True)
    session = models.JSONField(default=dict, blank=True)
    last_error = models.TextField(blank=True, help_text="The last script or model error: file:line: message.")
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "conversations"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["bot", "user_key", "channel"], name="conversations_bot_user_channel_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.bot} / {self.user_key} ({self.channel})"

    @property
    def group_name(self) -> str:
        """The Channels group every client of this conversation listens on."""
        return f"conversation.{self.pk}"


class Message(models.Model):
    """One message of a conversation; the auto-increment id is the delivery order."""

    id = models.BigAutoField(primary_key=True)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=8, choices=MessageRole.choices)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True, help_text="Tool calls and results, errors.")
    created_at = models.DateTimeField(auto_now_add=True, editable=False)

    class Meta:
        db_table = "conversation_messages"
        ordering = ["id"]
        indexes = [models.Index(fields=["conversation", "id"], name="message_conversation_id_idx")]

    def __str__(self) -> str:
        return f"{self.role}: {self.text[:60]}"

    def as_dict(self) -> dict:
        return {"id": self.id, "role": self.role, "text": self.text, "created_at": self.created_at.isoformat()}


class BotAccessQuerySet(models.QuerySet):
    def for_user(self, user):
        """Grants that reach ``user`` directly or through one of their groups."""
        return self.filter(models.Q(user=user) | models.Q(group__in=user.groups.all()))


class BotAccess(TimeStampedModel):
    """Grants a user or a group access to one bot's runs (dashboard, workflow API, approvals).

    Superusers see every bot without a grant. ``can_operate`` adds the right to start, cancel
    and retry runs and to decide approvals; without it the grant is read-only.
    """

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="bot_access"
    )
    group = models.ForeignKey(
        "auth.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="bot_access"
    )
    can_operate = models.BooleanField(
        default=True, help_text="Start, cancel and retry runs and decide approvals; off: read-only."
    )

    objects = BotAccessQuerySet.as_manager()

    class Meta:
        db_table = "bot_access"
        ordering = ["bot", "user", "group"]
        verbose_name = "bot access"
        verbose_name_plural = "bot access grants"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, group__isnull=True)
                | models.Q(user__isnull=True, group__isnull=False),
                name="bot_access_user_xor_group",
                violation_error_message="Grant access to a user or to a group, not both.",
            ),
            models.UniqueConstraint(fields=["bot", "user"], name="bot_access_bot_user_uniq"),
            models.UniqueConstraint(fields=["bot", "group"], name="bot_access_bot_group_uniq"),
        ]

    def __str__(self) -> str:
        who = self.user or self.group
        return f"{who} on {self.bot} ({'operate' if self.can_operate else 'view'})"
