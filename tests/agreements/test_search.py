"""The agreement search (reference, title, partner name) reads a stored, folded search
text that every write path keeps right; on PostgreSQL trigram indexes serve it."""

import pytest
from django.db import connection

from agreements.models import Agreement
from tests.factories import AgreementFactory, PartnerFactory


def found(client, query) -> set[str]:
    response = client.get("/agreements/", {"q": query})
    assert response.status_code == 200
    return {agreement.reference for agreement in response.context["page"].object_list}


@pytest.fixture
def agreements(db):
    return [
        AgreementFactory(reference="AGR-2026-00017", title="Läsfrämjande i Ängby"),
        AgreementFactory(
            reference="AGR-2026-00018",
            title="Idrott för alla",
            partner=PartnerFactory(name="Kulturhuset  Öresund"),
        ),
    ]


def test_the_search_finds_reference_title_and_partner_in_any_case(staff_client, agreements):
    assert found(staff_client, "agr-2026-00017") == {"AGR-2026-00017"}
    assert found(staff_client, "ÄNGBY") == {"AGR-2026-00017"}
    assert found(staff_client, "läsfrämjande") == {"AGR-2026-00017"}
    # The partner's name as uniqueness judges it: case and runs of spaces ignored.
    assert found(staff_client, "kulturhuset öresund") == {"AGR-2026-00018"}
    assert found(staff_client, "2026-0001") == {"AGR-2026-00017", "AGR-2026-00018"}
    assert found(staff_client, "100%") == set()
    assert found(staff_client, "_") == set()


def test_every_write_keeps_the_search_text(staff_client, agreements):
    agreement = agreements[0]
    agreement.title = "Skrivarverkstad"
    agreement.save(update_fields=["title"])
    assert found(staff_client, "skrivar") == {agreement.reference}
    assert found(staff_client, "ängby") == set()

    partner = agreement.partner
    Agreement.objects.bulk_create(
        [
            Agreement(
                **{
                    field.attname: getattr(agreement, field.attname)
                    for field in Agreement._meta.concrete_fields
                    if field.attname not in ("id", "reference", "title", "search_text")
                },
                reference="AGR-2026-00099",
                title="Bulk Ö",
            )
        ]
    )
    assert found(staff_client, "bulk ö") == {"AGR-2026-00099"}
    assert Agreement.objects.get(reference="AGR-2026-00099").partner == partner
    with pytest.raises(TypeError, match="search_text"):
        Agreement.objects.filter(pk=agreement.pk).update(title="Stale")


@pytest.mark.parametrize("count", [3, 40])
def test_search_query_count_is_constant(staff_client, django_assert_max_num_queries, count):
    for number in range(count):
        AgreementFactory(approved=True, title=f"Kulturprojekt {number}")
    with django_assert_max_num_queries(10):
        response = staff_client.get("/agreements/", {"q": "KULTUR"})
    assert len(response.context["page"].object_list) == min(count, 25)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL")
def test_trigram_indexes_serve_the_searches_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%trgm"])
        names = {row[0] for row in cursor.fetchall()}
    assert names == {
        "agreement_search_trgm",
        "partner_search_trgm",
        "partner_name_key_trgm",
        "contact_search_trgm",
    }
