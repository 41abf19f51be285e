"""Request bodies that the pages' forms accept, to change one thing at a time."""

import datetime

from django.utils import timezone

TODAY = timezone.localdate


def agreement_body(partner, **overrides):
    start = TODAY() + datetime.timedelta(days=10)
    body = {
        "partner": partner.pk,
        "title": "Läslust 2027–2028",
        "agreement_type": "long_term",
        "start_date": start.isoformat(),
        "end_date": (start + datetime.timedelta(days=729)).isoformat(),
        "economic_amount": "120000.00",
        "payment_terms": "Halva beloppet vid start, resten efter årsrapport.",
        "marketing_contributions": "Vår logotyp i programbladet.",
        "conduct": "Parterna följer uppförandekoden.",
        "exchange": "Vi får synlighet; föreningen får finansiering.",
        "goals": [
            {
                "description": "Fler barn läser",
                "kind": "quantitative",
                "indicator": "Deltagare i bokcirklar",
                "baseline": 40,
                "target_value": "120",
                "unit": "barn",
            }
        ],
        "obligations": [
            {"side": "ours", "category": "economic", "description": "Betala bidraget."},
            {"side": "partner", "category": "reporting", "description": "Rapportera årligen."},
        ],
    }
    body.update(overrides)
    return body


def dialogue_body(owner, **overrides):
    body = {
        "date": (TODAY() - datetime.timedelta(days=2)).isoformat(),
        "kind": "meeting",
        "topics": "Årsplanen och rapporteringen.",
        "learned": "Kvällsträffar når fler föräldrar.",
        "follow_ups": [
            {
                "description": "Skicka mall för årsrapporten.",
                "owner": owner.pk,
                "due_date": (TODAY() + datetime.timedelta(days=7)).isoformat(),
            }
        ],
    }
    body.update(overrides)
    return body


def outcome_body(**overrides):
    body = {
        "fulfilment": "fulfilled",
        "fulfilled_on": TODAY().isoformat(),
        "fulfilment_note": "Rapporten kom in i tid.",
    }
    body.update(overrides)
    return body
