"""The *use this template* form: the new workflow's name, the organization it goes to (when
the person may choose) and one field per ``param-*`` row of the template, prefilled with the
template's value and typed by it (true/false, a whole number, a number, text), as the console's
start form types what people type (``bots.selectors.typed_value``)."""

from __future__ import annotations

from django import forms

from designer.gallery.selectors import Param, WorkflowTemplate
from generalbots.bots.packages.files import BOT_NAME
from generalbots.bots.selectors import typed_value


def _field(param: Param) -> forms.Field:
    label = param.key[6:] if param.package == "" else f"{param.package} · {param.key[6:]}"
    default = typed_value(param.value)
    options = {"label": label, "initial": default, "help_text": f"{param.key} (template: {param.value or 'empty'})"}
    if isinstance(default, bool):
        return forms.BooleanField(required=False, **options)
    if isinstance(default, int):
        return forms.IntegerField(**options)
    if isinstance(default, float):
        return forms.FloatField(**options)
    return forms.CharField(required=False, max_length=10_000, **options)


def config_text(value) -> str:
    """A form value as the text of a config row."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 2, not 2.0, as the start form does
    return "" if value is None else str(value)


class UseTemplateForm(forms.Form):
    name = forms.CharField(max_length=60, help_text="The new workflow bot's name; the bots it calls are "
                                                    "copied as NAME-bot.")

    def __init__(self, *args, template: WorkflowTemplate, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.params = template.params
        if len(organizations) > 1:
            self.fields["organization"] = forms.ChoiceField(choices=[(o.slug, o.name) for o in organizations])
        for param in self.params:
            shown = Param("" if param.package == template.workflow.name else param.package, param.key, param.value)
            self.fields[param.field_name] = _field(shown)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip().lower()
        if not BOT_NAME.match(name):
            raise forms.ValidationError("Use lower-case letters, digits, '-' and '_' (a bot name), starting and "
                                        "ending with a letter or digit.")
        return name

    def config(self) -> dict[str, dict[str, str]]:
        """The config rows to set, by package: {package: {param-key: text}}."""
        rows: dict[str, dict[str, str]] = {}
        for param in self.params:
            rows.setdefault(param.package, {})[param.key] = config_text(self.cleaned_data.get(param.field_name))
        return rows
