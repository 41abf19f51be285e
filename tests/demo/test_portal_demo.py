"""The partner portal's demo data: a portal user at two partners, a report to review."""

from django.core.management import call_command
from django.urls import reverse

from demo.portal import DEMO_PORTAL_USERS
from portal.models import PartnerReport, PartnerUser, ReportStatus


def test_seed_demo_creates_the_portal_users_and_a_report_awaiting_review(db, settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    for spec in DEMO_PORTAL_USERS:
        username, password = spec.username, spec.password
        partner_user = PartnerUser.objects.get(user__username=username)
        assert partner_user.partner.name == spec.partner
        assert partner_user.state == "active"
        assert partner_user.user.check_password(password)
        response = client.post(
            reverse("login"), {"username": username, "password": password}, follow=True
        )
        assert response.redirect_chain[-1][0] == reverse("portal:home")
        client.logout()
    [report] = PartnerReport.objects.all()
    assert report.status == ReportStatus.SUBMITTED
    assert report.period.agreement.partner.name == "Föreningen Läslust Malmö"
    assert report.versions.get().submitted_by.username == "omar"


def test_seed_demo_twice_makes_no_second_portal_user_or_report(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert PartnerUser.objects.count() == len(DEMO_PORTAL_USERS)
    assert PartnerReport.objects.count() == 1
