"""No lost updates: a record carries a version number; a form remembers the version it
was opened with, and saving over a newer version is refused instead of overwriting."""

from django import forms
from django.utils.translation import gettext as _

from core.errors import Refused


class EditConflict(Exception):
    """Someone saved the record after this form was opened."""

    def __init__(self, current_version: int, message: str | None = None):
        self.current_version = current_version
        super().__init__(
            message
            or _(
                "Someone else saved changes here after you opened the form. Nothing was "
                "saved. Your input is kept below: check the record in another tab, then "
                "save again to replace their changes with yours."
            )
        )


class EditRefused(Refused):
    """The record was locked (submitted, completed, archived, terminated) after this
    form was opened: the service says why, and the form shows it above the input."""


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, **kwargs)


def next_version(model, pk, opened_version: int | None) -> int:
    """Lock the row and return the version to save with, or raise EditConflict.

    Call inside the saving transaction so the check and the save are one step.
    """
    current = model.objects.select_for_update().values_list("version", flat=True).get(pk=pk)
    if opened_version is not None and opened_version != current:
        raise EditConflict(current)
    return current + 1


def keep_input_after_conflict(form, conflict: EditConflict) -> None:
    """Show the conflict on the form and let the next save go through knowingly."""
    form.add_error(None, str(conflict))
    form.data = form.data.copy()
    form.data[form.add_prefix("edit_version")] = conflict.current_version
