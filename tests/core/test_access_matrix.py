"""Every URL of the project, for every persona: a new URL cannot be added without
deciding here who may open it (the test walks the URL resolver)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from agreements.models import ProgrammePeriod, SummaryExport, SummaryExportStatus
from agreements.services import amendment_transition
from agreements.workflow import AGREEMENT, AMENDMENT, transitions_for
from calendars.services import feed_issue
from partnerships.models import SelectionAssessment
from tests.agreements.amending import save
from tests.factories import (
    AgreementFactory,
    DialogueEntryFactory,
    DialogueFollowUpFactory,
    EvaluationFactory,
    PartnerFactory,
    PartnerUserFactory,
    UserFactory,
)
from tests.portal.test_access import PORTAL_EXPECTED, STAFF_SIDE_EXPECTED
from webhooks.models import WebhookEndpoint

LOGIN = "login-redirect"

# Action URLs come in two kinds, both changing nothing on GET:
# - POST-only actions answer GET with 405 (Method Not Allowed). They are reached from a
#   button in a form on another page, so there is nothing to show on their own URL.
# - Actions that need a confirmation (archive a partner, the agreement workflow actions,
#   reopen an evaluation) answer GET with their confirmation page (200): the button on the
#   object's page is a link there, and the page's form POSTs to the same URL. This is a
#   deliberate design so that every action works without JavaScript (no confirm()
#   dialogs); the tests below check that GET on them changes nothing.
POST_ONLY = {
    "logout",
    "two_factor_remove",
    "set_language",
    "login_unlock",
    "calendars:feed_issue",
    "calendars:feed_revoke",
    "api_token_create",
    "api_token_revoke",
    "webhooks:delivery_resend",
}
CONFIRMATION_PAGES = {
    "partnerships:partner_archive",
    "agreements:agreement_action",
    "agreements:amendment_action",
    "evaluations:evaluation_reopen",
}

# URL name -> expected GET status for (anonymous, staff, manager, no role).
# "login-redirect" is a 302 to the login page. Objects used are made in `objects` below.
EXPECTED = {
    "login": (200, 302, 302, 302),
    "logout": (LOGIN, 405, 405, 405),  # POST only
    # POST only; also logged out, so the login page can switch language.
    "set_language": (405, 405, 405, 405),
    "login_lockouts": (LOGIN, 403, 200, 403),
    "login_unlock": (LOGIN, 405, 405, 405),  # POST only
    "password_change": (LOGIN, 200, 200, 200),
    # Nobody here has enrolled: the code step sends on, the codes page has none to show.
    "two_factor_verify": (LOGIN, 302, 302, 302),
    "two_factor_setup": (LOGIN, 200, 200, 200),
    "two_factor_recovery_codes": (LOGIN, 302, 302, 302),
    "two_factor_remove": (LOGIN, 405, 405, 405),  # POST only
    # Single sign-on is off unless configured: its addresses do not exist.
    "oidc_authentication_init": (404, 404, 404, 404),
    "oidc_authentication_callback": (404, 404, 404, 404),
    "password_change_done": (LOGIN, 200, 200, 200),
    "dashboard:profile": (LOGIN, 200, 200, 200),
    "dashboard:dashboard": (LOGIN, 200, 200, 200),
    "partnerships:partner_list": (LOGIN, 200, 200, 403),
    "partnerships:partner_create": (LOGIN, 200, 200, 403),
    "partnerships:partner_import": (LOGIN, 200, 200, 403),
    "partnerships:partner_import_template": (LOGIN, 200, 200, 403),
    # Only the session that uploaded the file sees its preview; others go to the upload.
    "partnerships:partner_import_preview": (LOGIN, 302, 302, 403),
    "partnerships:partner_detail": (LOGIN, 200, 200, 403),
    "partnerships:partner_edit": (LOGIN, 200, 200, 403),
    "partnerships:partner_archive": (LOGIN, 200, 200, 403),  # confirmation page
    "partnerships:partner_routines_document": (LOGIN, 200, 200, 403),
    "partnerships:assessment_create": (LOGIN, 200, 200, 403),
    "partnerships:assessment_detail": (LOGIN, 200, 200, 403),
    "partnerships:dialogue_list": (LOGIN, 200, 200, 403),
    "partnerships:dialogue_create": (LOGIN, 200, 200, 403),
    "partnerships:dialogue_detail": (LOGIN, 200, 200, 403),
    "partnerships:dialogue_edit": (LOGIN, 200, 200, 403),
    "partnerships:follow_up_list": (LOGIN, 200, 200, 403),
    # The follow-up is the staff member's own; a manager may close it for them.
    "partnerships:follow_up_done": (LOGIN, 200, 200, 403),
    "agreements:agreement_list": (LOGIN, 200, 200, 403),
    "agreements:agreement_export": (LOGIN, 200, 200, 403),
    "agreements:agreement_summaries_zip": (LOGIN, 200, 200, 403),
    # The manager's own export: nobody else learns it exists.
    "agreements:summary_export": (LOGIN, 404, 200, 403),
    "agreements:summary_export_download": (LOGIN, 404, 200, 403),
    "agreements:agreement_create": (LOGIN, 200, 200, 403),
    "agreements:agreement_detail": (LOGIN, 200, 200, 403),
    "agreements:agreement_edit": (LOGIN, 403, 403, 403),  # pending: terms locked
    "agreements:agreement_renew": (LOGIN, 200, 200, 403),  # of an approved agreement
    "agreements:agreement_summary_pdf": (LOGIN, 200, 200, 403),
    "agreements:agreement_signed_document": (LOGIN, 200, 200, 403),
    "agreements:amendment_create": (LOGIN, 200, 200, 403),  # of an approved agreement
    "agreements:amendment_detail": (LOGIN, 200, 200, 403),
    "agreements:amendment_edit": (LOGIN, 200, 200, 403),  # a draft
    "agreements:agreement_signed_copy": (LOGIN, 200, 200, 403),  # of an approved agreement
    "agreements:obligation_outcome": (LOGIN, 200, 200, 403),  # of an approved agreement
    "agreements:obligation_evidence": (LOGIN, 200, 200, 403),
    "programmes:programme_period_list": (LOGIN, 200, 200, 403),
    "programmes:programme_period_create": (LOGIN, 403, 200, 403),
    "programmes:programme_period_edit": (LOGIN, 403, 200, 403),
    "budget": (LOGIN, 200, 200, 403),
    "evaluations:evaluation_list": (LOGIN, 200, 200, 403),
    "evaluations:evaluation_records": (LOGIN, 200, 200, 403),
    "evaluations:evaluation_export": (LOGIN, 200, 200, 403),
    "evaluations:evaluation_create": (LOGIN, 200, 200, 403),
    "evaluations:evaluation_detail": (LOGIN, 200, 200, 403),
    "evaluations:evaluation_edit": (LOGIN, 403, 403, 403),  # completed: locked
    "evaluations:evaluation_reopen": (LOGIN, 403, 200, 403),
    "evaluations:evaluation_attachment": (LOGIN, 200, 200, 403),
    # Calendar programs cannot log in: the secret token in the address is the only key,
    # whoever holds it (the staff member's feed here; a wrong token is a 404).
    "calendars:feed": (200, 200, 200, 200),
    "calendars:feed_issue": (LOGIN, 405, 405, 405),  # POST only
    "calendars:feed_revoke": (LOGIN, 405, 405, 405),  # POST only
    "calendars:agreement_calendar": (LOGIN, 200, 200, 403),
    # API tokens are the user's own, made and revoked from the profile page.
    "api_token_create": (LOGIN, 405, 405, 405),  # POST only
    "api_token_revoke": (LOGIN, 405, 405, 405),  # POST only
    # Webhooks send news out of the organisation: managers decide.
    "webhooks:endpoint_list": (LOGIN, 403, 200, 403),
    "webhooks:endpoint_create": (LOGIN, 403, 200, 403),
    "webhooks:endpoint_detail": (LOGIN, 403, 200, 403),
    "webhooks:endpoint_edit": (LOGIN, 403, 200, 403),
    "webhooks:delivery_resend": (LOGIN, 405, 405, 405),  # POST only
    # The API reference page: a page for people, like the others.
    "api:docs": (LOGIN, 200, 200, 200),
}

# The JSON API, opened with the session as the reference page does (tests/api has the
# same with tokens): no login is a 401, not a redirect to the login page.
API_EXPECTED = {
    "api:schema": (401, 200, 200, 200),
    "api:partner_list": (401, 200, 200, 403),
    "api:partner_detail": (401, 200, 200, 403),
    "api:partner_dialogue": (401, 200, 200, 403),
    "api:agreement_list": (401, 200, 200, 403),
    "api:agreement_detail": (401, 200, 200, 403),
    "api:obligation_list": (401, 200, 200, 403),
    "api:obligation_detail": (401, 200, 200, 403),
    "api:obligation_outcome": (401, 405, 405, 405),  # POST only
    "api:period_list": (401, 200, 200, 403),
    "api:evaluation_list": (401, 200, 200, 403),
    "api:evaluation_detail": (401, 200, 200, 403),
    "api:budget": (401, 200, 200, 403),
}

# The workflow actions share one URL; each is checked on the agreement it applies to.
ACTION_EXPECTED = {
    # action: (status of the agreement, anonymous, author staff, manager, no role)
    "submit": ("draft", LOGIN, 200, 403, 403),
    "approve": ("pending", LOGIN, 403, 200, 403),
    "return": ("pending", LOGIN, 403, 200, 403),
    "terminate": ("approved", LOGIN, 403, 200, 403),
}


# The same for an amendment (drafted by the staff member) of an approved agreement.
AMENDMENT_ACTION_EXPECTED = {
    # action: (status of the amendment, anonymous, author staff, manager, no role)
    "submit": ("draft", LOGIN, 200, 403, 403),
    "approve": ("pending", LOGIN, 403, 200, 403),
    "return": ("pending", LOGIN, 403, 200, 403),
    "withdraw": ("draft", LOGIN, 200, 200, 403),
}


def project_url_names():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # Django's admin has its own login and permission checks
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_is_in_the_access_matrix():
    # The partner portal's URLs have their table in tests/portal/test_access.py.
    actions = {"agreements:agreement_action", "agreements:amendment_action"}
    unlisted = (
        project_url_names()
        - set(EXPECTED)
        - set(API_EXPECTED)
        - actions
        - set(PORTAL_EXPECTED)
        - set(STAFF_SIDE_EXPECTED)
    )
    assert not unlisted, f"add these URLs to the access matrix: {sorted(unlisted)}"
    assert set(ACTION_EXPECTED) == set(transitions_for(AGREEMENT))
    assert set(AMENDMENT_ACTION_EXPECTED) == set(transitions_for(AMENDMENT))


def test_post_only_urls_are_listed_as_405_for_every_logged_in_persona():
    answering_405 = {name for name, statuses in EXPECTED.items() if 405 in statuses}
    assert answering_405 == POST_ONLY
    for name in POST_ONLY - {"set_language"}:
        assert EXPECTED[name] == (LOGIN, 405, 405, 405), name
    assert not CONFIRMATION_PAGES & POST_ONLY


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_urls_refuse_other_methods(manager_client, name):
    kwargs = {
        "api_token_revoke": {"pk": 1},
        "webhooks:delivery_resend": {"pk": "00000000-0000-0000-0000-000000000000"},
    }
    url = reverse(name, kwargs=kwargs.get(name))
    for method in ("get", "put", "delete"):
        response = getattr(manager_client, method)(url)
        assert response.status_code == 405, f"{method.upper()} {url}"
        allowed = {method.strip() for method in response["Allow"].split(",")}
        assert "POST" in allowed and "GET" not in allowed


@pytest.fixture
def objects(db, staff, manager):
    agreement = AgreementFactory(approved=True, created_by=staff)
    agreement.signed_document.save("signed.pdf", ContentFile(b"%PDF-1.4 signed"))
    pending = AgreementFactory(pending=True, created_by=staff)
    partner = PartnerFactory(due_diligence_done=True)
    assessment = SelectionAssessment.objects.create(
        partner=partner, assessed_by=staff, assessed_on="2026-01-01", recommendation="recommended"
    )
    evaluation = EvaluationFactory(
        period=agreement.evaluation_periods.get(number=1), completed=True
    )
    attachment = evaluation.attachments.create(
        file=ContentFile(b"%PDF-1.4 report", name="report.pdf"), uploaded_by=staff
    )
    entry = DialogueEntryFactory(partner=partner)
    follow_up = DialogueFollowUpFactory(entry=entry, owner=staff)
    export = SummaryExport.objects.create(
        requested_by=manager, total=1, status=SummaryExportStatus.DONE
    )
    export.file.save("export.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    obligation = agreement.obligations.first()
    obligation.fulfilment_evidence.save("receipt.pdf", ContentFile(b"%PDF-1.4 receipt"))
    period = ProgrammePeriod.objects.create(
        name="2026–2028", start_date="2026-01-01", end_date="2028-12-31"
    )
    endpoint = WebhookEndpoint.objects.create(
        name="Finance", url="https://finance.example/hooks", secret="s" * 32, event_types=[]
    )
    amended = AgreementFactory(approved=True, created_by=staff)
    draft_amendment(amended, staff)
    return {
        "api:partner_detail": {"pk": partner.pk},
        "api:partner_dialogue": {"pk": partner.pk},
        "api:agreement_detail": {"pk": agreement.pk},
        "api:obligation_detail": {"pk": obligation.pk},
        "api:obligation_outcome": {"pk": obligation.pk},
        "api:evaluation_detail": {"pk": evaluation.pk},
        "api_token_revoke": {"pk": 1},
        "webhooks:endpoint_detail": {"pk": endpoint.pk},
        "webhooks:endpoint_edit": {"pk": endpoint.pk},
        "webhooks:delivery_resend": {"pk": "00000000-0000-0000-0000-000000000000"},
        "agreements:amendment_create": {"pk": agreement.pk},
        "agreements:amendment_detail": {"pk": amended.pk, "number": 1},
        "agreements:amendment_edit": {"pk": amended.pk, "number": 1},
        "agreements:obligation_outcome": {"pk": agreement.pk, "obligation_pk": obligation.pk},
        "agreements:obligation_evidence": {"pk": agreement.pk, "obligation_pk": obligation.pk},
        "programmes:programme_period_edit": {"pk": period.pk},
        "partnerships:partner_detail": {"pk": partner.pk},
        "partnerships:partner_import_template": {"file_format": "xlsx"},
        "partnerships:partner_import_preview": {"token": "0" * 32},
        "partnerships:partner_edit": {"pk": partner.pk},
        "partnerships:partner_archive": {"pk": partner.pk},
        "partnerships:partner_routines_document": {"pk": partner.pk},
        "partnerships:assessment_create": {"pk": partner.pk},
        "partnerships:assessment_detail": {"pk": partner.pk, "assessment_pk": assessment.pk},
        "partnerships:dialogue_list": {"pk": partner.pk},
        "partnerships:dialogue_create": {"pk": partner.pk},
        "partnerships:dialogue_detail": {"pk": partner.pk, "entry_pk": entry.pk},
        "partnerships:dialogue_edit": {"pk": partner.pk, "entry_pk": entry.pk},
        "partnerships:follow_up_done": {"pk": follow_up.pk},
        "agreements:summary_export": {"pk": export.pk},
        "agreements:summary_export_download": {"pk": export.pk},
        "agreements:agreement_detail": {"pk": agreement.pk},
        "agreements:agreement_edit": {"pk": pending.pk},
        "agreements:agreement_renew": {"pk": agreement.pk},
        "agreements:agreement_summary_pdf": {"pk": agreement.pk},
        "agreements:agreement_signed_document": {"pk": agreement.pk},
        "agreements:agreement_signed_copy": {"pk": agreement.pk},
        "evaluations:evaluation_create": {"agreement_pk": agreement.pk, "number": 1},
        "evaluations:evaluation_detail": {"pk": evaluation.pk},
        "evaluations:evaluation_edit": {"pk": evaluation.pk},
        "evaluations:evaluation_reopen": {"pk": evaluation.pk},
        "evaluations:evaluation_attachment": {"pk": evaluation.pk, "attachment_pk": attachment.pk},
        "calendars:feed": {"token": feed_issue(user=staff)},
        "calendars:agreement_calendar": {"pk": agreement.pk},
        "_pending": pending,
    }


def _check(client, url, expected):
    response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    else:
        assert response.status_code == expected, f"{url}: {response.status_code} != {expected}"


@pytest.mark.parametrize("persona", ["anonymous", "staff", "manager", "no_role"])
def test_each_persona_gets_what_it_should(client, objects, staff, manager, no_role_user, persona):
    user = {"anonymous": None, "staff": staff, "manager": manager, "no_role": no_role_user}[persona]
    column = ["anonymous", "staff", "manager", "no_role"].index(persona)
    if user:
        client.force_login(user)
    for name, expected in EXPECTED.items():
        # An evaluation period that is running may be evaluated (it already has a completed
        # evaluation, so the page sends the user there: a redirect, not a refusal).
        url = reverse(name, kwargs=objects.get(name, {}))
        if name == "evaluations:evaluation_create" and expected[column] == 200:
            response = client.get(url)
            assert response.status_code == 302 and "/evaluations/" in response.url, url
            continue
        _check(client, url, expected[column])
    for name, expected in API_EXPECTED.items():
        url = reverse(name, kwargs=objects.get(name, {}))
        response = client.get(url)
        assert response.status_code == expected[column], f"{url}: {response.status_code}"


# What a partner user (the partner portal's login) gets on a staff URL: the portal's 403
# page from portal.middleware, except these.
PARTNER_USER_EXCEPTIONS = {
    "login": 302,  # already logged in: on to the dashboard, which sends them to the portal
    "logout": 405,  # POST only, and allowed
    "set_language": 405,  # POST only, and allowed
    "dashboard:dashboard": "portal",
    "dashboard:profile": "portal",
    # The two-factor steps: nothing to do here for a user who needs none.
    "two_factor_verify": 302,
    "two_factor_setup": 200,
    "two_factor_recovery_codes": 302,
    "two_factor_remove": 405,
}


def test_a_partner_user_reaches_no_staff_url(client, objects, partner_user_login):
    """Every URL outside the portal, including the staff pages around it."""
    client.force_login(partner_user_login)
    actions = {"agreements:agreement_action", "agreements:amendment_action"}
    names = project_url_names() - set(PORTAL_EXPECTED) - actions
    assert set(EXPECTED) | set(STAFF_SIDE_EXPECTED) | set(API_EXPECTED) >= names
    # The API: the partner portal is the partner's way in, not our API.
    for name in sorted(set(API_EXPECTED) - {"api:schema", "api:docs"}):
        url = reverse(name, kwargs=objects.get(name, {}))
        assert client.get(url).status_code in (401, 403), url
    amendment = objects["agreements:amendment_detail"]
    for action in ("submit", "approve", "withdraw"):
        url = reverse("agreements:amendment_action", kwargs={**amendment, "action": action})
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"comment": "x"}).status_code == 403, url
    for name in sorted(set(EXPECTED)):
        url = reverse(name, kwargs=objects.get(name, {}))
        response = client.get(url)
        expected = PARTNER_USER_EXCEPTIONS.get(name, 403)
        if expected == "portal":
            assert response.status_code == 302 and response.url == reverse("portal:home"), url
        else:
            assert response.status_code == expected, f"{url}: {response.status_code}"
        if expected == 403:
            assert "partner portal" in response.content.decode(), url
    for action in ACTION_EXPECTED:
        pending = objects["_pending"]
        url = reverse("agreements:agreement_action", kwargs={"pk": pending.pk, "action": action})
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"comment": "x"}).status_code == 403, url
    pending.refresh_from_db()
    assert pending.status == "pending"


@pytest.fixture
def partner_user_login(db):
    return PartnerUserFactory().user


@pytest.mark.parametrize("persona", ["anonymous", "staff", "manager", "no_role"])
@pytest.mark.parametrize("action", list(ACTION_EXPECTED))
def test_workflow_actions_per_persona(client, db, staff, manager, no_role_user, persona, action):
    status, *expected = ACTION_EXPECTED[action]
    traits = {
        "draft": {"complete": True},
        "pending": {"pending": True},
        "approved": {"approved": True},
    }
    agreement = AgreementFactory(created_by=staff, **traits[status])
    user = {"anonymous": None, "staff": staff, "manager": manager, "no_role": no_role_user}[persona]
    if user:
        client.force_login(user)
    column = ["anonymous", "staff", "manager", "no_role"].index(persona)
    url = reverse("agreements:agreement_action", kwargs={"pk": agreement.pk, "action": action})
    _check(client, url, expected[column])
    # Nothing changes through GET, whoever asks.
    agreement.refresh_from_db()
    assert agreement.status == status


def draft_amendment(agreement, author):
    return save(
        agreement,
        author,
        types=["economic_contribution"],
        economic_amount="60000",
        effective_date=(timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        reason="Höjt bidrag.",
    )


@pytest.mark.parametrize("persona", ["anonymous", "staff", "manager", "no_role"])
@pytest.mark.parametrize("action", list(AMENDMENT_ACTION_EXPECTED))
def test_amendment_actions_per_persona(client, db, staff, manager, no_role_user, persona, action):
    status, *expected = AMENDMENT_ACTION_EXPECTED[action]
    agreement = AgreementFactory(approved=True, created_by=staff)
    amendment = draft_amendment(agreement, staff)
    if status == "pending":
        amendment_transition(amendment=amendment, action="submit", user=staff)
    user = {"anonymous": None, "staff": staff, "manager": manager, "no_role": no_role_user}[persona]
    if user:
        client.force_login(user)
    column = ["anonymous", "staff", "manager", "no_role"].index(persona)
    url = reverse("agreements:amendment_action", args=[agreement.pk, 1, action])
    _check(client, url, expected[column])
    # Nothing changes through GET, whoever asks.
    amendment.refresh_from_db()
    assert amendment.status == status


def test_admin_requires_login(client, db):
    response = client.get("/admin/agreements/agreement/")
    assert response.status_code == 302 and "login" in response.url
    # A role alone does not open the admin: it is for superusers.
    client.force_login(UserFactory(staff=True))
    response = client.get("/admin/agreements/agreement/")
    assert response.status_code == 302 and "/admin/login/" in response.url
