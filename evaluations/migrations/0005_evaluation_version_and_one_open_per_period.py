from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def refuse_doubled_drafts(apps, schema_editor):
    """Before the constraint, two first saves at once could make two drafts for one
    period. A migration cannot tell which to keep: name them, so someone decides."""
    Evaluation = apps.get_model("evaluations", "Evaluation")
    doubled = (
        Evaluation.objects.filter(status="draft")
        .values("period_id")
        .annotate(drafts=Count("id"))
        .filter(drafts__gt=1)
        .values_list("period_id", flat=True)
    )
    problems = [
        f"period {period_id}: evaluations "
        + ", ".join(
            str(pk)
            for pk in Evaluation.objects.filter(period_id=period_id, status="draft")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for period_id in doubled
    ]
    if problems:
        raise RuntimeError(
            "Some evaluation periods have more than one draft evaluation. Keep one draft "
            "of each period and delete the others (in the admin), then migrate again: "
            + "; ".join(problems)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0004_one_line_text_and_plausible_dates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_doubled_drafts, migrations.RunPython.noop),
        migrations.AddField(
            model_name='evaluation',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name='historicalevaluation',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddConstraint(
            model_name='evaluation',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'draft')), fields=('period',), name='one_open_evaluation_per_period', violation_error_message='This period already has a draft evaluation.'),
        ),
    ]
