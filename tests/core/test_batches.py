"""The stored states that bulk writes refresh ask for their rows in batches that fit the
999 variables of the oldest SQLite: seeding ten times the data wrote 400,000
evaluations in one bulk_create, and the refresh's one IN list of their periods failed
with "too many SQL variables"."""

import sqlite3

import pytest
from django.db import connection

from agreements.models import Agreement, refresh_first_open_obligation_due
from evaluations.models import Evaluation, EvaluationPeriod
from evaluations.state import refresh_evaluation_state
from tests.factories import AgreementFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the variable limit is SQLite's"
)


@pytest.fixture
def oldest_sqlite_limit():
    connection.ensure_connection()
    raw = connection.connection
    before = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    yield
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def test_a_bulk_write_of_more_rows_than_variables_refreshes_its_state(db, oldest_sqlite_limit):
    agreement = AgreementFactory(approved=True)
    period = agreement.evaluation_periods.get(number=1)
    # More evaluations than the limit allows in one IN list of their periods.
    periods = EvaluationPeriod.objects.bulk_create(
        EvaluationPeriod(
            agreement=agreement,
            number=100 + n,
            start_date=period.start_date,
            end_date=period.end_date,
        )
        for n in range(1100)
    )
    Evaluation.objects.bulk_create(
        Evaluation(period=p, evaluator=agreement.responsible) for p in periods
    )
    ids = range(1, 2500)  # more agreements than one IN list may hold
    refresh_evaluation_state(agreement_ids=ids)
    refresh_first_open_obligation_due(ids)
    assert Agreement.objects.filter(pk=agreement.pk).exists()
