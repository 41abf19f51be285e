"""Obligation reminders are claimed per obligation and due date (an amendment may move
the date): the claims made so far get the due date they were sent for, so nothing
already sent goes out again."""

from django.db import migrations


def forwards(apps, schema_editor):
    Reminder = apps.get_model("reminders", "Reminder")
    claims = Reminder.objects.filter(
        kind="obligation_overdue", obligation__due_date__isnull=False
    ).select_related("obligation")
    for reminder in claims.iterator(chunk_size=2000):
        if reminder.claim_key.count(":") == 1:
            reminder.claim_key = f"{reminder.claim_key}:{reminder.obligation.due_date.isoformat()}"
            reminder.save(update_fields=["claim_key"])


def backwards(apps, schema_editor):
    Reminder = apps.get_model("reminders", "Reminder")
    for reminder in Reminder.objects.filter(kind="obligation_overdue").iterator(chunk_size=2000):
        if reminder.claim_key.count(":") == 2:
            reminder.claim_key = reminder.claim_key.rsplit(":", 1)[0]
            reminder.save(update_fields=["claim_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0002_obligation_reminders"),
        ("agreements", "0015_first_terms_versions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
