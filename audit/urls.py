from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_trail, name="audit_trail"),
    path("audit-trail.csv", views.audit_export, name="audit_export"),
    path("audit-trail.pdf", views.audit_report_pdf, name="audit_report_pdf"),
]
