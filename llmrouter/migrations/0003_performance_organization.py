"""``model_performance`` gets its organization (filled in 0004), and loses the unique constraint
on the model's key (0005 adds the new ones): see 0004."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("llmrouter", "0002_registry_calls_run_settings"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="modelperformance", name="model_performance_model_task_uniq"),
        migrations.AddField(
            model_name="modelperformance", name="organization",
            field=models.ForeignKey(blank=True, help_text="Whose calls these are (empty: calls for no bot).", null=True,
                                    on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to="core.organization"),
        ),
    ]
