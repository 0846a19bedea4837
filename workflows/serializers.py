"""Input and output shapes of the workflow API (``workflows.api``)."""

import json
import re

from django.conf import settings
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from generalbots.core.api_input import JSONValueField
from workflows.choices import ApprovalStatus, ExecutionStatus
from workflows.models import WorkflowApproval, WorkflowEvent, WorkflowExecution, WorkflowStep

VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
MAX_VARIABLES = 200
MAX_VARIABLES_BYTES = getattr(settings, "GB_WORKFLOW_VARIABLES_MAX_BYTES", 64 * 1024)


def validate_variables(value) -> dict:
    """A JSON object of BASIC variable names to JSON values, within size limits; the message
    names the first problem found."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise serializers.ValidationError(
            f"Send variables as a JSON object of name: value pairs, not {type(value).__name__}.")
    if len(value) > MAX_VARIABLES:
        raise serializers.ValidationError(f"At most {MAX_VARIABLES} variables, got {len(value)}.")
    for name in value:
        if not VARIABLE_NAME.fullmatch(name):
            raise serializers.ValidationError(
                f"{name!r} is not a variable name: use letters, digits and _, starting with a letter or _ "
                "(at most 100 characters).")
    lowered = [name.lower() for name in value]
    duplicates = sorted({name for name in lowered if lowered.count(name) > 1})
    if duplicates:
        raise serializers.ValidationError(
            f"Variable names are case-insensitive in BASIC: {duplicates[0]!r} is given more than once.")
    size = len(json.dumps(value))
    if size > MAX_VARIABLES_BYTES:
        raise serializers.ValidationError(f"Variables take {size} bytes as JSON; the limit is {MAX_VARIABLES_BYTES}.")
    return value


class VariablesField(JSONValueField):
    """Workflow variables: a JSON object of BASIC names to storable JSON values."""

    json_schema = {"type": "object", "additionalProperties": True, "maxProperties": MAX_VARIABLES,
                   "propertyNames": {"pattern": VARIABLE_NAME.pattern}}


MAX_START_WAIT = 30


class WorkflowStartSerializer(serializers.Serializer):
    bot = serializers.SlugField(help_text="Name of the bot whose script starts the run.")
    variables = VariablesField(required=False, default=dict,
                               help_text="Initial variables of the run: {name: value}; names are "
                               "case-insensitive, values any JSON.")
    script = serializers.CharField(required=False, allow_blank=False, max_length=200,
                                   help_text="Dialog to run (file stem, e.g. 'refund-flow'); default: the bot's start.")
    wait = serializers.FloatField(
        required=False, default=0, min_value=0, max_value=MAX_START_WAIT,
        help_text=f"Seconds (at most {MAX_START_WAIT}) to wait for the run to finish before answering: the server "
        "runs its first slice itself and answers with the run as it stands when it has finished or the time is up. "
        "0 (the default): answer at once, a worker runs it.")

    def validate_variables(self, value):
        return validate_variables(value)


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RunSummarySerializer(serializers.ModelSerializer):
    """A run in lists: no state, no children."""

    bot = serializers.SlugRelatedField(slug_field="name", read_only=True)
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = WorkflowExecution
        fields = ["id", "bot", "workflow_name", "kind", "status", "current_step", "current_step_label", "waiting_for",
                  "resume_at", "error", "error_step", "error_line", "attempts", "parent", "root", "rerun_of", "started_by",
                  "created_at", "updated_at", "finished_at"]
        read_only_fields = fields


class RunChildSerializer(serializers.ModelSerializer):
    bot = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = WorkflowExecution
        fields = ["id", "bot", "workflow_name", "kind", "branch_label", "status", "current_step", "waiting_for",
                  "error", "created_at", "finished_at"]
        read_only_fields = fields


class RunEventSerializer(serializers.ModelSerializer):
    source_bot = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)

    class Meta:
        model = WorkflowEvent
        fields = ["id", "event_name", "event_data", "source_bot", "created_at"]
        read_only_fields = fields


class RunStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkflowStep
        fields = ["id", "label", "attempt", "kind", "status", "line", "started_at", "finished_at", "duration",
                  "input", "output", "error", "error_line", "conflicts", "child"]
        read_only_fields = fields


class ApprovalSerializer(serializers.ModelSerializer):
    run = serializers.UUIDField(source="execution_id", read_only=True)
    bot = serializers.CharField(source="execution.bot.name", read_only=True)
    workflow_name = serializers.CharField(source="execution.workflow_name", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = WorkflowApproval
        fields = ["id", "run", "bot", "workflow_name", "step_label", "approver", "status", "comment", "decided_by",
                  "decided_at", "deadline", "escalated_from", "created_at"]
        read_only_fields = fields


class RunApprovalSerializer(ApprovalSerializer):
    class Meta(ApprovalSerializer.Meta):
        fields = ["id", "step_label", "approver", "status", "comment", "decided_by", "decided_at", "deadline",
                  "escalated_from", "created_at"]
        read_only_fields = fields


class RunFailureSerializer(serializers.Serializer):
    step = serializers.CharField(allow_null=True, help_text="Label of the step that failed.")
    line = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()


@extend_schema_field({"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]})
class DateOrDateTimeField(serializers.Field):
    """``2026-03-01`` (a whole day) or an ISO 8601 date-time."""

    default_error_messages = {"invalid": "Use an ISO date (2026-03-01) or date-time (2026-03-01T12:00:00Z), not {value!r}."}

    def to_internal_value(self, data):
        text = str(data).strip()
        try:
            parsed = parse_date(text) or parse_datetime(text)
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail("invalid", value=text)
        return parsed

    def to_representation(self, value):
        return value.isoformat()


class FilterSerializer(serializers.Serializer):
    """Query parameters of ``GET /api/workflows/``."""

    bot = serializers.SlugField(required=False)
    status = serializers.ChoiceField(choices=ExecutionStatus.choices, required=False)
    name = serializers.CharField(required=False, max_length=200, help_text="Part of the workflow name.")
    created_after = DateOrDateTimeField(required=False, help_text="ISO date or date-time, inclusive.")
    created_before = DateOrDateTimeField(required=False, help_text="ISO date or date-time, inclusive "
                                         "(a date means the whole day).")
    roots_only = serializers.BooleanField(required=False, default=False,
                                          help_text="Only top-level runs (no BOT steps or branches).")


class RunDetailSerializer(RunSummarySerializer):
    """The shape of one run in the API (documentation; ``workflows.api.runs.run_detail`` builds it)."""

    variables = serializers.DictField(read_only=True)
    output = serializers.ListField(child=serializers.JSONField(), read_only=True,
                                   help_text="What the run said with TALK, in order (its last line is the final TALK).")
    failure = RunFailureSerializer(read_only=True, allow_null=True)
    steps = RunStepSerializer(many=True, read_only=True)
    events = RunEventSerializer(many=True, read_only=True)
    children = RunChildSerializer(many=True, read_only=True)
    approvals = RunApprovalSerializer(many=True, read_only=True)

    class Meta(RunSummarySerializer.Meta):
        fields = [*RunSummarySerializer.Meta.fields, "variables", "output", "failure", "steps", "events", "children",
                  "approvals"]
        read_only_fields = fields


class ApprovalFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ApprovalStatus.choices, required=False)
    bot = serializers.SlugField(required=False)
