"""English as written in Sweden and Britain: numeric dates in ISO form (2026-09-22, the
same as in Swedish and never ambiguous), long dates day first (22 September 2026), a
24-hour clock, weeks from Monday. Django's own English formats are American
(09/22/2026, month first, 4:05 p.m.)."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1

# What a typed date may look like (a browser without a date picker sends the text as
# typed). The first is the one fields render; a slash date is day first, never month first.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-09-22
    "%d/%m/%Y",  # 22/09/2026
    "%d %B %Y",  # 22 September 2026
    "%d %b %Y",  # 22 Sep 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
