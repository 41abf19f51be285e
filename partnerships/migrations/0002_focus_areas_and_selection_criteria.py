"""Loads the focus areas and the selection criteria of the local-collaboration
guidelines (Lokal samverkan: riktlinjer och kriterier för samarbete)."""

from django.db import migrations

FOCUS_AREAS = [
    ("education", "Education"),
    ("culture", "Culture"),
    ("inclusion", "Inclusion (innanförskap)"),
    ("democracy", "Democracy"),
    ("other", "Other"),
]

SELECTION_CRITERIA = [
    ("Matching values and social engagement",
     "The partner's social engagement and values match ours."),
    ("Focus on education, culture or inclusion",
     "The collaboration works for education, culture or inclusion (innanförskap)."),
    ("Diversity and sound ethics",
     "Diversity and sound views on ethics, gender, ethnic background, age and economic conditions."),
    ("Good company",
     "A serious partner with a long-term commitment."),
    ("Visibility",
     "The collaboration is visible and not lost in the crowd."),
    ("Quality",
     "The partner's activities hold good quality."),
    ("Endurance",
     "A lasting collaboration; as a rule a multi-year agreement."),
    ("Concentration",
     "With a limited budget we work with few partners; this one deserves a share."),
    ("Effect-focused demands",
     "We can set demands focused on the effect of the collaboration."),
    ("Willingness to be evaluated",
     "The partner accepts follow-up and evaluation against the goals, at least yearly."),
    ("Code of conduct",
     "The partner accepts and follows our code of conduct."),
]


def load(apps, schema_editor):
    FocusArea = apps.get_model("partnerships", "FocusArea")
    SelectionCriterion = apps.get_model("partnerships", "SelectionCriterion")
    for position, (code, name) in enumerate(FOCUS_AREAS, start=1):
        FocusArea.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    for position, (name, description) in enumerate(SELECTION_CRITERIA, start=1):
        SelectionCriterion.objects.get_or_create(
            name=name, defaults={"description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
