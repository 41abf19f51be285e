"""The partner portal in the demo story: a portal user at two partners, invited by the
partner's responsible person from a contact added on the partner's page, and the first
yearly report of one agreement sent in and awaiting review. Each step is taken as on the
page, by the person who would take it, on its day (demo/steps.py)."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.forms import SetPasswordForm

from agreements.models import Agreement
from core.permissions import require
from demo.steps import DemoDataRefused, acting, check, page_post, row
from partnerships import permissions as partner_permissions
from partnerships import services as partner_services
from partnerships.forms import ContactFormSet, PartnerForm
from partnerships.models import Partner
from portal.forms import PartnerReportForm
from portal.models import PartnerReport, PartnerUser, contribution_lines
from portal.services import invitations, reports


@dataclass(frozen=True)
class DemoPortalUser:
    username: str
    password: str
    name: str
    email: str
    partner: str
    language: str
    invited: int  # the day the responsible person invites them (days from today)


# Documented in README.md. Refused with DEBUG off (see the seed_demo command).
DEMO_PORTAL_USERS = [
    DemoPortalUser(
        "lina", "lina-demo-2026", "Lina Lund", "lina@angby.example", "Kulturhuset Ängby", "sv", -20
    ),
    DemoPortalUser(
        "omar",
        "omar-demo-2026",
        "Omar Haddad",
        "omar@laslust.example",
        "Föreningen Läslust Malmö",
        "sv",
        -30,
    ),
]

# Omar sends the first year's report on this agreement; staff are to review it.
REPORTED = ("Föreningen Läslust Malmö", "Läslust i ytterområdena")
REPORT_DRAFTED, REPORT_SENT = -10, -5
CENT = Decimal("0.01")


def create_demo_portal(story) -> None:
    for spec in DEMO_PORTAL_USERS:
        existing = PartnerUser.objects.filter(user__username=spec.username).first()
        if existing is not None:
            # Passwords are reset on every run, so README.md stays true.
            existing.user.set_password(spec.password)
            existing.user.save(update_fields=["password"])
            continue
        partner = Partner.objects.get(name=spec.partner)
        responsible = partner.responsible
        with acting(responsible, story.day(spec.invited)):
            contact = _add_contact(partner, responsible, spec)
            sent = invitations.partner_user_invite(
                contact=contact,
                language=spec.language,
                invited_by=responsible,
                username=spec.username,
                send_email=False,
            )
        with acting(sent.partner_user.user, story.day(spec.invited + 1)):
            _set_password(sent, spec.password)
    _send_the_first_report(story)


def _add_contact(partner, user, spec):
    """The partner's edit page, a contact person added in the empty row."""
    partner = Partner.objects.get(pk=partner.pk)
    require(partner_permissions.can_edit_partner(user, partner))
    shown_contacts = ContactFormSet(instance=partner, prefix="contacts")
    shown_contacts.extra = 1
    index = partner.contacts.count()
    data = page_post(
        PartnerForm(instance=partner),
        shown_contacts,
        changes=row(
            "contacts",
            index,
            {"name": spec.name, "role": "Kontaktperson för partnerportalen", "email": spec.email},
        ),
    )
    form = PartnerForm(data, instance=partner)
    contacts = ContactFormSet(data, instance=partner, prefix="contacts")
    check(form, contacts)
    partner_services.partner_save(form=form, contact_formset=contacts, user=user)
    return partner.contacts.get(email=spec.email)


def _set_password(sent, password):
    """The invitation link's page: the password chosen under the password rules."""
    invitation = invitations.invitation_for_token(sent.token)
    form = SetPasswordForm(
        sent.partner_user.user, {"new_password1": password, "new_password2": password}
    )
    check(form)
    invitations.invitation_accept(invitation=invitation, password_form=form)


def _send_the_first_report(story):
    partner_name, title = REPORTED
    agreement = Agreement.objects.get(partner__name=partner_name, title=title)
    period = agreement.evaluation_periods.get(number=1)
    if PartnerReport.objects.filter(period=period).exists():
        return
    omar = PartnerUser.objects.get(user__username="omar").user
    goals = list(agreement.goals.all())
    lines = contribution_lines(agreement)
    changes = {
        "target_group_involvement": "Barn och föräldrar i Rosengård och Hermodsdal planerade "
        "cirklarna med oss; en föräldragrupp ordnar kvällsträffarna.",
        "lessons_learned": "Kvällsträffar når fler föräldrar än helgträffar. Böcker på "
        "arabiska och somaliska lockar nya familjer.",
    }
    for goal in goals:
        if goal.kind == "quantitative":
            changes[f"achieved_{goal.pk}"] = (goal.target_value * 4 / 5).quantize(CENT)
        else:
            changes[f"text_{goal.pk}"] = (
                "Barnen väljer själva böckerna i cirklarna och leder två träffar varje termin."
            )
    for obligation in lines:
        key = str(obligation.pk) if obligation else "whole"
        changes[f"amount_{key}"] = (agreement.economic_amount * 9 / 10).quantize(CENT)
        changes[f"comment_{key}"] = (
            "Bokinköp, cirkelledare och två författarbesök; resten går till höstens läsläger."
        )
    with acting(omar, story.day(REPORT_DRAFTED)):
        shown = PartnerReportForm(goals=goals, lines=lines)
        form = PartnerReportForm(page_post(shown, changes=changes), goals=goals, lines=lines)
        check(form)
        report = reports.report_save_draft(
            period=period,
            user=omar,
            opened_version=form.cleaned_data.get("edit_version"),
            target_group_involvement=form.cleaned_data["target_group_involvement"],
            lessons_learned=form.cleaned_data["lessons_learned"],
            goal_values=form.goal_values(),
            resource_values=form.resource_values(),
        )
    with acting(omar, story.day(REPORT_SENT)):
        try:
            reports.report_submit(report=report, user=omar)
        except reports.ReportRefused as refused:
            raise DemoDataRefused(f"{refused.message} {refused.problems}") from None
