"""Names and numbers that only look different (decomposed letters as a copy from macOS
gives, zero-width spaces, full-width digits) are the same for the uniqueness rules."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from agreements.models import ProgrammePeriod
from partnerships.models import Partner
from tests.conftest import log_in
from tests.factories import PartnerFactory
from tests.partnerships.test_import import csv_upload, preview
from tests.partnerships.test_partner_form import partner_data

LOOK_ALIKE_NAMES = [
    "Föreningen Café Malmö",  # as typed: composed letters
    "Fo\u0308reningen Cafe\u0301 Malmö",  # decomposed (macOS)
    "Föreningen\u200b Café Malmö",  # zero-width space
    "Föreningen Caf\u00e9\u2060 Malmö",  # word joiner
    "ＦÖRENINGEN CAFÉ MALMÖ",  # full-width capitals
]
LOOK_ALIKE_NUMBERS = ["802456-1234", "802456 1234", "8024561234", "８０２４５６‐１２３４", "802456\u200b-1234"]  # fmt: skip


@pytest.mark.parametrize("name", LOOK_ALIKE_NAMES[1:])
def test_a_look_alike_name_is_refused_next_to_the_name(staff_client, staff, name):
    existing = PartnerFactory(name=LOOK_ALIKE_NAMES[0], organisation_number="")
    response = staff_client.post(
        "/partners/new/", partner_data(staff, name=name, organisation_number="")
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["name"]
    assert f'href="/partners/{existing.pk}/"' in error
    assert Partner.objects.count() == 1


@pytest.mark.parametrize("number", LOOK_ALIKE_NUMBERS[1:])
def test_a_look_alike_organisation_number_is_refused_next_to_it(staff_client, staff, number):
    PartnerFactory(name="Läslust", organisation_number=LOOK_ALIKE_NUMBERS[0])
    response = staff_client.post(
        "/partners/new/", partner_data(staff, name="Another", organisation_number=number)
    )
    assert response.status_code == 200
    assert (
        "already has this organisation number"
        in response.context["form"].errors["organisation_number"][0]
    )
    assert Partner.objects.count() == 1


def test_the_number_is_stored_without_invisible_characters(staff_client, staff):
    staff_client.post(
        "/partners/new/", partner_data(staff, organisation_number="８０２４５６\u200b-1234")
    )
    assert Partner.objects.get().organisation_number == "802456-1234"


def test_the_database_refuses_look_alikes_written_around_the_forms(db):
    PartnerFactory(name=LOOK_ALIKE_NAMES[0], organisation_number=LOOK_ALIKE_NUMBERS[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerFactory(name=LOOK_ALIKE_NAMES[2])
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerFactory(name="Another", organisation_number=LOOK_ALIKE_NUMBERS[3])


def test_the_import_counts_look_alikes_as_duplicates(staff_client):
    PartnerFactory(name=LOOK_ALIKE_NAMES[0], organisation_number=LOOK_ALIKE_NUMBERS[0])
    rows = [
        [LOOK_ALIKE_NAMES[1], "", "company", "SE", "", "", ""],
        ["Another", LOOK_ALIKE_NUMBERS[2], "company", "SE", "", "", ""],
        ["Third", "900000-0001", "company", "SE", "", "", ""],
        ["Third\u200b", "", "company", "SE", "", "", ""],
        ["Fourth", "900000 0001", "company", "SE", "", "", ""],
    ]
    page, _url = preview(staff_client, csv_upload(rows))
    result = page.context["preview"]
    assert [row.number for row in result.duplicate_rows] == [2, 3, 5, 6]
    assert [row.number for row in result.new_rows] == [4]


def test_the_migration_recomputes_stored_keys_and_keeps_both_look_alikes(db):
    first = PartnerFactory(name=LOOK_ALIKE_NAMES[0], organisation_number="802456-1234")
    second = PartnerFactory(name="placeholder", organisation_number="")
    # As the rows were before: keys of the old rule, which told these apart.
    Partner.objects.filter(pk=first.pk).update(name_key="föreningen café malmö")
    Partner.objects.filter(pk=second.pk).update(
        name=LOOK_ALIKE_NAMES[2],
        name_key=LOOK_ALIKE_NAMES[2].casefold(),
        organisation_number="８０２４５６\u200b 1234",
        organisation_number_key="",
        search_text="",  # a stale row is what this test sets up
    )
    migration = import_module("partnerships.migrations.0011_lookalike_names_and_numbers")
    migration.recompute_keys(apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.name_key, first.organisation_number_key) == (
        "föreningen café malmö",
        "8024561234",
    )
    assert second.name_key == f"föreningen café malmö #{second.pk}"
    assert second.organisation_number == "802456 1234"
    assert second.organisation_number_key == f"8024561234#{second.pk}"


def test_a_look_alike_programme_period_name_is_refused_next_to_the_name(client, manager):
    log_in(client, manager)
    ProgrammePeriod.objects.create(
        name="Programme 2026", start_date="2026-01-01", end_date="2026-12-31"
    )
    response = client.post(
        "/programme-periods/new/",
        {"name": "Programme\u200b 2026", "start_date": "2027-01-01", "end_date": "2027-12-31"},
    )
    assert response.context["form"].errors["name"] == [
        "A programme period with this name exists already."
    ]
    assert ProgrammePeriod.objects.count() == 1


def test_the_migration_fills_programme_period_name_keys(db):
    one = ProgrammePeriod.objects.create(
        name="Programme 2026", start_date="2026-01-01", end_date="2026-12-31"
    )
    two = ProgrammePeriod.objects.create(
        name="Other", start_date="2027-01-01", end_date="2027-12-31"
    )
    ProgrammePeriod.objects.filter(pk=two.pk).update(name="programme 2026\u200b", name_key="b")
    ProgrammePeriod.objects.filter(pk=one.pk).update(name_key="a")
    migration = import_module("agreements.migrations.0013_programme_period_name_key")
    migration.fill_name_keys(apps, None)
    assert list(ProgrammePeriod.objects.order_by("pk").values_list("name_key", flat=True)) == [
        "programme 2026",
        f"programme 2026 #{two.pk}",
    ]
