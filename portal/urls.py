"""The partner's side, under /portal/."""

from django.urls import path

from portal.views import account, agreements, declaration, home, obligations, reports, reviews

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("invitation/<str:token>/", account.invitation, name="invitation"),
    path("password/", account.password_change, name="password_change"),
    path("declaration/", declaration.declaration, name="declaration"),
    path(
        "declaration/<int:pk>.pdf",
        declaration.declaration_pdf,
        name="declaration_pdf",
    ),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<int:pk>/summary.pdf",
        agreements.agreement_summary_pdf,
        name="agreement_summary_pdf",
    ),
    path("agreements/<int:agreement_pk>/years/<int:number>/report/", reports.report, name="report"),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/",
        reports.report_attachment,
        name="report_attachment",
    ),
    path(
        "agreements/<int:agreement_pk>/obligations/<int:pk>/",
        obligations.obligation_propose,
        name="obligation_propose",
    ),
    path(
        "obligation-reports/<int:pk>/evidence/",
        obligations.proposal_evidence,
        name="proposal_evidence",
    ),
    path("agreements/<int:pk>/review/", reviews.review, name="review"),
]
