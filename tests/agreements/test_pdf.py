"""Agreement summary PDFs: what they show, that they fetch nothing but our static files,
who may download them, and the ZIP of a filtered list. Text is read back with pypdf."""

import base64
import datetime
import io
import re
import socket
import zipfile
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils import formats, timezone
from pypdf import PdfReader
from weasyprint import HTML

from agreements import pdf as agreement_pdf
from agreements.models import GoalKind, ProgrammePeriod, Side
from agreements.pdf import PDF_BASE_URL, PRINT_STYLESHEET_URL, StaticFilesOnlyFetcher
from tests.factories import (
    AgreementFactory,
    EvaluationFactory,
    GoalFactory,
    ObligationFactory,
    PartnerContactFactory,
    PartnerFactory,
    UserFactory,
)

TODAY = timezone.localdate
HOSTILE_IMAGE = '<img src="file:///etc/passwd">'
HOSTILE_LINK = '<a href="http://10.0.0.1/">x</a>'
HOSTILE_STYLESHEET = '<link rel=stylesheet href="http://127.0.0.1:9/x.css">'


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def squashed(text: str) -> str:
    """Text without spaces, line breaks and the hyphens hyphenation adds at line ends
    (U+2010), so a phrase is found however the PDF wrapped it."""
    return re.sub(r"\s+", "", re.sub(r"[-\u2010]\n", "", text))


def contains(text: str, phrase: str) -> bool:
    return squashed(phrase) in squashed(text)


def short_date(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def download(client, agreement) -> bytes:
    response = client.get(f"/agreements/{agreement.pk}/summary.pdf")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def fetched_urls(monkeypatch) -> list[str]:
    """Every URL WeasyPrint asks the fetcher for, in order."""
    urls = []
    real_fetch = StaticFilesOnlyFetcher.fetch

    def recording_fetch(self, url, headers=None):
        urls.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(StaticFilesOnlyFetcher, "fetch", recording_fetch)
    return urls


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything opens a network connection from Python."""

    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted while rendering a PDF")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def full_agreement(**overrides):
    """An approved agreement with every part of the summary filled in."""
    partner = PartnerFactory(
        name="Läsfrämjandet i Malmö",
        organisation_number="802000-1234",
        country="SE",
        street_address="Östra Förstadsgatan 5",
        postal_code="211 31",
        city="Malmö",
    )
    PartnerContactFactory(partner=partner, name="Åsa Öberg", role="Verksamhetsledare")
    PartnerContactFactory(partner=partner, name="Björn Ärlig", role="Kassör")
    previous = AgreementFactory(approved=True, partner=partner, reference="AGR-2019-0007")
    fields = {
        "partner": partner,
        "follows": previous,
        "title": "Läslust för barn och unga",
        "agreement_type": "long_term",
        "economic_amount": Decimal("120000.00"),
        "currency": "SEK",
        "payment_terms": "Halva beloppet vid start.",
        "marketing_contributions": "Vår logotyp i programbladet.",
        "conduct": "Parterna följer uppförandekoden.",
        "exchange": "Vi får synlighet.",
        "termination_terms": "Uppsägning med tre månaders varsel.",
        "programme_period": ProgrammePeriod.objects.create(
            name="Programperiod 2020–2040",
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2040, 12, 31),
        ),
    }
    agreement = AgreementFactory(approved=True, **(fields | overrides))
    GoalFactory(
        agreement=agreement,
        indicator="Aktiva läsombud",
        baseline=Decimal("12"),
        target_value=Decimal("45"),
        unit="personer",
    )
    GoalFactory(
        agreement=agreement,
        kind=GoalKind.QUALITATIVE,
        indicator="",
        baseline=None,
        target_value=None,
        unit="",
        expected_outcome="Starkare läskultur.",
        assessment_method="Intervjuer med lärare.",
    )
    ObligationFactory(
        agreement=agreement,
        side=Side.OURS,
        category="economic",
        description="Betala bidraget i två delar.",
        due_date=agreement.start_date + datetime.timedelta(days=90),
    )
    ObligationFactory(
        agreement=agreement,
        side=Side.PARTNER,
        description="Lämna en årsrapport.",
        due_date=agreement.start_date + datetime.timedelta(days=365),
    )
    AgreementFactory(partner=partner, follows=agreement, reference="AGR-2030-0042")
    return agreement


def test_summary_downloads_as_a_pdf_named_after_the_reference(staff_client):
    agreement = AgreementFactory(approved=True, reference="AGR-2026-0012")
    response = staff_client.get(f"/agreements/{agreement.pk}/summary.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="AGR-2026-0012-summary.pdf"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(content)).pages) >= 1


def test_summary_shows_the_agreement_partner_terms_obligations_and_goals(staff_client, settings):
    settings.ORGANISATION_NAME = "Föreningen Läsglädje"
    agreement = full_agreement()
    text = "\n".join(pdf_pages(download(staff_client, agreement)))

    expected = [
        "Föreningen Läsglädje",
        "Agreement summary",
        agreement.reference,
        "Läslust för barn och unga",
        "Partnership type Long-term (spans programme periods)",
        "Status Approved",
        "Phase Active",
        f"Generated on {short_date(TODAY())}",
        "by Sara Staff",
        # The partner.
        "Läsfrämjandet i Malmö",
        "802000-1234",
        "Sweden",
        "Östra Förstadsgatan 5, 211 31 Malmö",
        "Åsa Öberg",
        "Verksamhetsledare",
        "Björn Ärlig",
        # The period: a fixed end, never extended automatically.
        f"{short_date(agreement.start_date)} – {short_date(agreement.end_date)}",
        f"The end date {short_date(agreement.end_date)} is fixed",
        "is not extended automatically",
        "Programme period",
        "Programperiod 2020–2040",
        "Follows AGR-2019-0007",
        "Followed by AGR-2030-0042",
        # What each side gives.
        "SEK 120,000.00",
        "Halva beloppet vid start.",
        "Vår logotyp i programbladet.",
        "Parterna följer uppförandekoden.",
        "Vi får synlighet.",
        "Uppsägning med tre månaders varsel.",
        # Obligations by side, with their due dates.
        "Our obligations",
        "Betala bidraget i två delar.",
        short_date(agreement.start_date + datetime.timedelta(days=90)),
        "The partner's obligations",
        "Lämna en årsrapport.",
        short_date(agreement.start_date + datetime.timedelta(days=365)),
        # Goals: measurable ones with indicator, baseline, target and unit.
        "Quantitative Aktiva läsombud 12 45 personer",
        "Qualitative Expected outcome: Starkare läskultur.",
        "Judged by: Intervjuer med lärare.",
    ]
    missing = [phrase for phrase in expected if not contains(text, phrase)]
    assert missing == []


def test_our_obligations_and_the_partners_are_listed_apart(staff_client):
    agreement = full_agreement()
    text = squashed("\n".join(pdf_pages(download(staff_client, agreement))))
    ours = text.index(squashed("Our obligations"))
    theirs = text.index(squashed("The partner's obligations"))
    assert ours < text.index(squashed("Betala bidraget i två delar.")) < theirs
    assert theirs < text.index(squashed("Lämna en årsrapport."))


def test_approved_summary_names_the_approver_and_has_no_watermark(staff_client):
    approver = UserFactory(first_name="Märta", last_name="Godkänd", manager=True)
    agreement = AgreementFactory(approved=True, approved_by=approver)
    pages = pdf_pages(download(staff_client, agreement))
    text = "\n".join(pages)
    assert contains(text, "Approved by Märta Godkänd")
    assert contains(text, short_date(timezone.localtime(agreement.approved_at).date()))
    assert "DRAFT" not in text


@pytest.mark.parametrize("status", ["draft", "pending", "returned"])
def test_unapproved_summary_has_a_draft_watermark_on_every_page(staff_client, status):
    agreement = AgreementFactory(complete=True, status=status)
    for number in range(25):
        ObligationFactory(agreement=agreement, description=f"Åtagande nummer {number}.")
    pages = pdf_pages(download(staff_client, agreement))
    assert len(pages) >= 2
    assert all("DRAFT" in page for page in pages)
    assert contains(pages[0], "Draft – not approved")


def test_terminated_summary_gives_the_date_cause_reason_and_who(staff_client):
    manager = UserFactory(first_name="Maja", last_name="Avslutar", manager=True)
    agreement = AgreementFactory(
        terminated=True,
        approved_by=manager,
        termination_reason="Riktlinjerna följdes inte trots påminnelser.",
    )
    text = "\n".join(pdf_pages(download(staff_client, agreement)))
    assert contains(text, "Termination")
    assert contains(text, f"With effect from {short_date(agreement.terminated_on)}")
    assert contains(text, "Agreed guidelines not upheld")
    assert contains(text, "Riktlinjerna följdes inte trots påminnelser.")
    assert contains(text, "Terminated by Maja Avslutar")
    assert "DRAFT" not in text


def test_evaluation_history_shows_each_period_its_state_and_the_goal_results(staff_client):
    start = TODAY() - datetime.timedelta(days=400)
    agreement = AgreementFactory(
        approved=True, start_date=start, end_date=start + datetime.timedelta(days=900)
    )
    first_year = agreement.evaluation_periods.get(number=1)
    EvaluationFactory(period=first_year, completed=True, overall_rating=3)
    text = "\n".join(pdf_pages(download(staff_client, agreement)))
    assert contains(text, "Evaluation history")
    assert contains(
        text, f"{short_date(first_year.start_date)} – {short_date(first_year.end_date)}"
    )
    assert contains(text, "Done")
    assert contains(text, "Running")
    assert contains(text, "rating 3/5")
    assert contains(text, "Results year 1")
    # The factory's goal reaches its target of 120 children.
    assert contains(text, "120 barn (100% of target)")
    assert contains(text, "Achieved")


def test_long_agreement_runs_over_several_pages_with_page_x_of_y_and_repeated_headers(
    staff_client,
):
    start = TODAY() - datetime.timedelta(days=5 * 365 + 30)
    agreement = AgreementFactory(
        approved=True, start_date=start, end_date=start + datetime.timedelta(days=6 * 365)
    )
    for number in range(29):  # the approved trait brought one goal: 30 in all
        GoalFactory(agreement=agreement, description=f"Mål {number}: fler barn läser böcker")
    for number in range(18):  # and one obligation of each side: 20 in all
        ObligationFactory(
            agreement=agreement,
            side=Side.OURS if number % 2 else Side.PARTNER,
            due_date=start + datetime.timedelta(days=100 * number),
        )
    for period in agreement.evaluation_periods.order_by("number")[:5]:
        EvaluationFactory(period=period, completed=True)

    pages = pdf_pages(download(staff_client, agreement))

    page_count = len(pages)
    assert page_count >= 5
    for number, page in enumerate(pages, start=1):
        assert contains(page, f"Page {number} of {page_count}")
        assert agreement.reference in page
    assert contains(pages[0], f"Page 1 of {page_count}")
    # The goal and result tables run over pages; their header rows come along.
    assert sum("Baseline" in page for page in pages) >= 2
    assert sum("Achievement" in page for page in pages) >= 3
    assert contains("\n".join(pages), "Results year 5")


def test_swedish_letters_and_long_unbroken_words_stay_on_the_page(staff_client):
    long_word = "Läsfrämjandeverksamhetsutvecklingsprojektsansökningshandläggare" * 3
    agreement = AgreementFactory(approved=True, title="Åäö ÅÄÖ", description=long_word)
    text = "\n".join(pdf_pages(download(staff_client, agreement)))
    assert contains(text, "Åäö ÅÄÖ")
    # Wrapped, but every letter is there: nothing ran off the page.
    assert contains(text, long_word)


def test_hostile_text_is_shown_literally_and_nothing_but_our_static_files_is_fetched(
    staff_client, fetched_urls, no_network
):
    agreement = AgreementFactory(
        approved=True,
        title=f"Avtal {HOSTILE_IMAGE}",
        description=f"Läs mer: {HOSTILE_LINK}",
        conduct=f"Stil: {HOSTILE_STYLESHEET}",
    )
    text = "\n".join(pdf_pages(download(staff_client, agreement)))
    for markup in (HOSTILE_IMAGE, HOSTILE_LINK, HOSTILE_STYLESHEET):
        assert contains(text, markup)
    assert "root:" not in text
    assert fetched_urls == [PRINT_STYLESHEET_URL]


def test_renderer_skips_every_resource_the_fetcher_refuses(fetched_urls, no_network):
    # Defence in depth: markup that escaped autoescaping still reaches nothing.
    hostile_html = (
        f"<html><head>{HOSTILE_STYLESHEET}</head><body>"
        f'{HOSTILE_IMAGE}<img src="https://example.org/pixel.png"><img src="/etc/passwd">'
        '<p style="background: url(http://169.254.169.254/latest/meta-data/)">text</p>'
        "</body></html>"
    )
    content = HTML(
        string=hostile_html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnlyFetcher()
    ).write_pdf()
    assert content.startswith(b"%PDF-")
    assert "text" in "".join(pdf_pages(content))
    assert set(fetched_urls) >= {
        "http://127.0.0.1:9/x.css",
        "file:///etc/passwd",
        "https://example.org/pixel.png",
        "http://169.254.169.254/latest/meta-data/",
    }
    # A relative path resolves to our pseudo-origin, outside /static/: refused as well.
    assert f"{PDF_BASE_URL}etc/passwd" in fetched_urls


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://10.0.0.1/",
        "http://127.0.0.1:9/x.css",
        "https://example.org/style.css",
        "ftp://example.org/x",
        "/static/css/print.css",
        f"{PDF_BASE_URL}etc/passwd",
        f"{PDF_BASE_URL}media/agreements/signed/secret.pdf",
        f"{PDF_BASE_URL}static/css/no-such-file.css",
        f"{PDF_BASE_URL}static/%2e%2e/%2e%2e/config/settings.py",
        f"{PDF_BASE_URL}static/..%2F..%2Fconfig%2Fsettings.py",
        "https://summary-pdf.invalid.example.org/static/css/print.css",
    ],
)
def test_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(agreement_pdf.ResourceRefused):
        StaticFilesOnlyFetcher().fetch(url)


def test_fetcher_refuses_a_large_data_url():
    payload = base64.b64encode(b"\x89PNG" + b"0" * 150_000).decode()
    with pytest.raises(agreement_pdf.ResourceRefused):
        StaticFilesOnlyFetcher().fetch(f"data:image/png;base64,{payload}")


def test_fetcher_serves_a_small_data_url():
    response = StaticFilesOnlyFetcher().fetch("data:text/plain;base64,aGVqIGTDpA==")
    assert response.read() == "hej dä".encode()
    assert response.content_type == "text/plain"


def test_fetcher_serves_our_print_stylesheet():
    response = StaticFilesOnlyFetcher().fetch(PRINT_STYLESHEET_URL)
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_fetcher_serves_collected_static_files_but_nothing_outside_static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    (settings.STATIC_ROOT / "css").mkdir(parents=True)
    (settings.STATIC_ROOT / "css" / "collected-only.css").write_text("p { color: red }")
    (tmp_path / "secret.txt").write_text("not static")
    fetcher = StaticFilesOnlyFetcher()
    assert fetcher.fetch(f"{PDF_BASE_URL}static/css/collected-only.css").read() == (
        b"p { color: red }"
    )
    with pytest.raises(agreement_pdf.ResourceRefused):
        fetcher.fetch(f"{PDF_BASE_URL}static/%2E%2E/secret.txt")


@pytest.mark.parametrize("years", [1, 6])
def test_summary_query_count_does_not_grow_with_the_years(
    staff_client, django_assert_max_num_queries, years
):
    start = TODAY() - datetime.timedelta(days=365 * years)
    agreement = AgreementFactory(
        approved=True, start_date=start, end_date=start + datetime.timedelta(days=365 * years + 100)
    )
    for _ in range(3):
        GoalFactory(agreement=agreement)
    for period in agreement.evaluation_periods.all():
        EvaluationFactory(period=period, completed=True)
    # The agreement page's reading of the agreement: with its amendments and terms
    # versions, and the approvals with their declarations of interest.
    with django_assert_max_num_queries(17):
        download(staff_client, agreement)


@pytest.mark.parametrize("url", ["/agreements/{pk}/summary.pdf", "/agreements/summaries.zip"])
def test_anonymous_visitor_is_sent_to_log_in(client, db, url):
    agreement = AgreementFactory(approved=True)
    response = client.get(url.format(pk=agreement.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/agreements/{pk}/summary.pdf", "/agreements/summaries.zip"])
def test_user_without_a_role_may_not_download_summaries(client, no_role_user, url):
    agreement = AgreementFactory(approved=True)
    client.force_login(no_role_user)
    response = client.get(url.format(pk=agreement.pk))
    assert response.status_code == 403


def test_summary_of_a_missing_agreement_is_not_found(staff_client):
    assert staff_client.get("/agreements/999999/summary.pdf").status_code == 404


def test_zip_holds_one_summary_per_agreement_the_filters_match(manager_client):
    active = [AgreementFactory(approved=True) for _ in range(2)]
    AgreementFactory(title="Bara ett utkast")
    response = manager_client.get("/agreements/summaries.zip", {"state": "active"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == sorted(f"{a.reference}-summary.pdf" for a in active)
    for agreement in active:
        content = archive.read(f"{agreement.reference}-summary.pdf")
        assert agreement.reference in pdf_pages(content)[0]


def test_zip_is_refused_above_the_cap_with_a_message(staff_client, settings):
    settings.PDF_ZIP_MAX = 2
    for _ in range(3):
        AgreementFactory(approved=True)
    response = staff_client.get("/agreements/summaries.zip", {"state": "active"})
    assert response.status_code == 302
    assert response["Location"] == "/agreements/?state=active"
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == [
        "3 agreements match these filters. At most 2 summaries can be downloaded at once: narrow the filters and try again."
    ]


def test_zip_at_the_cap_is_allowed(staff_client, settings):
    settings.PDF_ZIP_MAX = 2
    for _ in range(2):
        AgreementFactory(approved=True)
    response = staff_client.get("/agreements/summaries.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 2


def test_zip_with_no_matching_agreements_goes_back_to_the_list(staff_client):
    AgreementFactory(title="Ett utkast")
    response = staff_client.get("/agreements/summaries.zip", {"state": "active"}, follow=True)
    assert response.redirect_chain[-1][0] == "/agreements/?state=active"
    assert "nothing to download" in response.content.decode()


def test_swedish_column_headers_break_only_where_swedish_hyphenates(staff_client, staff):
    staff.language = "sv"
    staff.save()
    agreement = AgreementFactory(approved=True, created_by=staff)
    GoalFactory(agreement=agreement, baseline=Decimal("40.00"), target_value=Decimal("1234.50"))
    text = "\n".join(pdf_pages(download(staff_client, agreement)))
    for word in ("Utgångsvärde", "Målvärde"):
        assert contains(text, word)
        for cut in range(1, len(word)):
            # "Målvärd/e": broken across lines without a hyphen.
            assert f"{word[:cut]}\n{word[cut:]}" not in text, word
    # Goal values as Swedish writes them, without needless decimals.
    assert contains(text, "40 1\xa0234,5 barn") or contains(text, "401234,5barn")
    assert "40,00" not in text and "40.00" not in text
