"""The yearly partner report: draft, two tabs, submit, send back, revise, accept, and
the staff evaluation pre-filled from it."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.celery import app as celery_app
from evaluations.models import Evaluation, EvaluationStatus
from portal.models import (
    PartnerReport,
    PartnerReportAttachment,
    PartnerReportVersion,
    ReportStatus,
)
from portal.services import reports as report_services
from tests.conftest import log_in
from tests.factories import EvaluationFactory, ObligationFactory


@pytest.fixture
def tasks_run_in_process():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def economic(agreement):
    return ObligationFactory(
        agreement=agreement, side="ours", category="economic", description="Bidrag 50 000 kr."
    )


@pytest.fixture
def period(agreement):
    return agreement.evaluation_periods.get(number=1)


def report_url(period):
    return reverse("portal:report", args=[period.agreement_id, period.number])


def goals(agreement):
    quantitative = agreement.goals.get(kind="quantitative")
    qualitative = agreement.goals.get(kind="qualitative")
    return quantitative, qualitative


def complete_data(agreement, economic, **overrides):
    quantitative, qualitative = goals(agreement)
    data = {
        "edit_version": "",
        f"achieved_{quantitative.pk}": "95",
        f"text_{qualitative.pk}": "Föräldrarna läser mer hemma.",
        f"amount_{economic.pk}": "48000",
        f"comment_{economic.pk}": "Böcker och cirkelledare.",
        "target_group_involvement": "Barnen valde böckerna själva.",
        "lessons_learned": "Kvällsträffar når fler föräldrar.",
    }
    data.update(overrides)
    return data


def test_the_partner_saves_a_draft_and_finds_it_again(partner_client, agreement, economic, period):
    page = partner_client.get(report_url(period))
    assert page.status_code == 200
    assert "Bidrag 50 000 kr." in page.content.decode()

    response = partner_client.post(report_url(period), complete_data(agreement, economic))

    assert response.status_code == 302
    report = PartnerReport.objects.get(period=period)
    assert report.status == ReportStatus.DRAFT and report.version == 1
    quantitative, _ = goals(agreement)
    assert report.goal_entries.get(goal=quantitative).achieved_value == Decimal("95")
    assert report.resource_lines.get(obligation=economic).amount_spent == Decimal("48000")
    page = partner_client.get(report_url(period)).content.decode()
    assert "Kvällsträffar når fler föräldrar." in page
    assert report.history.count() == 1 and report.goal_entries.first().history.count() == 1


def test_two_tabs_cannot_overwrite_each_other(partner_client, agreement, economic, period):
    first = complete_data(agreement, economic, lessons_learned="Från flik ett.")
    second = complete_data(agreement, economic, lessons_learned="Från flik två.")
    partner_client.post(report_url(period), first)
    report = PartnerReport.objects.get()
    # Both tabs are now open on version 1.
    first.update(edit_version="1", lessons_learned="Flik ett igen.")
    second.update(edit_version="1")
    assert partner_client.post(report_url(period), first).status_code == 302

    response = partner_client.post(report_url(period), second)

    assert response.status_code == 200
    assert "Someone else saved changes here after you opened the form" in response.content.decode()
    report.refresh_from_db()
    assert report.lessons_learned == "Flik ett igen." and report.version == 2
    # The input is kept and the next save goes through knowingly.
    assert "Från flik två." in response.content.decode()


def test_a_tab_opened_before_the_report_existed_does_not_overwrite_it(
    partner_client, agreement, economic, period
):
    partner_client.post(report_url(period), complete_data(agreement, economic))
    response = partner_client.post(
        report_url(period), complete_data(agreement, economic, lessons_learned="Gammal flik.")
    )
    assert "Someone else saved changes here" in response.content.decode()
    assert PartnerReport.objects.get().lessons_learned == "Kvällsträffar når fler föräldrar."


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("amount", "-5", "The amount cannot be negative."),
        ("amount", "tusen", "Enter a number."),
        ("achieved", "många", "Enter a number."),
    ],
)
def test_bad_input_is_named_next_to_the_field_and_nothing_is_saved(
    partner_client, agreement, economic, period, field, value, message
):
    quantitative, _ = goals(agreement)
    key = {"amount": f"amount_{economic.pk}", "achieved": f"achieved_{quantitative.pk}"}[field]
    response = partner_client.post(
        report_url(period), complete_data(agreement, economic, **{key: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PartnerReport.objects.exists()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("virus.exe", b"MZ...", "Only these file types are accepted"),
        ("fake.pdf", b"not a pdf at all", "is not a real PDF file"),
    ],
)
def test_attachments_are_type_checked(
    partner_client, agreement, economic, period, name, content, message
):
    data = complete_data(agreement, economic, attachment=SimpleUploadedFile(name, content))
    response = partner_client.post(report_url(period), data)
    assert message in response.content.decode()
    assert not PartnerReport.objects.exists() and not PartnerReportAttachment.objects.exists()


def test_attachments_are_size_limited(partner_client, agreement, economic, period, settings):
    settings.MAX_UPLOAD_SIZE = 100
    data = complete_data(
        agreement, economic, attachment=SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 200)
    )
    response = partner_client.post(report_url(period), data)
    assert "the largest allowed is 100" in response.content.decode()
    assert not PartnerReport.objects.exists()


def test_an_incomplete_report_is_kept_as_a_draft_and_not_sent(
    partner_client, agreement, economic, period
):
    data = complete_data(agreement, economic, lessons_learned="", submit="1")
    response = partner_client.post(report_url(period), data)
    text = response.content.decode()
    assert "The report is saved as a draft but cannot be sent yet." in text
    assert "Write what you learned." in text
    report = PartnerReport.objects.get()
    assert report.status == ReportStatus.DRAFT and not report.versions.exists()


def submit(client, agreement, economic, period, **overrides):
    data = complete_data(agreement, economic, submit="1", **overrides)
    report = PartnerReport.objects.filter(period=period).first()
    if report:
        data["edit_version"] = str(report.version)
    return client.post(report_url(period), data)


def test_a_submitted_report_is_locked_for_the_partner(partner_client, agreement, economic, period):
    attachment = SimpleUploadedFile("enkat.pdf", b"%PDF-1.4 survey")
    response = submit(partner_client, agreement, economic, period, attachment=attachment)
    assert response.status_code == 302
    report = PartnerReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    version = report.versions.get()
    assert version.number == 1 and version.submitted_by.username == "lina"
    assert version.content["lessons_learned"] == "Kvällsträffar når fler föräldrar."
    assert version.content["attachments"][0]["name"] == "enkat.pdf"
    assert report.attachments.get().first_submitted_in == 1

    page = partner_client.get(report_url(period)).content.decode()
    assert "Save draft" not in page and "Version 1" in page
    again = partner_client.post(report_url(period), complete_data(agreement, economic))
    assert again.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_full_round_sent_back_revised_accepted_and_the_evaluation_prefilled(
    client,
    partner_user,
    staff,
    agreement,
    economic,
    period,
    tasks_run_in_process,
    django_capture_on_commit_callbacks,
):
    partner_user.user.language = "sv"
    partner_user.user.save()
    log_in(client, partner_user.user)
    submit(client, agreement, economic, period)
    report = PartnerReport.objects.get()

    log_in(client, staff)
    detail = reverse("portal_staff:report_detail", args=[report.pk])
    page = client.get(detail).content.decode()
    assert "Föräldrarna läser mer hemma." in page and "Record the decision" in page
    refused = client.post(detail, {"decision": "sent_back", "comment": ""})
    assert "Write what the partner should change." in refused.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, {"decision": "sent_back", "comment": "Ange antal föräldrar."})
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT_BACK
    [email] = mail.outbox
    assert email.to == [partner_user.user.email]
    assert (
        "Ange antal föräldrar." in email.body and "skickar tillbaka den för ändringar" in email.body
    )

    log_in(client, partner_user.user)
    page = client.get(report_url(period)).content.decode()
    assert "Ange antal föräldrar." in page and 'name="save"' in page
    submit(client, agreement, economic, period, lessons_learned="40 föräldrar kom.")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.versions.count() == 2

    log_in(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, {"decision": "accepted", "comment": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert len(mail.outbox) == 2 and "har godkänt er rapport" in mail.outbox[1].body
    versions = list(PartnerReportVersion.objects.order_by("number"))
    assert [v.outcome for v in versions] == ["sent_back", "accepted"]
    assert versions[0].content["lessons_learned"] == "Kvällsträffar når fler föräldrar."

    evaluation = Evaluation.objects.get(period=period)
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.partner_report_received
    assert evaluation.amount_spent == Decimal("48000")
    assert evaluation.lessons_learned == "40 föräldrar kom."
    quantitative, qualitative = goals(agreement)
    assert evaluation.results.get(goal=quantitative).measured_value == Decimal("95")
    assert evaluation.results.get(goal=qualitative).assessment == "Föräldrarna läser mer hemma."
    form = client.get(reverse("evaluations:evaluation_edit", args=[evaluation.pk]))
    text = form.content.decode()
    assert text.count('class="from-partner"') == 6
    assert 'id="partner-report"' in text  # the report beside the form
    assert len(mail.outbox) == 2  # each decision mailed once


def test_prefill_never_overwrites_what_staff_wrote_and_a_changed_field_loses_the_mark(
    staff_client, staff, agreement, economic, period, partner_user
):
    draft = EvaluationFactory(period=period, evaluator=staff, lessons_learned="Vår egen slutsats.")
    report = PartnerReport.objects.create(period=period, created_by=partner_user.user)
    report_services.ensure_resource_lines(report)
    quantitative, qualitative = goals(agreement)
    version = PartnerReportVersion.objects.create(
        report=report,
        number=1,
        submitted_by=partner_user.user,
        content={
            "goals": [],
            "resources": [{"label": "Bidrag", "amount_spent": "100.00", "comment": ""}],
            "currency": "SEK",
            "target_group_involvement": "Barnen valde.",
            "lessons_learned": "Partnerns slutsats.",
        },
    )
    PartnerReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    report.refresh_from_db()

    report_services.report_accept(report=report, user=staff)

    draft.refresh_from_db()
    assert draft.lessons_learned == "Vår egen slutsats."
    assert draft.resources_description == "Medlen användes till bokinköp och ledare."
    assert draft.target_group_involvement == "Barnen valde."
    assert "lessons_learned" not in draft.partner_report_values
    page = staff_client.get(reverse("evaluations:evaluation_edit", args=[draft.pk]))
    # The amount spent and the target groups came from the partner.
    assert page.content.decode().count('class="from-partner"') == 2
    draft.target_group_involvement = "Ändrat av oss."
    draft.save()
    page = staff_client.get(reverse("evaluations:evaluation_edit", args=[draft.pk]))
    assert page.content.decode().count('class="from-partner"') == 1
    assert version.outcome == ""  # the object in memory; the row says accepted
    assert PartnerReportVersion.objects.get().outcome == "accepted"


def test_a_completed_evaluation_is_not_touched_by_an_accepted_report(staff, period, partner_user):
    completed = EvaluationFactory(period=period, completed=True, lessons_learned="Klar.")
    report = PartnerReport.objects.create(period=period, created_by=partner_user.user)
    PartnerReportVersion.objects.create(
        report=report, number=1, submitted_by=partner_user.user, content={"lessons_learned": "X"}
    )
    PartnerReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    report.refresh_from_db()
    report_services.report_accept(report=report, user=staff)
    completed.refresh_from_db()
    assert completed.lessons_learned == "Klar." and Evaluation.objects.count() == 1


def test_staff_see_report_status_per_period_the_list_filter_and_the_dashboard_panel(
    client, partner_user, staff, manager, agreement, economic, period
):
    log_in(client, partner_user.user)
    submit(client, agreement, economic, period)
    report = PartnerReport.objects.get()
    log_in(client, staff)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Partner reports" in page and "Submitted, awaiting review" in page
    listed = client.get(reverse("portal_staff:report_list"), {"status": "submitted"})
    assert agreement.reference in listed.content.decode()
    empty = client.get(reverse("portal_staff:report_list"), {"status": "accepted"})
    assert agreement.reference not in empty.content.decode()
    invalid = client.get(reverse("portal_staff:report_list"), {"status": "nonsense"})
    assert agreement.reference not in invalid.content.decode()  # fails closed
    for user in (staff, manager):
        log_in(client, user)
        dashboard = client.get("/").content.decode()
        assert "Partner reports awaiting review" in dashboard
        assert report.get_absolute_url() in dashboard


def test_the_partner_reads_only_its_own_attachments(
    client, partner_user, other_partner_user, agreement, economic, period
):
    log_in(client, partner_user.user)
    attachment = SimpleUploadedFile("enkat.pdf", b"%PDF-1.4 survey")
    partner_client = client
    partner_client.post(
        report_url(period), complete_data(agreement, economic, attachment=attachment)
    )
    saved = PartnerReportAttachment.objects.get()
    url = reverse("portal:report_attachment", args=[saved.report_id, saved.pk])
    assert partner_client.get(url).status_code == 200
    log_in(client, other_partner_user.user)
    assert client.get(url).status_code == 404
    assert client.get(report_url(period)).status_code == 404


def test_a_period_not_started_cannot_be_reported_on(partner_client, agreement):
    later = agreement.evaluation_periods.order_by("-number").first()
    assert later.start_date > datetime.date.today()
    page = partner_client.get(report_url(later))
    assert page.status_code == 200 and "This period has not started yet." in page.content.decode()
    assert partner_client.post(report_url(later), {}).status_code == 403
