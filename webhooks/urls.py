from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="endpoint_list"),
    path("new/", views.endpoint_create, name="endpoint_create"),
    path("<int:pk>/", views.endpoint_detail, name="endpoint_detail"),
    path("<int:pk>/edit/", views.endpoint_edit, name="endpoint_edit"),
    path("deliveries/<uuid:pk>/send-again/", views.delivery_resend, name="delivery_resend"),
]
