import datetime

import pytest
from django.utils import timezone

from agreements.forms import ProgrammePeriodForm
from demo.steps import DemoDataRefused, acting, page_post
from partnerships.forms import ContactFormSet, PartnerForm
from partnerships.models import Partner
from tests.factories import PartnerFactory


def test_page_post_sends_what_the_page_shows_with_the_changes_typed_in(db, staff):
    partner = PartnerFactory(responsible=staff, shares_values=False)
    data = page_post(
        PartnerForm(instance=partner),
        ContactFormSet(instance=partner, prefix="contacts"),
        changes={"city": "Luleå", "code_of_conduct_accepted_on": datetime.date(2026, 3, 1)},
    )
    assert data["name"] == partner.name
    assert data["responsible"] == str(staff.pk)
    assert data["city"] == "Luleå"
    assert data["code_of_conduct_accepted_on"] == "2026-03-01"
    assert "shares_values" not in data  # an unticked box is not sent
    assert data["contacts-TOTAL_FORMS"] == "2"
    form = PartnerForm(data, instance=partner)
    assert form.is_valid(), form.errors


def test_page_post_refuses_a_field_the_page_does_not_have(db):
    with pytest.raises(DemoDataRefused, match="nmae"):
        page_post(ProgrammePeriodForm(), changes={"nmae": "Programperiod 2026–2028"})


def test_a_step_is_taken_on_its_day_and_recorded_as_its_person(db, staff):
    day = datetime.date(2025, 4, 3)
    with acting(staff, day):
        assert timezone.localdate() == day
        partner = PartnerFactory()
    record = Partner.history.get(id=partner.pk)
    assert record.history_user == staff
    assert timezone.localdate(record.history_date) == day
    assert timezone.localdate() != day
