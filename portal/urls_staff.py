"""The staff pages around the partner portal, under /partner-portal/."""

from django.urls import path

from portal.views import staff_users

app_name = "portal_staff"

urlpatterns = [
    path(
        "partners/<int:pk>/contacts/<int:contact_pk>/invite/",
        staff_users.invite,
        name="invite",
    ),
    path("users/<int:pk>/resend/", staff_users.resend, name="resend"),
    path("users/<int:pk>/revoke/", staff_users.revoke, name="revoke"),
]
