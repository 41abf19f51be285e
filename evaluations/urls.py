from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.evaluation_list, name="evaluation_list"),
    path("recorded/", views.evaluation_records, name="evaluation_records"),
    path("recorded/export.csv", views.evaluation_export, name="evaluation_export"),
    path(
        "agreement/<int:agreement_pk>/year/<int:number>/",
        views.evaluation_create,
        name="evaluation_create",
    ),
    path("<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
    path("<int:pk>/reopen/", views.evaluation_reopen, name="evaluation_reopen"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.evaluation_attachment,
        name="evaluation_attachment",
    ),
]
