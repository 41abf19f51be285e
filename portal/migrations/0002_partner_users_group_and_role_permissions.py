"""The "Partner users" group (no permission of its own: the portal scopes everything a
partner user sees) and what staff and managers may do around the portal. Only managers
read what partners say about our cooperation."""

from django.db import migrations

from accounts.group_setup import grant_role_permissions

AROUND_THE_PORTAL = [
    "portal.view_partneruser",
    "portal.add_partneruser",
    "portal.change_partneruser",
    "portal.view_partnerreport",
    "portal.review_partnerreport",
    "portal.view_partnerreportversion",
    "portal.view_partnerdeclaration",
    "portal.view_obligationproposal",
    "portal.change_obligationproposal",
]
MUTUAL_REVIEWS = ["portal.view_mutualreview", "portal.view_mutualreviewrating"]


def grant(apps, schema_editor):
    grant_role_permissions(
        apps,
        {
            "Staff": AROUND_THE_PORTAL,
            "Managers": AROUND_THE_PORTAL + MUTUAL_REVIEWS,
            "Partner users": [],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_partner_users_reports_declarations_reviews"),
        ("accounts", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
