"""The limits of an import, in one place."""

# A larger register is imported in several files.
MAX_ROWS = 10_000
# An .xlsx file is a ZIP archive; one that unpacks to more than this is refused.
MAX_UNPACKED_SIZE = 100 * 1024 * 1024
# Cells read per spreadsheet row; anything to the right of them is ignored.
MAX_COLUMNS = 100
# Rows to be created shown on the preview page (every row with a problem is shown).
PREVIEW_ROWS_SHOWN = 100
# Uploads waiting for confirmation, in the private media storage (never served).
STAGING_FOLDER = "imports"
STAGING_HOURS = 24


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message tells the user why."""
