from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("partners/", include("partnerships.urls")),
    path("agreements/", include("agreements.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("programme-periods/", include("agreements.urls_programmes")),
    path("budget/", include("agreements.urls_budget")),
    path("calendar/", include("calendars.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("api/v1/", include("api.urls")),
    path("portal/", include("portal.urls")),
    path("partner-portal/", include("portal.urls_staff")),
    path("", include("dashboard.urls")),
]
