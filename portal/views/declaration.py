"""The partner's declaration: shared values, code of conduct, documented routines."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.forms import DeclarationForm
from portal.models import declaration_due
from portal.services import declarations as services
from portal.views.access import portal_view


@require_http_methods(["GET", "POST"])
@portal_view
def declaration(request, scope):
    latest = scope.declarations().select_related("confirmed_by").first()
    initial = {"confirmed_name": request.user.get_full_name()}
    form = DeclarationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            services.declaration_confirm(
                partner_user=scope.partner_user,
                confirmed_name=data["confirmed_name"],
                shares_values=data["shares_values"],
                accepts_code_of_conduct=data["accepts_code_of_conduct"],
                routines_documented=data["routines_documented"],
                routines_document=data["routines_document"],
            )
            messages.success(
                request, _("Thank you. Your declaration is recorded; a PDF of it is kept below.")
            )
            return redirect("portal:declaration")
        messages.error(
            request, _("The declaration is not recorded. Please correct the errors below.")
        )
    return render(
        request,
        "portal/declaration.html",
        {
            "form": form,
            "latest": latest,
            "earlier": list(scope.declarations()[1:10]),
            "is_due": declaration_due(scope.partner, timezone.localdate()),
            "today": timezone.localdate(),
        },
    )


@require_safe
@portal_view
def declaration_pdf(request, scope, pk):
    declaration = scope.declaration(pk)
    return FileResponse(
        declaration.pdf.open("rb"),
        as_attachment=True,
        filename=f"declaration-{declaration.confirmed_on.isoformat()}.pdf",
        content_type="application/pdf",
    )
