from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail: every decision in a date range, read from the event and history
    rows the other apps keep. It stands on top of them; no app imports it."""

    name = "audit"
