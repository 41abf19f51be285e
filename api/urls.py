"""/api/v1/: every view answers with JSON and checks its own authentication (a token
or the session): Django REST framework exempts its views from the login page's
redirect. The reference page is a page for people, and sends them to log in."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.http import JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from api.views import agreements, evaluations, partners, reference

app_name = "api"


def _view(view_class):
    return view_class.as_view()


@csrf_exempt
@login_not_required
def not_found(request, rest):
    """Any other address under /api/v1/ (an id that is not a number, a typo): a JSON 404,
    as the API's own answers are, not the HTML page."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


urlpatterns = [
    path("schema/", _view(reference.Schema), name="schema"),
    path("docs/", login_required(reference.Reference.as_view()), name="docs"),
    path("partners/", _view(partners.PartnerList), name="partner_list"),
    path("partners/<int:pk>/", _view(partners.PartnerDetail), name="partner_detail"),
    path("partners/<int:pk>/dialogue/", _view(partners.PartnerDialogue), name="partner_dialogue"),
    path("agreements/", _view(agreements.AgreementList), name="agreement_list"),
    path("agreements/<int:pk>/", _view(agreements.AgreementDetail), name="agreement_detail"),
    path("obligations/", _view(agreements.ObligationList), name="obligation_list"),
    path("obligations/<int:pk>/", _view(agreements.ObligationDetail), name="obligation_detail"),
    path(
        "obligations/<int:pk>/outcome/",
        _view(agreements.ObligationOutcome),
        name="obligation_outcome",
    ),
    path("evaluation-periods/", _view(evaluations.EvaluationPeriodList), name="period_list"),
    path("evaluations/", _view(evaluations.EvaluationList), name="evaluation_list"),
    path("evaluations/<int:pk>/", _view(evaluations.EvaluationDetail), name="evaluation_detail"),
    path("budget/", _view(agreements.Budget), name="budget"),
    path("<path:rest>", not_found),
]
