"""Template files to fill in: CSV and xlsx with one example row."""

import codecs
import csv
import io

import openpyxl
from django.utils.translation import gettext as _

from partnerships.importing.columns import COLUMNS, column_guide

# Template files -------------------------------------------------------------------------


def template_csv() -> bytes:
    """UTF-8 with the BOM Excel needs to show å, ä and ö; one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.key for column in COLUMNS])
    writer.writerow([column.example for column in COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


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
