"""Partners with their contacts, and the dialogue log of each partner."""

from django.http import QueryDict
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response

from api import forms as api_forms
from api.serializers import DialogueEntrySerializer, PartnerSerializer
from api.views import LIST_ERRORS, NOT_FOUND, WRITE_ERRORS, ApiView
from core.permissions import require
from partnerships import permissions, selectors, services
from partnerships.filters import PartnerFilter
from partnerships.forms import DialogueEntryForm, DialogueFollowUpForm, DialogueFollowUpFormSet
from partnerships.models import DialogueEntry, Partner

# Filters that would tell a partner's due diligence or risk: for managers only.
DUE_DILIGENCE_FILTERS = ("risk_level", "due_diligence")


class _PartnerView(ApiView):
    rules = {"GET": permissions.can_view_partners}
    serializer_class = PartnerSerializer

    def get_queryset(self):
        return selectors.partner_list_queryset().prefetch_related("contacts")

    def get_serializer_context(self):
        decision = permissions.can_view_due_diligence(self.request.user)
        return {**super().get_serializer_context(), "show_due_diligence": bool(decision)}


@extend_schema(tags=["partners"], responses={200: PartnerSerializer(many=True), **LIST_ERRORS})
class PartnerList(_PartnerView, ListAPIView):
    """The partner register, with the filters of the partner list page."""

    filterset_class = PartnerFilter

    def filter_queryset(self, queryset):
        decision = permissions.can_view_due_diligence(self.request.user)
        asked = [name for name in DUE_DILIGENCE_FILTERS if self.request.query_params.get(name)]
        if asked and not decision:
            raise exceptions.ValidationError({name: [decision.reason] for name in asked})
        return super().filter_queryset(queryset)


@extend_schema(tags=["partners"], responses={200: PartnerSerializer, **NOT_FOUND})
class PartnerDetail(_PartnerView, RetrieveAPIView):
    pass


DialogueEntryRequest = api_forms.request_serializer(
    "DialogueEntryNew",
    DialogueEntryForm,
    exclude=("edit_version",),
    optional=("date", "our_participants"),
    extra={
        "follow_ups": api_forms.request_serializer("FollowUpNew", DialogueFollowUpForm)(
            many=True, required=False
        )
    },
)


class PartnerDialogue(ApiView, ListAPIView):
    """The partner's dialogue log, newest first; POST logs a conversation, as the page
    "Log a conversation" does (missing `date` and `our_participants` start as there:
    today and you)."""

    rules = {"GET": permissions.can_view_dialogue}
    serializer_class = DialogueEntrySerializer
    filter_backends = []

    def get_queryset(self):
        partner = get_object_or_404(Partner, pk=self.kwargs["pk"])
        return selectors.partner_dialogue(partner)

    @extend_schema(
        tags=["partners"], responses={200: DialogueEntrySerializer(many=True), **NOT_FOUND}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["partners"],
        request=DialogueEntryRequest,
        responses={201: DialogueEntrySerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        partner = get_object_or_404(Partner, pk=pk)
        require(permissions.can_log_dialogue(request.user, partner))
        payload = self.body()
        entry = DialogueEntry(partner=partner)
        shown = DialogueEntryForm(instance=entry, initial={"our_participants": [request.user.pk]})
        data = QueryDict(mutable=True)
        try:
            errors = api_forms.fill(data, shown, payload)
            rows = api_forms.formset_data(
                data,
                DialogueFollowUpFormSet(instance=entry, prefix="follow_ups", entry_form=shown),
                payload.get("follow_ups"),
            )
        except api_forms.BodyRefused as refused:
            raise exceptions.ValidationError(refused.errors) from None
        if errors or rows:
            raise exceptions.ValidationError({**errors, **({"follow_ups": rows} if rows else {})})
        form = DialogueEntryForm(data, instance=entry)
        follow_ups = DialogueFollowUpFormSet(
            data, instance=entry, prefix="follow_ups", entry_form=form
        )
        form_valid = form.is_valid()  # both, so every error shows at once
        if not (form_valid and follow_ups.is_valid()):
            errors = api_forms.errors_of(form)
            if row_errors := api_forms.formset_errors(follow_ups):
                errors["follow_ups"] = row_errors
            raise exceptions.ValidationError(errors)
        entry = services.dialogue_entry_save(
            form=form, follow_up_formset=follow_ups, user=request.user
        )
        saved = selectors.dialogue_entries().get(pk=entry.pk)
        return Response(
            DialogueEntrySerializer(saved, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
