"""The partner portal's demo: a portal user at two demo partners, and one yearly report
awaiting review. Made through the portal's own services, after the partners and
agreements of demo/data.py exist."""

from decimal import Decimal

from django.contrib.auth.forms import SetPasswordForm

from agreements.models import Agreement
from partnerships.models import Partner, PartnerContact
from portal.models import PartnerReport, PartnerUser, contribution_lines
from portal.services import invitations, reports

# Documented in README.md: username, password, name, email, partner, language.
DEMO_PORTAL_USERS = [
    ("lina", "lina-demo-2026", "Lina Lund", "lina@angby.example", "Kulturhuset Ängby", "sv"),
    (
        "omar",
        "omar-demo-2026",
        "Omar Haddad",
        "omar@laslust.example",
        "Föreningen Läslust Malmö",
        "sv",
    ),
]

CENT = Decimal("0.01")

# Omar has sent the first year's report on this agreement; staff are to review it.
REPORTED_AGREEMENT = ("Föreningen Läslust Malmö", "Läslust i ytterområdena")


def create_demo_portal() -> None:
    for username, password, name, email, partner_name, language in DEMO_PORTAL_USERS:
        if PartnerUser.objects.filter(user__username=username).exists():
            continue
        partner = Partner.objects.get(name=partner_name)
        contact = PartnerContact.objects.create(
            partner=partner, name=name, role="Kontaktperson för partnerportalen", email=email
        )
        sent = invitations.partner_user_invite(
            contact=contact,
            language=language,
            invited_by=partner.responsible,
            username=username,
            send_email=False,
        )
        _set_password(sent, password)
    _submit_demo_report()


def _set_password(sent, password):
    invitation = invitations.invitation_for_token(sent.token)
    form = SetPasswordForm(
        sent.partner_user.user, {"new_password1": password, "new_password2": password}
    )
    if not form.is_valid():
        raise ValueError(f"demo password refused: {form.errors.as_text()}")
    invitations.invitation_accept(invitation=invitation, password_form=form)


def _submit_demo_report():
    partner_name, title = REPORTED_AGREEMENT
    agreement = Agreement.objects.get(partner__name=partner_name, title=title)
    period = agreement.evaluation_periods.get(number=1)
    if PartnerReport.objects.filter(period=period).exists():
        return
    omar = PartnerUser.objects.get(user__username="omar").user
    goal_values = {
        goal.pk: (
            {"achieved_value": (goal.target_value * 4 / 5).quantize(CENT), "description": ""}
            if goal.kind == "quantitative"
            else {
                "achieved_value": None,
                "description": "Barnen väljer själva böckerna i cirklarna och leder "
                "två av träffarna varje termin.",
            }
        )
        for goal in agreement.goals.all()
    }
    resource_values = {
        (obligation.pk if obligation else None): {
            "amount_spent": (agreement.economic_amount * 9 / 10).quantize(CENT),
            "comment": "Bokinköp, cirkelledare och två författarbesök; resten går till "
            "höstens läsläger.",
        }
        for obligation in contribution_lines(agreement)
    }
    report = reports.report_save_draft(
        period=period,
        user=omar,
        opened_version=None,
        target_group_involvement="Barn och föräldrar i Rosengård och Hermodsdal planerade "
        "cirklarna med oss; en föräldragrupp ordnar kvällsträffarna.",
        lessons_learned="Kvällsträffar når fler föräldrar än helgträffar. Böcker på "
        "arabiska och somaliska lockar nya familjer.",
        goal_values=goal_values,
        resource_values=resource_values,
    )
    reports.report_submit(report=report, user=omar)
