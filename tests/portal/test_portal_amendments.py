"""The partner sees its agreement as amended: the current terms, the approved amendments
with what they changed, and none of our internal names or drafts."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agreements import services
from tests.agreements.amending import form_data, save
from tests.factories import UserFactory


def _amend(agreement, author, approver, **changes):
    changes.setdefault(
        "effective_date", (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    )
    changes.setdefault("reason", "Budgeten reviderades i styrelsen.")
    amendment = save(agreement, author, **changes)
    services.amendment_transition(amendment=amendment, action="submit", user=author)
    services.amendment_transition(amendment=amendment, action="approve", user=approver)
    return amendment


def test_the_partner_sees_the_amended_terms_and_what_each_amendment_changed(
    partner_client, agreement, manager
):
    # Not the agreement's responsible person, whom the partner sees as its contact.
    staff = UserFactory(staff=True, first_name="Olle", last_name="Utkast")
    goal = agreement.goals.get(description="Starkare läskultur")
    data = form_data(agreement)
    index = next(n for n in range(5) if data.get(f"goals-{n}-goal") == str(goal.pk))
    _amend(
        agreement,
        staff,
        manager,
        types=["economic_contribution", "goals"],
        economic_amount="123456",
        **{f"goals-{index}-description": "Läsglädje i hela familjen"},
    )
    # A second one in progress: internal until a manager approves it.
    agreement.refresh_from_db()
    save(
        agreement,
        staff,
        types=["other_terms"],
        conduct="Ett utkast partnern inte ser",
        effective_date=(timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        reason="Utkast",
    )

    page = partner_client.get(reverse("portal:agreement_detail", args=[agreement.pk]))
    html = page.content.decode()

    assert "123\xa0456" in html or "123,456" in html or "123 456" in html
    assert "Amendment 1" in html and "Budgeten reviderades i styrelsen." in html
    assert "Amendment 2" not in html and "Ett utkast partnern inte ser" not in html
    goals_section = html.split('id="amendments"')[0]
    assert "Läsglädje i hela familjen" in goals_section
    assert "Starkare läskultur" not in goals_section  # replaced: shown only as a change
    assert "Starkare läskultur" in html.split('id="amendments"')[1]
    for internal in (staff.get_full_name(), manager.get_full_name()):
        assert internal not in html

    pdf = partner_client.get(reverse("portal:agreement_summary_pdf", args=[agreement.pk]))
    text = " ".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf))).pages).split()
    )
    assert "Budgeten reviderades i styrelsen." in text
    assert "Läsglädje i hela familjen" in text
    assert "in progress" not in text and "Drafted and approved by" not in text
    for internal in (staff.get_full_name(), manager.get_full_name()):
        assert internal not in text


def test_the_staff_pdf_still_names_who_drafted_and_approved_an_amendment(
    staff_client, agreement, staff
):
    approver = UserFactory(manager=True, first_name="Greta", last_name="Godkänd")
    _amend(agreement, staff, approver, types=["economic_contribution"], economic_amount="123456")
    pdf = staff_client.get(reverse("agreements:agreement_summary_pdf", args=[agreement.pk]))
    text = " ".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf))).pages).split()
    )
    assert "Greta Godkänd" in text, text
