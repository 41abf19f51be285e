from django.urls import path

from agreements.views import agreements as views
from agreements.views import amendments as views_amendments
from agreements.views import pdf as views_pdf

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("export.csv", views.agreement_export, name="agreement_export"),
    path("summaries.zip", views_pdf.agreement_summaries_zip, name="agreement_summaries_zip"),
    path("summaries/<uuid:pk>/", views_pdf.summary_export, name="summary_export"),
    path(
        "summaries/<uuid:pk>/download/",
        views_pdf.summary_export_download,
        name="summary_export_download",
    ),
    path("new/", views.agreement_create, name="agreement_create"),
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/renew/", views.agreement_renew, name="agreement_renew"),
    path("<int:pk>/summary.pdf", views_pdf.agreement_summary_pdf, name="agreement_summary_pdf"),
    path("<int:pk>/signed.pdf", views.agreement_signed_document, name="agreement_signed_document"),
    path(
        "<int:pk>/obligations/<int:obligation_pk>/",
        views.obligation_outcome,
        name="obligation_outcome",
    ),
    path(
        "<int:pk>/obligations/<int:obligation_pk>/evidence/",
        views.obligation_evidence,
        name="obligation_evidence",
    ),
    path("<int:pk>/amendments/new/", views_amendments.amendment_create, name="amendment_create"),
    path(
        "<int:pk>/amendments/<int:number>/",
        views_amendments.amendment_detail,
        name="amendment_detail",
    ),
    path(
        "<int:pk>/amendments/<int:number>/edit/",
        views_amendments.amendment_edit,
        name="amendment_edit",
    ),
    path(
        "<int:pk>/amendments/<int:number>/<str:action>/",
        views_amendments.amendment_action,
        name="amendment_action",
    ),
    path(
        "<int:pk>/<str:action>/",
        views.agreement_action,
        name="agreement_action",
    ),
]
