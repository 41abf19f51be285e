"""Model fields that carry the checks every app needs, so that every way in (forms, the
import, the admin, scripts calling full_clean) refuses the same input."""

from django.db import models

from core.validators import refuse_control_characters, refuse_implausible_day


class SingleLineField(models.CharField):
    """Text typed on one line: names, titles, references, units. Refuses line breaks
    and other control characters (core.validators.refuse_control_characters)."""

    default_validators = [refuse_control_characters]


class DayField(models.DateField):
    """A date typed by a user, within the range the app can count in
    (core.validators.refuse_implausible_day)."""

    default_validators = [refuse_implausible_day]
