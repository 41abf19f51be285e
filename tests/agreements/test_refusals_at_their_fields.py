"""A refusal that is about one field of a form is shown next to that field."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import Status
from tests.factories import AgreementFactory

FUTURE = "Termination takes effect immediately: the date cannot be in the future."
BEFORE_START = "The termination date cannot be before the agreement started."


def _error_of(page: str, field: str) -> str:
    """The text of the error shown inside the field's own box (templates/_field.html)."""
    start = page.index(f'id="id_{field}_error">') + len(f'id="id_{field}_error">')
    return page[start : page.index("</p>", start)]


@pytest.mark.parametrize(
    "day, message",
    [
        (timezone.localdate() + datetime.timedelta(days=1), FUTURE),
        (timezone.localdate() - datetime.timedelta(days=400), BEFORE_START),
    ],
)
def test_a_refused_termination_date_is_shown_at_the_date(manager_client, day, message):
    agreement = AgreementFactory(approved=True)
    response = manager_client.post(
        f"/agreements/{agreement.pk}/terminate/",
        {"terminated_on": day.isoformat(), "termination_cause": "other", "comment": "Brott."},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"terminated_on": [message]}
    page = response.content.decode()
    assert _error_of(page, "terminated_on") == message
    assert page.count(message) == 1  # not repeated above the form
    agreement.refresh_from_db()
    assert agreement.status == Status.APPROVED


def test_a_refusal_about_no_field_stays_above_the_form(manager_client):
    expired = AgreementFactory(
        approved=True,
        start_date=timezone.localdate() - datetime.timedelta(days=800),
        end_date=timezone.localdate() - datetime.timedelta(days=10),
    )
    response = manager_client.post(
        f"/agreements/{expired.pk}/terminate/",
        {
            "terminated_on": timezone.localdate().isoformat(),
            "termination_cause": "other",
            "comment": "x",
        },
    )
    assert not response.context["form"].errors
    assert "already expired" in response.content.decode()


class _NameForm(forms.Form):
    name = forms.CharField()


def test_show_refusal_puts_each_message_at_its_field():
    from core.forms import show_refusal

    form = _NameForm({"name": "Programme 2026"})
    assert form.is_valid()
    show_refusal(
        form,
        ValidationError({"name_key": ["Taken."], "start_date": ["Overlaps."], "__all__": ["No."]}),
        fields={"name_key": "name"},
    )
    assert form.errors == {"name": ["Taken."], "__all__": ["Overlaps.", "No."]}


def test_a_period_name_saved_by_someone_else_a_moment_earlier_is_shown_at_the_name(
    manager_client, monkeypatch
):
    """The form's check passed, a colleague saved a look-alike name before our save: the
    service's own check says so next to the name, not as a server error."""
    from agreements.models import ProgrammePeriod
    from agreements.views import budget as views

    save = views.services.programme_period_save

    def colleague_saves_first(**kwargs):
        ProgrammePeriod.objects.create(
            name="Programme\u200b 2026", start_date="2030-01-01", end_date="2030-12-31"
        )
        return save(**kwargs)

    monkeypatch.setattr(views.services, "programme_period_save", colleague_saves_first)
    response = manager_client.post(
        "/programme-periods/new/",
        {"name": "Programme 2026", "start_date": "2026-01-01", "end_date": "2026-12-31"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "A programme period with this name exists already."
    ]
    assert ProgrammePeriod.objects.count() == 1
