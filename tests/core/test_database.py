import os

from django.db import connection

from tests.conftest import service_required


def test_suite_runs_on_the_database_ci_asked_for(db):
    """CI runs the suite twice; this proves the PostgreSQL run really used PostgreSQL."""
    expected = os.environ.get("EXPECT_DATABASE_VENDOR")
    if not expected:
        service_required("EXPECT_DATABASE_VENDOR is not set, so no database is expected")
    assert connection.vendor == expected
