"""How the portal shows itself on the pages of the apps below it and joins the daily
reminders, without those apps importing it (see core/sections.py and
reminders.services.planning.register_planner)."""

from core import sections
from portal import page_sections


def register():
    sections.register("partnerships.partner_detail", page_sections.partner_portal)
