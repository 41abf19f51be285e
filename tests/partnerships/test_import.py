"""Importing partners from a CSV or Excel file: upload, preview, confirm."""

import csv
import io
import os
import time

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from partnerships import importing, services
from partnerships.models import FocusArea, Partner, PartnerContact
from tests.factories import PartnerFactory, UserFactory

URL = "/partners/import/"
HEADER = [
    "name",
    "organisation_number",
    "kind",
    "country",
    "email",
    "contact_name",
    "contact_email",
]


def csv_upload(rows, header=HEADER, *, encoding="utf-8", delimiter=",", name="partners.csv"):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding))


def xlsx_upload(rows, header=HEADER, *, name="partners.xlsx", prepare=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if prepare:
        prepare(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def preview(client, upload):
    """Upload a file and open its preview: (preview page response, preview URL)."""
    response = client.post(URL, {"file": upload})
    assert response.status_code == 302, response.content.decode()
    page = client.get(response.url)
    assert page.status_code == 200
    return page, response.url


def confirm(client, page, url):
    return client.post(url, {"fingerprint": page.context["preview"].fingerprint}, follow=True)


def upload_error(client, upload) -> str:
    response = client.post(URL, {"file": upload})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    return errors[0]


def staged_files(settings):
    folder = settings.MEDIA_ROOT / importing.STAGING_FOLDER
    return sorted(os.listdir(folder)) if folder.exists() else []


def good_rows():
    return [
        ["Föreningen Läslust Malmö", "802456-1234", "association", "SE", "info@laslust.example",
         "Sara Nyström", "sara@laslust.example"],
        ["Kulturhuset Ängby", "", "foundation", "NO", "", "", ""],
    ]  # fmt: skip


# A good file ------------------------------------------------------------------------------


def test_staff_imports_a_csv_file_after_the_preview(staff_client, staff, settings):
    page, url = preview(staff_client, csv_upload(good_rows()))
    html = page.content.decode()
    assert "2 to be created" in html
    assert "Föreningen Läslust Malmö" in html and "Kulturhuset Ängby" in html
    assert "Import 2 partners" in html
    assert "Importing 2 partners takes up to a minute" in html

    response = confirm(staff_client, page, url)
    assert response.redirect_chain[-1][0] == "/partners/"
    assert "2 partners imported from partners.csv." in response.content.decode()
    laslust = Partner.objects.get(organisation_number="802456-1234")
    assert laslust.name == "Föreningen Läslust Malmö"
    assert laslust.kind == "association" and laslust.email == "info@laslust.example"
    assert laslust.responsible == staff and laslust.created_by == staff
    assert laslust.name_key == "föreningen läslust malmö"
    contact = laslust.contacts.get()
    assert (contact.name, contact.email) == ("Sara Nyström", "sara@laslust.example")
    angby = Partner.objects.get(name="Kulturhuset Ängby")
    assert str(angby.country) == "NO" and not angby.contacts.exists()
    # The upload is gone once imported.
    assert staged_files(settings) == []


def test_history_records_the_importing_user(staff_client, staff):
    page, url = preview(staff_client, csv_upload(good_rows()))
    confirm(staff_client, page, url)
    created = Partner.history.filter(history_type="+")
    assert created.count() == 2
    assert {record.history_user for record in created} == {staff}
    assert PartnerContact.history.get().history_user == staff
    assert created.first().history_change_reason == "Import: partners.csv"
    detail = staff_client.get(f"/partners/{Partner.objects.get(name='Kulturhuset Ängby').pk}/")
    assert "Created" in detail.content.decode()


def test_manager_imports_an_excel_file_with_numbers_labels_and_names(manager_client, manager):
    header = ["Name", "Kind of organisation", "Country", "Postal code", "Focus areas", "Phone"]
    rows = [
        ["Stiftelsen Läsa", "Foundation", "Norway", 21120, "education; Culture", 46701234567],
        ["Idrottsklubben", "association", "swe", None, "", None],
    ]
    page, url = preview(manager_client, xlsx_upload(rows, header))
    assert "2 to be created" in page.content.decode()
    confirm(manager_client, page, url)
    stiftelsen = Partner.objects.get(name="Stiftelsen Läsa")
    assert stiftelsen.kind == "foundation"
    assert str(stiftelsen.country) == "NO"
    assert stiftelsen.postal_code == "21120" and stiftelsen.phone == "46701234567"
    assert {area.code for area in stiftelsen.focus_areas.all()} == {"education", "culture"}
    assert stiftelsen.responsible == manager
    assert str(Partner.objects.get(name="Idrottsklubben").country) == "SE"


def test_a_semicolon_separated_file_with_bom_as_swedish_excel_saves_it(staff_client):
    upload = csv_upload(good_rows(), delimiter=";", encoding="utf-8-sig")
    page, url = preview(staff_client, upload)
    assert "2 to be created" in page.content.decode()
    assert page.context["preview"].encoding == "utf-8"


def test_excels_sep_line_and_leading_blank_lines_are_understood(staff_client):
    text = "sep=;\nname;kind\nFöreningen Åby;company\n"
    page, _url = preview(staff_client, SimpleUploadedFile("a.csv", text.encode()))
    assert [row.number for row in page.context["preview"].new_rows] == [2]
    text = "\n\nname;kind\nFöreningen Åby;company\n"
    page, _url = preview(staff_client, SimpleUploadedFile("b.csv", text.encode()))
    assert [row.text["name"] for row in page.context["preview"].new_rows] == ["Föreningen Åby"]


def test_responsible_is_found_by_user_name_or_email(staff_client, other_staff):
    header = ["name", "kind", "responsible"]
    rows = [["A", "company", "OTHER_STAFF"], ["B", "company", "other_staff@example.org"]]
    page, url = preview(staff_client, csv_upload(rows, header))
    confirm(staff_client, page, url)
    assert {partner.responsible for partner in Partner.objects.all()} == {other_staff}


def test_unknown_columns_are_named_and_ignored(staff_client):
    page, _url = preview(
        staff_client, csv_upload([["A", "company", "x"]], ["name", "kind", "Notes"])
    )
    assert "These columns are not imported: Notes" in page.content.decode()


# Duplicates ------------------------------------------------------------------------------


def test_duplicates_of_the_register_and_of_earlier_rows_are_shown_and_skipped(staff_client):
    existing = PartnerFactory(name="Föreningen Läslust", organisation_number="802456-1234")
    header = ["name", "organisation_number", "kind"]
    rows = [
        ["  föreningen   LÄSLUST ", "", "association"],  # row 2: the register's name
        ["Another name", "802456-1234", "association"],  # row 3: the register's number
        ["Nya föreningen", "556000-0001", "association"],  # row 4: new
        ["NYA FÖRENINGEN", "", "association"],  # row 5: the name of row 4
        ["Third name", "556000-0001", "association"],  # row 6: the number of row 4
    ]
    page, url = preview(staff_client, csv_upload(rows, header))
    result = page.context["preview"]
    assert [row.number for row in result.duplicate_rows] == [2, 3, 5, 6]
    assert [row.number for row in result.new_rows] == [4]
    html = page.content.decode()
    link = f'<a href="/partners/{existing.pk}/">Föreningen Läslust</a>'
    assert f"{link} already has this name" in html
    assert f"{link} already has this organisation number" in html
    assert "Row 4 of this file has the same name." in html
    assert "Row 4 of this file has the same organisation number." in html

    confirm(staff_client, page, url)
    assert sorted(Partner.objects.values_list("name", flat=True)) == [
        "Föreningen Läslust",
        "Nya föreningen",
    ]


def test_an_archived_partner_counts_as_a_duplicate(staff_client):
    PartnerFactory(name="Old partner", archived=True)
    page, _url = preview(staff_client, csv_upload([["old partner", "company"]], ["name", "kind"]))
    assert len(page.context["preview"].duplicate_rows) == 1


# Broken rows -------------------------------------------------------------------------------


def test_rows_with_errors_name_the_column_and_the_problem(staff_client):
    header = ["name", "kind", "country", "email", "focus_areas", "responsible", "Contact email"]
    rows = [
        ["Good", "company", "SE", "", "", "", ""],
        ["", "company", "SE", "", "", "", ""],
        ["Bad kind", "NGOX", "SE", "", "", "", ""],
        ["Bad country", "company", "Atlantis", "", "", "", ""],
        ["Bad email", "company", "SE", "not-an-email", "", "", ""],
        ["Bad area", "company", "SE", "", "education; knitting", "", ""],
        ["Bad person", "company", "SE", "", "", "nobody", ""],
        ["Contact without name", "company", "SE", "", "", "", "a@b.example"],
        ["x" * 201, "company", "SE", "", "", "", ""],
    ]
    page, url = preview(staff_client, csv_upload(rows, header))
    result = page.context["preview"]
    assert [row.number for row in result.new_rows] == [2]
    problems = {
        row.number: [(problem.column, str(problem.message)) for problem in row.problems]
        for row in result.error_rows
    }
    assert problems == {
        3: [("name", "Give the partner's name.")],
        4: [("kind", "“NGOX” is not a kind of organisation. Use one of: civil_society, "
                     "public_body, company, association, foundation, other.")],
        5: [("country", "“Atlantis” is not a country. Use a two-letter code such as SE.")],
        6: [("email", "Enter a valid email address.")],
        7: [("focus_areas", "“knitting” is not a focus area. Use one of: "
                            + ", ".join(FocusArea.objects.values_list("code", flat=True)) + ".")],
        8: [("responsible", "No active staff member or manager has the user name or email "
                            "“nobody”.")],
        9: [("Contact name", "Give the contact person's name.")],
        10: [("name", "Ensure this value has at most 200 characters (it has 201).")],
    }  # fmt: skip
    html = page.content.decode()
    assert "8 rows with errors: not imported" in html
    assert "“NGOX” is not a kind of organisation" in html

    confirm(staff_client, page, url)
    assert list(Partner.objects.values_list("name", flat=True)) == ["Good"]


def test_a_fifty_row_file_with_three_bad_rows_imports_the_other_forty_seven(staff_client):
    rows = [[f"Partner {n}", f"556000-{n:04d}", "company", "SE", f"p{n}@example.org", "", ""]
            for n in range(50)]  # fmt: skip
    rows[9][4] = "no email"  # spreadsheet row 11
    rows[19][2] = ""  # row 21: no kind
    rows[29][3] = "Narnia"  # row 31
    page, url = preview(staff_client, csv_upload(rows))
    result = page.context["preview"]
    assert len(result.new_rows) == 47
    assert [(row.number, row.problems[0].column) for row in result.error_rows] == [
        (11, "email"),
        (21, "kind"),
        (31, "country"),
    ]
    html = page.content.decode()
    assert "47 to be created" in html and "3 rows with errors" in html
    assert "Choose the kind of organisation." in html
    assert not Partner.objects.exists()

    response = confirm(staff_client, page, url)
    assert "47 partners imported from partners.csv." in response.content.decode()
    assert Partner.objects.count() == 47
    assert not Partner.objects.filter(name__in=["Partner 9", "Partner 19", "Partner 29"]).exists()


def test_a_file_of_nothing_but_errors_offers_no_import(staff_client):
    page, url = preview(staff_client, csv_upload([["", "company"]], ["name", "kind"]))
    html = page.content.decode()
    assert "Nothing in this file can be imported" in html
    assert 'name="fingerprint"' not in html
    response = staff_client.post(url, {"fingerprint": page.context["preview"].fingerprint})
    assert "Nothing in this file can be imported." in response.content.decode()
    assert not Partner.objects.exists()


# Broken files -------------------------------------------------------------------------------


def test_a_windows_1252_file_is_read_and_the_user_warned(staff_client):
    upload = csv_upload(good_rows(), encoding="cp1252")
    page, url = preview(staff_client, upload)
    html = page.content.decode()
    assert "Föreningen Läslust Malmö" in html
    assert "read as Windows-1252" in html
    confirm(staff_client, page, url)
    assert Partner.objects.filter(name="Föreningen Läslust Malmö").exists()


def test_a_file_in_no_known_encoding_is_refused(staff_client, settings):
    upload = SimpleUploadedFile("partners.csv", b"name,kind\nFoo \x81\x8d\x90,company\n")
    assert "neither UTF-8 nor Windows-1252" in upload_error(staff_client, upload)
    assert staged_files(settings) == []


def test_a_utf16_file_from_excel_unicode_text_is_read(staff_client):
    text = "name\tkind\nFöreningen Åby\tcompany\n"
    upload = SimpleUploadedFile("partners.txt", text.encode("utf-16"))
    page, _url = preview(staff_client, upload)
    assert [row.text["name"] for row in page.context["preview"].new_rows] == ["Föreningen Åby"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["name", "country"], "The required column “kind” is missing."),
        (["Org number", "email"], "The required columns “name”, “kind” are missing."),
    ],
)
def test_missing_required_columns_are_named(staff_client, header, message):
    error = upload_error(staff_client, csv_upload([["x", "y"]], header))
    assert error.startswith(message)


def test_a_column_given_twice_is_refused(staff_client):
    upload = csv_upload([["a", "b", "company"]], ["name", "Name", "kind"])
    assert upload_error(staff_client, upload) == (
        "Two columns are “name”: “name” and “Name”. Keep one."
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\n \n", "The file is empty."),
        (b"name,kind\n", "The file has a header row but no partners below it."),
        (b"%PDF-1.4\n\x00\x01binary", "This is not a CSV file or an Excel workbook (.xlsx)."),
        (b"GIF89a\x01\x00\x02\x03\x04", "This is not a CSV file or an Excel workbook (.xlsx)."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "This is an old Excel file (.xls)"),
        (b"PK\x03\x04 not really a zip", "The Excel file cannot be read; it may be damaged."),
    ],
)
def test_a_broken_file_gets_a_clear_error(staff_client, settings, content, message):
    error = upload_error(staff_client, SimpleUploadedFile("partners.xlsx", content))
    assert error.startswith(message)
    assert staged_files(settings) == []
    assert not Partner.objects.exists()


def test_an_empty_upload_is_refused(staff_client):
    error = upload_error(staff_client, SimpleUploadedFile("partners.csv", b""))
    assert error == "The submitted file is empty."


def test_a_word_document_named_xlsx_is_not_a_workbook(staff_client):
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    error = upload_error(staff_client, SimpleUploadedFile("partners.xlsx", buffer.getvalue()))
    assert error == "This is not a CSV file or an Excel workbook (.xlsx). Upload one of those."


def test_a_file_over_the_size_limit_is_refused(staff_client, settings):
    settings.PARTNER_IMPORT_MAX_SIZE = 100
    upload = csv_upload([[f"Partner {n}", "company"] for n in range(20)], ["name", "kind"])
    error = upload_error(staff_client, upload)
    assert error.startswith("The file is ") and "the largest allowed is 100" in error


def test_a_file_over_the_row_limit_is_refused(staff_client, monkeypatch):
    monkeypatch.setattr(importing.limits, "MAX_ROWS", 5)
    upload = csv_upload([[f"Partner {n}", "company"] for n in range(6)], ["name", "kind"])
    assert upload_error(staff_client, upload).startswith("The file has more than 5 rows.")


def test_no_file_chosen(staff_client):
    response = staff_client.post(URL, {})
    assert response.context["form"].errors["file"] == ["Choose the file to import."]


# Formula-like cells ----------------------------------------------------------------------


def test_formula_like_text_is_stored_literally_and_flagged(staff_client):
    header = ["name", "kind", "phone", "description"]
    rows = [
        ['=HYPERLINK("http://evil.example","Click")', "company", "+46 70 123 45 67", "@risk"],
        ["Plain", "company", "-", "-2+3+cmd|' /C calc'!A0"],
    ]
    page, url = preview(staff_client, csv_upload(rows, header))
    result = page.context["preview"]
    assert len(result.new_rows) == 2
    warnings = {row.number: [w.column for w in row.warnings] for row in result.new_rows}
    # A phone number starting with + or a lone dash is not a formula.
    assert warnings == {2: ["name", "description"], 3: ["description"]}
    assert "Formula-like" in page.content.decode()
    confirm(staff_client, page, url)
    assert Partner.objects.filter(name='=HYPERLINK("http://evil.example","Click")').exists()
    assert Partner.objects.get(name="Plain").description == "-2+3+cmd|' /C calc'!A0"


def test_an_excel_formula_is_never_run_nor_its_result_used(staff_client):
    def prepare(sheet):
        sheet["A2"] = '=CONCATENATE("Evil", " AB")'
        text_cell = sheet["A3"]
        text_cell.value = "=1+1"
        text_cell.data_type = "s"  # typed as text ('=1+1), not a formula

    rows = [["placeholder", "company"], ["placeholder", "company"]]
    page, url = preview(staff_client, xlsx_upload(rows, ["name", "kind"], prepare=prepare))
    result = page.context["preview"]
    [formula_row] = result.error_rows
    assert formula_row.number == 2
    assert [problem.column for problem in formula_row.problems] == ["name"]
    assert 'holds a formula (=CONCATENATE("Evil", " AB")), which is not run' in str(
        formula_row.problems[0].message
    )
    [text_row] = result.new_rows
    assert text_row.warnings[0].column == "name"
    confirm(staff_client, page, url)
    assert list(Partner.objects.values_list("name", flat=True)) == ["=1+1"]


# Nothing before confirming; all or nothing when confirming ---------------------------------


def test_nothing_is_written_before_the_user_confirms(staff_client, settings):
    page, url = preview(staff_client, csv_upload(good_rows()))
    staff_client.get(url)  # looking again changes nothing either
    assert not Partner.objects.exists()
    assert not PartnerContact.objects.exists()
    assert not Partner.history.exists()
    # The upload waits privately under a random name, not under its own name.
    [staged] = staged_files(settings)
    assert staged.endswith(".json") and "partners" not in staged
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_a_failure_while_writing_leaves_nothing_behind(staff_client, settings, monkeypatch):
    page, url = preview(staff_client, csv_upload(good_rows()))

    def fail(*args, **kwargs):
        raise IntegrityError("simulated failure after the partners were inserted")

    monkeypatch.setattr(PartnerContact._default_manager, "bulk_create", fail)
    response = confirm(staff_client, page, url)
    assert "Nothing was imported" in response.content.decode()
    assert not Partner.objects.exists()
    assert not Partner.history.exists()
    assert not Partner.focus_areas.through.objects.exists()
    # The upload is kept: once the cause is gone, the same preview imports.
    assert len(staged_files(settings)) == 1
    monkeypatch.undo()
    response = confirm(staff_client, response, url)
    assert "2 partners imported" in response.content.decode()


def test_a_partner_saved_at_the_same_moment_stops_the_whole_import(staff_client, monkeypatch):
    page, url = preview(staff_client, csv_upload(good_rows()))
    real_import = services.partners_import

    def someone_else_saves_first(**kwargs):
        PartnerFactory(name="Kulturhuset Ängby")  # between the check and the write
        return real_import(**kwargs)

    monkeypatch.setattr(services, "partners_import", someone_else_saves_first)
    response = confirm(staff_client, page, url)
    html = response.content.decode()
    assert "Nothing was imported: a partner with one of these names" in html
    assert list(Partner.objects.values_list("name", flat=True)) == ["Kulturhuset Ängby"]
    # The page shows the file checked again: the row is now a duplicate.
    assert [row.number for row in response.context["preview"].duplicate_rows] == [3]


def test_confirming_checks_the_file_again_against_the_register(staff_client):
    page, url = preview(staff_client, csv_upload(good_rows()))
    PartnerFactory(name="KULTURHUSET ÄNGBY")  # registered after the preview was shown
    response = confirm(staff_client, page, url)
    assert "The register changed since the preview was shown" in response.content.decode()
    assert Partner.objects.count() == 1
    again = confirm(staff_client, response, url)
    assert "1 partner imported from partners.csv." in again.content.decode()
    assert Partner.objects.filter(name="Föreningen Läslust Malmö").exists()


def test_confirming_twice_imports_once(staff_client):
    page, url = preview(staff_client, csv_upload(good_rows()))
    confirm(staff_client, page, url)
    response = confirm(staff_client, page, url)
    assert "That upload is no longer available" in response.content.decode()
    assert Partner.objects.count() == 2


# Who may import, and whose upload ----------------------------------------------------------


def test_users_without_a_role_cannot_import(client, no_role_user, staff_client):
    _page, url = preview(staff_client, csv_upload(good_rows()))
    client.force_login(no_role_user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": csv_upload(good_rows())}).status_code == 403
    assert client.post(url, {"fingerprint": "x"}).status_code == 403
    assert client.get("/partners/import/template.csv").status_code == 403
    assert not Partner.objects.exists()


def test_an_upload_belongs_to_the_session_that_made_it(staff_client, manager, client):
    page, url = preview(staff_client, csv_upload(good_rows()))
    client.force_login(manager)
    response = client.post(url, {"fingerprint": page.context["preview"].fingerprint}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "That upload is no longer available" in response.content.decode()
    assert not Partner.objects.exists()


def test_a_new_upload_replaces_the_previous_one(staff_client, settings):
    _page, first_url = preview(staff_client, csv_upload(good_rows()))
    preview(staff_client, csv_upload(good_rows(), name="second.csv"))
    assert len(staged_files(settings)) == 1
    assert staff_client.get(first_url).status_code == 302


def test_uploads_left_for_a_day_are_removed(staff_client, settings):
    folder = settings.MEDIA_ROOT / importing.STAGING_FOLDER
    folder.mkdir(parents=True)
    stale = folder / ("0" * 32 + ".json")
    stale.write_bytes(b"name,kind\n")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))
    preview(staff_client, csv_upload(good_rows()))
    assert not stale.exists()
    assert len(staged_files(settings)) == 1


def test_the_partner_list_links_to_the_import(staff_client, client, no_role_user):
    assert 'href="/partners/import/"' in staff_client.get("/partners/").content.decode()


# Templates --------------------------------------------------------------------------------


def test_the_csv_template_imports_its_example_row(staff_client):
    response = staff_client.get("/partners/import/template.csv")
    assert response["Content-Disposition"] == 'attachment; filename="partner-import.csv"'
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # so Excel shows å, ä and ö
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == [column.key for column in importing.COLUMNS]
    assert len(lines) == 2
    page, url = preview(staff_client, SimpleUploadedFile("template.csv", content))
    assert len(page.context["preview"].new_rows) == 1
    confirm(staff_client, page, url)
    partner = Partner.objects.get()
    assert partner.name == "Föreningen Läslust Malmö" and partner.contacts.count() == 1


def test_the_excel_template_imports_its_example_row(staff_client):
    response = staff_client.get("/partners/import/template.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == [column.key for column in importing.COLUMNS]
    assert sheet.max_row == 2
    assert workbook.worksheets[1]["A1"].value == "Column"  # the guide to the columns
    page, _url = preview(staff_client, SimpleUploadedFile("t.xlsx", response.content))
    assert len(page.context["preview"].new_rows) == 1


def test_an_unknown_template_format_is_not_found(staff_client):
    assert staff_client.get("/partners/import/template.pdf").status_code == 404


def test_the_upload_page_describes_every_column(staff_client):
    html = staff_client.get(URL).content.decode()
    for column in importing.COLUMNS:
        assert f"<code>{column.key}</code>" in html


# The form's rule in one place -------------------------------------------------------------


def test_the_import_form_and_the_partner_form_share_the_uniqueness_rule(staff_client, staff):
    """A rule added to PartnerForm.clean applies to imports without further code."""
    existing = PartnerFactory(name="Same", organisation_number="1")
    other = UserFactory(username="inactive", staff=True, is_active=False)
    rows = [["same", "company", ""], ["New", "company", other.username]]
    page, _url = preview(staff_client, csv_upload(rows, ["name", "kind", "responsible"]))
    result = page.context["preview"]
    assert result.duplicate_rows[0].problems[0].message == (
        f'The partner <a href="/partners/{existing.pk}/">Same</a> already has this name.'
    )
    # An inactive staff member is no choice on the partner form, nor in a file.
    assert result.error_rows[0].problems[0].column == "responsible"


def test_the_preview_costs_the_same_queries_for_two_rows_or_two_hundred(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count):
        rows = [[f"Partner {n}", f"556{count}-{n:04d}", "company", "SE", "", "Kim", ""]
                for n in range(count)]  # fmt: skip
        _page, url = preview(staff_client, csv_upload(rows))
        with CaptureQueriesContext(connection) as captured:
            staff_client.get(url)
        return len(captured)

    assert queries(2) == queries(200)


def test_the_import_service_writes_partners_contacts_and_history(staff, other_staff):
    table = importing.Table(
        header=["name", "kind", "focus_areas", "contact_name", "responsible"],
        rows=[(2, ["Ett", "company", "culture", "Kim", "other_staff"]), (3, ["Två", "other"])],
        file_format="csv",
    )
    result = importing.preview_import(table, user=staff)
    rows = [(row.partner_form, row.contact_form) for row in result.new_rows]
    partners = services.partners_import(rows=rows, user=staff, source="file.csv")
    assert [partner.name for partner in partners] == ["Ett", "Två"]
    ett = Partner.objects.get(name="Ett")
    assert ett.responsible == other_staff and ett.created_by == staff
    assert [area.code for area in ett.focus_areas.all()] == ["culture"]
    assert ett.contacts.get().name == "Kim"
    assert Partner.history.filter(history_user=staff, history_type="+").count() == 2
