"""Partners from a CSV or Excel file: read the file, preview every row, keep the upload
until the user confirms.

Every row is checked by the partner form itself (PartnerImportForm is PartnerForm with
the register read once for the whole file instead of once a row), so an import applies
exactly the rules of the "Register partner" page. Nothing here writes to the register:
services.partners_import does, after the user has seen the preview.

By concern: limits, columns (what a file may hold and which column is which), reading
(the file into a table), checking (the preview), staging (the upload waiting for the
confirmation) and templates (files to fill in).
"""

from partnerships.importing import limits
from partnerships.importing.checking import ImportPreview, ImportRow, Problem, preview_import
from partnerships.importing.columns import (
    COLUMNS,
    COLUMNS_BY_KEY,
    Column,
    column_guide,
    match_columns,
)
from partnerships.importing.limits import MAX_ROWS, STAGING_FOLDER, ImportFileError
from partnerships.importing.reading import Formula, Table, read_table
from partnerships.importing.staging import discard_staged, stage_table, staged_table
from partnerships.importing.templates import template_csv, template_xlsx

__all__ = [
    "COLUMNS",
    "COLUMNS_BY_KEY",
    "MAX_ROWS",
    "limits",
    "STAGING_FOLDER",
    "Column",
    "Formula",
    "ImportFileError",
    "ImportPreview",
    "ImportRow",
    "Problem",
    "Table",
    "column_guide",
    "discard_staged",
    "match_columns",
    "preview_import",
    "read_table",
    "stage_table",
    "staged_table",
    "template_csv",
    "template_xlsx",
]
