from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.incident_list, name="incident_list"),
    path("partner/<int:partner_pk>/new/", views.incident_create, name="incident_create"),
    path("<int:pk>/", views.incident_detail, name="incident_detail"),
    path("<int:pk>/edit/", views.incident_edit, name="incident_edit"),
    path("<int:pk>/<str:action>/", views.incident_action, name="incident_action"),
]
