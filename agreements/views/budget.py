"""Programme periods (managed by managers) and the budget page."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agreements import budget, permissions, services
from agreements.charts import budget_chart
from agreements.forms import BudgetYearForm, ProgrammePeriodForm
from agreements.models import ProgrammePeriod
from core.forms import show_refusal
from core.permissions import require, rule_required
from core.versioning import EditConflict, keep_input_after_conflict

# The budget page shows this many years before and after the current one.
YEARS_BEFORE = 3
YEARS_AFTER = 5


@rule_required(permissions.can_view_programme_periods)
def programme_period_list(request):
    periods = list(ProgrammePeriod.objects.all())
    today = timezone.localdate()
    return render(
        request,
        "agreements/programme_period_list.html",
        {
            "periods": periods,
            "current": next((p for p in periods if p.start_date <= today <= p.end_date), None),
            "can_manage": permissions.can_manage_programme_periods(request.user),
            "currency": settings.ORGANISATION_CURRENCY,
        },
    )


@require_http_methods(["GET", "POST"])
def programme_period_create(request):
    return _programme_period_form(request, ProgrammePeriod())


@require_http_methods(["GET", "POST"])
def programme_period_edit(request, pk):
    return _programme_period_form(request, get_object_or_404(ProgrammePeriod, pk=pk))


def _programme_period_form(request, period):
    require(permissions.can_manage_programme_periods(request.user))
    created = period.pk is None
    form = ProgrammePeriodForm(request.POST or None, instance=period)
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.programme_period_save(form=form, user=request.user)
            except EditConflict as conflict:
                keep_input_after_conflict(form, conflict)
            except ValidationError as error:  # e.g. an overlap saved a moment ago
                show_refusal(form, error, fields={"name_key": "name"})
            else:
                messages.success(
                    request,
                    (_("Programme period %(name)s created.") if created else _("%(name)s saved."))
                    % {"name": saved.name},
                )
                return redirect("programmes:programme_period_list")
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(
        request,
        "agreements/programme_period_form.html",
        {"form": form, "period": period, "created": created},
    )


@rule_required(permissions.can_view_agreements)
def budget_overview(request):
    """Economic contributions committed per year and programme period, against budget."""
    this_year = timezone.localdate().year
    years = budget.years_overview(this_year - YEARS_BEFORE, this_year + YEARS_AFTER)
    year_form = BudgetYearForm(request.GET if "year" in request.GET else None)
    chosen = year_form.cleaned_data["year"] if year_form.is_valid() else this_year
    if not year_form.is_bound:
        year_form.initial["year"] = this_year
    selected = next((line for line in years if line.label == str(chosen)), None)
    if selected is None:
        selected = budget.years_overview(chosen, chosen)[0]
    return render(
        request,
        "agreements/budget.html",
        {
            "years": years,
            "selected": selected,
            "year_form": year_form,
            "chart": budget_chart(years),
            "periods": budget.programme_period_overview(),
            "currency": settings.ORGANISATION_CURRENCY,
        },
    )
