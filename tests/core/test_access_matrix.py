"""Every URL of the project, for every persona: a new URL cannot be added without
deciding here who may open it (the test walks the URL resolver)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse

from agreements.models import SummaryExport, SummaryExportStatus
from agreements.workflow import TRANSITIONS
from partnerships.models import SelectionAssessment
from tests.factories import (
    AgreementFactory,
    EvaluationFactory,
    PartnerFactory,
    UserFactory,
)

LOGIN = "login-redirect"

# URL name -> expected GET status for (anonymous, staff, manager, no role).
# "login-redirect" is a 302 to the login page. Objects used are made in `objects` below.
EXPECTED = {
    "login": (200, 302, 302, 302),
    "logout": (LOGIN, 405, 405, 405),  # POST only
    "set_language": (LOGIN, 405, 405, 405),  # POST only
    "password_change": (LOGIN, 200, 200, 200),
    "password_change_done": (LOGIN, 200, 200, 200),
    "core:dashboard": (LOGIN, 200, 200, 200),
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
    "evaluations:evaluation_list": (LOGIN, 200, 200, 403),
    "evaluations:evaluation_records": (LOGIN, 200, 200, 403),
    "evaluations:evaluation_export": (LOGIN, 200, 200, 403),
    "evaluations:evaluation_create": (LOGIN, 200, 200, 403),
    "evaluations:evaluation_detail": (LOGIN, 200, 200, 403),
    "evaluations:evaluation_edit": (LOGIN, 403, 403, 403),  # completed: locked
    "evaluations:evaluation_reopen": (LOGIN, 403, 200, 403),
    "evaluations:evaluation_attachment": (LOGIN, 200, 200, 403),
}

# The workflow actions share one URL; each is checked on the agreement it applies to.
ACTION_EXPECTED = {
    # action: (status of the agreement, anonymous, author staff, manager, no role)
    "submit": ("draft", LOGIN, 200, 403, 403),
    "approve": ("pending", LOGIN, 403, 200, 403),
    "return": ("pending", LOGIN, 403, 200, 403),
    "terminate": ("approved", LOGIN, 403, 200, 403),
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
    unlisted = project_url_names() - set(EXPECTED) - {"agreements:agreement_action"}
    assert not unlisted, f"add these URLs to the access matrix: {sorted(unlisted)}"
    assert set(ACTION_EXPECTED) == set(TRANSITIONS)


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
    export = SummaryExport.objects.create(
        requested_by=manager, total=1, status=SummaryExportStatus.DONE
    )
    export.file.save("export.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    return {
        "partnerships:partner_detail": {"pk": partner.pk},
        "partnerships:partner_import_template": {"file_format": "xlsx"},
        "partnerships:partner_import_preview": {"token": "0" * 32},
        "partnerships:partner_edit": {"pk": partner.pk},
        "partnerships:partner_archive": {"pk": partner.pk},
        "partnerships:partner_routines_document": {"pk": partner.pk},
        "partnerships:assessment_create": {"pk": partner.pk},
        "partnerships:assessment_detail": {"pk": partner.pk, "assessment_pk": assessment.pk},
        "agreements:summary_export": {"pk": export.pk},
        "agreements:summary_export_download": {"pk": export.pk},
        "agreements:agreement_detail": {"pk": agreement.pk},
        "agreements:agreement_edit": {"pk": pending.pk},
        "agreements:agreement_renew": {"pk": agreement.pk},
        "agreements:agreement_summary_pdf": {"pk": agreement.pk},
        "agreements:agreement_signed_document": {"pk": agreement.pk},
        "evaluations:evaluation_create": {"agreement_pk": agreement.pk, "number": 1},
        "evaluations:evaluation_detail": {"pk": evaluation.pk},
        "evaluations:evaluation_edit": {"pk": evaluation.pk},
        "evaluations:evaluation_reopen": {"pk": evaluation.pk},
        "evaluations:evaluation_attachment": {"pk": evaluation.pk, "attachment_pk": attachment.pk},
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


def test_admin_requires_login(client, db):
    response = client.get("/admin/agreements/agreement/")
    assert response.status_code == 302 and "login" in response.url
    # A role alone does not open the admin: it is for superusers.
    client.force_login(UserFactory(staff=True))
    response = client.get("/admin/agreements/agreement/")
    assert response.status_code == 302 and "/admin/login/" in response.url
