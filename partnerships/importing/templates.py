"""Template files to fill in: CSV and xlsx with one example row."""

import io

import openpyxl
from django.utils.translation import gettext as _

from core.csv_export import csv_bytes
from partnerships.importing.columns import COLUMNS, column_guide

# Template files -------------------------------------------------------------------------


def template_csv() -> bytes:
    """One example row, written for the spreadsheet of the user's language (see
    core.csv_export); the importer reads `;` and `,` alike."""
    return csv_bytes([column.key for column in COLUMNS], [[column.example for column in COLUMNS]])


def template_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Partners")[:31]
    sheet.append([column.key for column in COLUMNS])
    sheet.append([column.example for column in COLUMNS])
    bold = openpyxl.styles.Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    for cell in sheet[2]:
        cell.number_format = "@"  # text, so 802456-1234 or 211 20 stay as typed
    for index, column in enumerate(COLUMNS, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = max(
            14, len(column.key) + 2, len(column.example) + 2
        )
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(_("Columns")[:31])
    guide.append([_("Column"), _("Required"), _("Accepts")])
    for cell in guide[1]:
        cell.font = bold
    for column, accepts in column_guide():
        guide.append([column.key, _("yes") if column.required else "", accepts])
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
