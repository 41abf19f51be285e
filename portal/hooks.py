"""How the portal shows itself on the pages of the apps below it and joins the daily
reminders, without those apps importing it (see core/sections.py and
reminders.services.planning.register_planner)."""

from core import sections
from portal import page_sections
from portal import reminders as report_reminders
from reminders import services as reminder_services


def register():
    sections.register("partnerships.partner_detail", page_sections.partner_portal)
    sections.register(
        "partnerships.partner_due_diligence", page_sections.partner_declaration_confirmed
    )
    sections.register("agreements.agreement_detail", page_sections.agreement_partner_reports)
    sections.register(
        "agreements.agreement_obligations", page_sections.agreement_obligation_proposals
    )
    sections.register("evaluations.period", page_sections.evaluation_partner_report)
    reminder_services.register_planner(report_reminders.planned_report_reminders)
    for kind in (
        report_reminders.DUE_SOON,
        report_reminders.OVERDUE,
        report_reminders.SENT_BACK,
        report_reminders.ACCEPTED,
    ):
        reminder_services.register_content(kind, report_reminders.report_content)
