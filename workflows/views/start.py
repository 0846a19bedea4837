"""Starting a workflow from the console (``/dashboard/start/``): the bots the user may operate,
and a bot's form built from its workflow's inputs (``workflow_inputs``); a started run opens
its run page."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from generalbots.bots.selectors import bot_get_for_user, bots_visible_to, typed_value
from generalbots.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from workflows import services
from workflows.selectors import WorkflowInput, startable_scripts, workflow_inputs

_NUMBER_TYPES = {"number", "float", "double", "money", "decimal", "currency"}
_INTEGER_TYPES = {"integer", "int", "long"}


def _field(item: WorkflowInput) -> forms.Field:
    options = {"required": item.required, "label": item.name, "help_text": item.description,
               "initial": item.default or None}
    if item.choices:
        return forms.TypedChoiceField(choices=[("", "—"), *((str(c), str(c)) for c in item.choices)],
                                      coerce=typed_value, empty_value=None, **options)
    if item.type_name in _INTEGER_TYPES:
        return forms.IntegerField(**options)
    if item.type_name in _NUMBER_TYPES:
        return forms.FloatField(**options)
    if item.type_name == "boolean":
        options["required"] = False
        options["initial"] = typed_value(item.default) is True
        return forms.BooleanField(**options)
    if item.type_name == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **options)
    if not item.declared:
        options["help_text"] = "read by the workflow before it sets it; numbers and true/false are read as such"
    return forms.CharField(max_length=10_000, **options)


class StartRunForm(forms.Form):
    """One field per input; ``variables()`` is what the run starts with (empty fields left out,
    so the workflow sees them unset)."""

    def __init__(self, *args, inputs: list[WorkflowInput], **kwargs):
        super().__init__(*args, **kwargs)
        self.inputs = {item.name: item for item in inputs}
        for item in inputs:
            self.fields[item.name] = _field(item)

    def variables(self) -> dict:
        values = {}
        for name, value in self.cleaned_data.items():
            if value is None or value == "":
                continue
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, float) and value.is_integer():
                value = int(value)  # 700, not 700.0, in what the workflow says
            elif isinstance(value, str) and not self.inputs[name].declared:
                value = typed_value(value)
            values[name] = value
        return values


@require_http_methods(["GET"])
@login_required
def start_list(request):
    """The bots the user may start, each with its start dialog (workflows first)."""
    bots = bots_visible_to(user=request.user, operate=True)
    return render(request, "workflows/start_list.html", {"scripts": startable_scripts(bots=bots)})


@require_http_methods(["GET", "POST"])
@login_required
def start_run(request, bot: str):
    """The form of one bot's start dialog; a valid POST starts the run and opens its page, a
    refused one shows the form again with the errors beside the fields they concern."""
    try:
        bot = bot_get_for_user(name=bot, user=request.user, operate=True)
    except (NotFoundError, PermissionDeniedError) as exc:
        return render(request, "workflows/not_found.html", {"message": exc.message}, status=exc.http_status)
    script = startable_scripts(bots=[bot]).first()
    inputs = workflow_inputs(bot=bot, script=script) if script is not None else []
    form = StartRunForm(request.POST if request.method == "POST" else None, inputs=inputs)
    if request.method == "POST" and form.is_valid():
        try:
            execution = services.execution_start(bot=bot, variables=form.variables(), started_by=request.user)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Run started.")
            return redirect("workflows:run", pk=execution.pk)
    status = 400 if form.errors else 200
    return render(request, "workflows/start.html", {"bot": bot, "script": script, "form": form}, status=status)
