"""Schemathesis generates requests from the API's own schema, as the running app serves
it at /api/v1/schema/, and checks every answer: no server error, and status, headers and
body as the schema says. A bounded number of examples an operation keeps it quick."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import token_for
from tests.factories import (
    AgreementFactory,
    DialogueEntryFactory,
    EvaluationFactory,
    PartnerContactFactory,
    PartnerFactory,
)

EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def wsgi_requests_keep_the_test_database():
    """The requests go through the WSGI handler, which would close the test's database
    connection after each one; Django's test client keeps it open the same way."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def records(db):
    """Something of each kind to read, so generated ids find a record now and then."""
    partner = PartnerFactory(due_diligence_done=True)
    PartnerContactFactory(partner=partner)
    DialogueEntryFactory(partner=partner)
    agreement = AgreementFactory(approved=True, partner=partner)
    EvaluationFactory(period=agreement.evaluation_periods.get(number=1), completed=True)
    AgreementFactory(pending=True, partner=partner)


def test_every_answer_is_what_the_schema_says(
    records, manager, settings, wsgi_requests_keep_the_test_database
):
    from config.wsgi import application

    settings.API_THROTTLE_RATE = "100000/minute"
    headers = {"Authorization": f"Bearer {token_for(manager)}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", application, headers=headers
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 14  # every operation but the schema itself

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_the_schema_says(case):
            # A request the schema allows may still break a rule (an id that names no
            # partner, an end before the start): a documented 400, not a failure.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        answers_as_the_schema_says()
