"""The partner's declaration: confirmed in the portal by name and date, kept as a PDF,
and recorded in the partner's due diligence."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from partnerships import services as partner_services
from portal.models import PartnerDeclaration
from portal.pdf import render_declaration_pdf


@transaction.atomic
def declaration_confirm(
    *,
    partner_user,
    confirmed_name: str,
    shares_values: bool,
    accepts_code_of_conduct: bool,
    routines_documented: bool,
    routines_document,
) -> PartnerDeclaration:
    """Record the declaration of the partner user's organisation, today, with the PDF.

    The database refuses a declaration that leaves a part unconfirmed (the form says so
    first, next to the box)."""
    now = timezone.now()
    declaration = PartnerDeclaration(
        partner=partner_user.partner,
        confirmed_by=partner_user.user,
        confirmed_name=" ".join(confirmed_name.split()),
        confirmed_on=timezone.localdate(now),
        confirmed_at=now,
        shares_values=shares_values,
        accepts_code_of_conduct=accepts_code_of_conduct,
        routines_documented=routines_documented,
        routines_document=routines_document,
    )
    declaration.full_clean()
    declaration._history_user = partner_user.user
    declaration.save()
    declaration.pdf.save(
        f"declaration-{declaration.confirmed_on.isoformat()}.pdf",
        ContentFile(render_declaration_pdf(declaration)),
        save=False,
    )
    declaration.save(update_fields=["pdf"])
    partner_services.partner_record_declaration(
        partner=partner_user.partner,
        confirmed_by=partner_user.user,
        confirmed_on=declaration.confirmed_on,
        routines_document=declaration.routines_document,
    )
    return declaration
