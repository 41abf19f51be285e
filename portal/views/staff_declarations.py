from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from core.permissions import rule_required
from portal import permissions
from portal.models import PartnerDeclaration


@require_safe
@rule_required(permissions.can_view_declarations)
def declaration_pdf(request, pk):
    """A partner's declaration as it was confirmed in the portal."""
    declaration = get_object_or_404(PartnerDeclaration, pk=pk)
    if not declaration.pdf:
        raise Http404
    return FileResponse(
        declaration.pdf.open("rb"),
        as_attachment=True,
        filename=f"declaration-{declaration.partner_id}-{declaration.confirmed_on.isoformat()}.pdf",
        content_type="application/pdf",
    )
