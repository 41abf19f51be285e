"""Grants the evaluation permissions to the roles and writes the evaluation periods of
agreements approved before evaluations existed."""

from django.db import migrations

from accounts.group_setup import grant_role_permissions
from evaluations.periods import evaluation_periods

STAFF = [
    "evaluations.view_evaluation",
    "evaluations.add_evaluation",
    "evaluations.change_evaluation",
    "evaluations.view_evaluationperiod",
    "evaluations.view_goalresult",
    "evaluations.add_goalresult",
    "evaluations.change_goalresult",
    "evaluations.view_evaluationattachment",
    "evaluations.add_evaluationattachment",
]
MANAGERS = STAFF + ["evaluations.reopen_evaluation"]


def forwards(apps, schema_editor):
    grant_role_permissions(apps, {"Staff": STAFF, "Managers": MANAGERS})
    Agreement = apps.get_model("agreements", "Agreement")
    EvaluationPeriod = apps.get_model("evaluations", "EvaluationPeriod")
    for agreement in Agreement.objects.filter(status__in=["approved", "terminated"]):
        if EvaluationPeriod.objects.filter(agreement=agreement).exists():
            continue
        last_day = agreement.terminated_on or agreement.end_date
        EvaluationPeriod.objects.bulk_create(
            EvaluationPeriod(
                agreement=agreement, number=p.number, start_date=p.start, end_date=p.end
            )
            for p in evaluation_periods(agreement.start_date, min(last_day, agreement.end_date))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0001_initial"),
        ("agreements", "0002_role_permissions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
