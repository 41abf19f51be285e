"""The partner's side, under /portal/."""

from django.urls import path

from portal.views import account, agreements, home

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("invitation/<str:token>/", account.invitation, name="invitation"),
    path("password/", account.password_change, name="password_change"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<int:pk>/summary.pdf",
        agreements.agreement_summary_pdf,
        name="agreement_summary_pdf",
    ),
]
