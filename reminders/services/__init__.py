"""The reminder services, by concern: planning (what is due on a day), claiming (each
reminder exactly once), running (the daily and weekly jobs), sending (one email) and
content (what each kind says). The names callers use are gathered here."""

from reminders.services.claiming import claim, claim_many
from reminders.services.content import register_content
from reminders.services.planning import (
    PlannedReminder,
    ending_reminder_dates,
    managers,
    planned_reminders,
    register_planner,
)
from reminders.services.running import (
    deliveries_to_retry,
    run_daily_reminders,
    run_manager_digests,
)
from reminders.services.sending import DeliveryFailed, build_message, deliver

__all__ = [
    "DeliveryFailed",
    "PlannedReminder",
    "build_message",
    "claim",
    "claim_many",
    "deliver",
    "deliveries_to_retry",
    "ending_reminder_dates",
    "managers",
    "planned_reminders",
    "register_content",
    "register_planner",
    "run_daily_reminders",
    "run_manager_digests",
]
