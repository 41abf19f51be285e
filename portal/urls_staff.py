"""The staff pages around the partner portal, under /partner-portal/."""

from django.urls import path

from portal.views import (
    staff_declarations,
    staff_obligations,
    staff_reports,
    staff_reviews,
    staff_users,
)

app_name = "portal_staff"

urlpatterns = [
    path(
        "partners/<int:pk>/contacts/<int:contact_pk>/invite/",
        staff_users.invite,
        name="invite",
    ),
    path("users/<int:pk>/resend/", staff_users.resend, name="resend"),
    path("users/<int:pk>/revoke/", staff_users.revoke, name="revoke"),
    path(
        "declarations/<int:pk>.pdf",
        staff_declarations.declaration_pdf,
        name="declaration_pdf",
    ),
    path("reports/", staff_reports.report_list, name="report_list"),
    path("reports/<int:pk>/", staff_reports.report_detail, name="report_detail"),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/",
        staff_reports.report_attachment,
        name="report_attachment",
    ),
    path("obligation-reports/<int:pk>/", staff_obligations.proposal_detail, name="proposal_detail"),
    path(
        "obligation-reports/<int:pk>/evidence/",
        staff_obligations.proposal_evidence,
        name="proposal_evidence",
    ),
    path("reviews/", staff_reviews.review_overview, name="review_overview"),
    path("reviews/partners/<int:pk>/", staff_reviews.partner_reviews, name="partner_reviews"),
]
