"""Webhook endpoints and their delivery logs, for managers."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.pagination import paginate
from core.permissions import require, rule_required
from webhooks import permissions, services
from webhooks.forms import WebhookEndpointForm
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint


@rule_required(permissions.can_manage_webhooks)
def endpoint_list(request):
    endpoints = list(WebhookEndpoint.objects.all())
    failing = set(
        WebhookDelivery.objects.filter(
            status__in=[DeliveryStatus.FAILED, DeliveryStatus.GAVE_UP]
        ).values_list("endpoint_id", flat=True)
    )
    for endpoint in endpoints:
        endpoint.has_failures = endpoint.pk in failing
    return render(request, "webhooks/endpoint_list.html", {"endpoints": endpoints})


@require_http_methods(["GET", "POST"])
def endpoint_create(request):
    return _endpoint_form(request, WebhookEndpoint())


@require_http_methods(["GET", "POST"])
def endpoint_edit(request, pk):
    return _endpoint_form(request, get_object_or_404(WebhookEndpoint, pk=pk))


def _endpoint_form(request, endpoint):
    require(permissions.can_manage_webhooks(request.user))
    created = endpoint.pk is None
    form = WebhookEndpointForm(request.POST or None, instance=endpoint)
    if request.method == "POST":
        if form.is_valid():
            saved = services.endpoint_save(form=form, user=request.user)
            messages.success(
                request,
                (_("Webhook endpoint %(name)s registered.") if created else _("%(name)s saved."))
                % {"name": saved.name},
            )
            return redirect(saved)
        messages.error(request, _("Nothing was saved. Please correct the errors below."))
    return render(
        request,
        "webhooks/endpoint_form.html",
        {"form": form, "endpoint": endpoint, "created": created},
    )


@rule_required(permissions.can_manage_webhooks)
def endpoint_detail(request, pk):
    """The endpoint and its delivery log, newest first."""
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    page = paginate(request, endpoint.deliveries.select_related("event"))
    return render(request, "webhooks/endpoint_detail.html", {"endpoint": endpoint, "page": page})


@require_POST
def delivery_resend(request, pk):
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("endpoint"), pk=pk)
    require(permissions.can_manage_webhooks(request.user))
    try:
        services.delivery_resend(delivery=delivery, user=request.user)
    except services.DeliveryRefused as refused:
        messages.info(request, str(refused))
    else:
        messages.success(request, _("The delivery is sent again."))
    return redirect(delivery.endpoint)
