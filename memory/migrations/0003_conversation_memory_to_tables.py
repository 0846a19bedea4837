"""Copy user memory and session variables kept on conversations (JSON fields) into their tables.

The conversation fields ``user_memory`` and ``session`` stay (unused) for one release.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Conversation = apps.get_model("bots", "Conversation")
    UserMemory = apps.get_model("memory", "UserMemory")
    SessionVariable = apps.get_model("memory", "SessionVariable")
    conversations = (Conversation.objects.exclude(user_memory={}, session={})
                     .order_by("updated_at").values("id", "bot_id", "user_key", "user_memory", "session"))
    for c in conversations.iterator():
        for key, value in (c["user_memory"] or {}).items():
            UserMemory.objects.update_or_create(bot_id=c["bot_id"], user_key=c["user_key"], key=key[:200],
                                                defaults={"value": value})
        for key, value in (c["session"] or {}).items():
            SessionVariable.objects.update_or_create(session_key=f"conversation:{c['id']}", key=key[:200],
                                                     defaults={"value": value, "bot_id": c["bot_id"]})


class Migration(migrations.Migration):

    dependencies = [
        ("memory", "0002_sharing_versions_user_remembered"),
        ("bots", "0002_scripts_conversations"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
