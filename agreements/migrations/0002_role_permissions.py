"""Grants the agreement permissions to the roles: staff draft, managers also decide."""

from django.db import migrations

from accounts.group_setup import grant_role_permissions

STAFF = [
    "agreements.view_agreement",
    "agreements.add_agreement",
    "agreements.change_agreement",
    "agreements.view_goal",
    "agreements.add_goal",
    "agreements.change_goal",
    "agreements.delete_goal",
    "agreements.view_obligation",
    "agreements.add_obligation",
    "agreements.change_obligation",
    "agreements.delete_obligation",
    "agreements.view_agreementevent",
]
MANAGERS = STAFF + ["agreements.approve_agreement", "agreements.terminate_agreement"]


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"Staff": STAFF, "Managers": MANAGERS})


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
        ("accounts", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
