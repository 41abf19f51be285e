"""Everyone with a role sees programme periods; managers manage them."""

from django.db import migrations

from accounts.group_setup import grant_role_permissions

VIEW = ["agreements.view_programmeperiod"]
MANAGE = VIEW + ["agreements.add_programmeperiod", "agreements.change_programmeperiod"]


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"Staff": VIEW, "Managers": MANAGE})


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0006_programme_periods_and_obligation_follow_up"),
        ("accounts", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
