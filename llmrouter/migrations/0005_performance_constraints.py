"""The unique constraints of ``model_performance`` by model, organization and task type (the
rows were folded in 0004; a migration of its own, after the data changes committed)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("llmrouter", "0004_performance_by_model"),
    ]

    operations = [
        migrations.AlterField(
            model_name="modelperformance", name="model",
            field=models.CharField(help_text="The model's key when it was last recorded (a label).", max_length=200),
        ),
        migrations.AddConstraint(
            model_name="modelperformance",
            constraint=models.UniqueConstraint(condition=models.Q(("organization__isnull", False)),
                                               fields=("llm_model", "organization", "task_type"),
                                               name="model_performance_model_org_task_uniq"),
        ),
        migrations.AddConstraint(
            model_name="modelperformance",
            constraint=models.UniqueConstraint(condition=models.Q(("organization__isnull", True)),
                                               fields=("llm_model", "task_type"),
                                               name="model_performance_model_task_no_org_uniq"),
        ),
    ]
