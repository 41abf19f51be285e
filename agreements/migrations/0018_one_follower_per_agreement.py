from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def refuse_doubled_renewals(apps, schema_editor):
    """Before the constraint, a double click could make two renewals of one agreement.
    They cannot be merged by a migration: name them, so someone decides which stays."""
    Agreement = apps.get_model("agreements", "Agreement")
    doubled = (
        Agreement.objects.filter(follows__isnull=False)
        .exclude(status="terminated")
        .values("follows__reference")
        .annotate(followers=Count("id"))
        .filter(followers__gt=1)
    )
    problems = [
        f"{row['follows__reference']}: "
        + ", ".join(
            Agreement.objects.filter(follows__reference=row["follows__reference"])
            .exclude(status="terminated")
            .values_list("reference", flat=True)
        )
        for row in doubled
    ]
    if problems:
        raise RuntimeError(
            "More than one agreement follows the same agreement. Keep one follower of "
            "each and clear 'follows' on the others (in the admin or a shell), then "
            "migrate again: " + "; ".join(problems)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0017_amendment_rows_on_one_line_and_plausible_dates'),
        ('partnerships', '0007_search_text'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_doubled_renewals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.UniqueConstraint(condition=models.Q(('follows__isnull', False), models.Q(('status', 'terminated'), _negated=True)), fields=('follows',), name='one_follower_per_agreement', violation_error_message='Another agreement already follows this one.'),
        ),
    ]
