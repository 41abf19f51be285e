"""Staff and managers keep the dialogue log. Nothing in it is deleted, so no role gets a
delete permission."""

from django.db import migrations

from accounts.group_setup import grant_role_permissions

DIALOGUE = [
    "partnerships.view_dialogueentry",
    "partnerships.add_dialogueentry",
    "partnerships.change_dialogueentry",
    "partnerships.view_dialoguefollowup",
    "partnerships.add_dialoguefollowup",
    "partnerships.change_dialoguefollowup",
    "partnerships.view_dialoguepartnerparticipant",
]


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"Staff": DIALOGUE, "Managers": DIALOGUE})


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0005_dialogue_log"),
        ("accounts", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
