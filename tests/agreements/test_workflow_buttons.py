"""Every button for a workflow action comes from the workflow table, so a page never
offers what the service would refuse."""

import datetime

from django.utils import timezone

from agreements.workflow import available_transitions
from tests.conftest import log_in
from tests.factories import AgreementFactory, EvaluationFactory

TODAY = timezone.localdate


def expired_agreement():
    return AgreementFactory(
        approved=True,
        start_date=TODAY() - datetime.timedelta(days=800),
        end_date=TODAY() - datetime.timedelta(days=10),
    )


def test_an_expired_agreement_offers_no_termination(client, manager):
    agreement = expired_agreement()
    assert "terminate" not in [t.action for t in available_transitions(manager, agreement)]
    log_in(client, manager)
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert f"/agreements/{agreement.pk}/terminate/" not in page


def test_the_evaluation_page_offers_termination_only_where_the_workflow_allows(
    client, manager, staff
):
    running = AgreementFactory(
        approved=True,
        start_date=TODAY() - datetime.timedelta(days=400),
        end_date=TODAY() + datetime.timedelta(days=300),
    )

    def evaluated(agreement):
        return EvaluationFactory(
            period=agreement.evaluation_periods.first(),
            completed=True,
            recommendation="terminate_now",
        )

    on_running, on_expired = evaluated(running), evaluated(expired_agreement())
    for evaluation, user, offered in [
        (on_running, manager, True),
        (on_running, staff, False),
        (on_expired, manager, False),
    ]:
        agreement = evaluation.period.agreement
        log_in(client, user)
        page = client.get(f"/evaluations/{evaluation.pk}/").content.decode()
        assert (f"/agreements/{agreement.pk}/terminate/" in page) is offered, (agreement, user)
