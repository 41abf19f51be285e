from django.urls import path

from agreements.views import budget as views_budget

app_name = "programmes"

urlpatterns = [
    path("", views_budget.programme_period_list, name="programme_period_list"),
    path("new/", views_budget.programme_period_create, name="programme_period_create"),
    path("<int:pk>/edit/", views_budget.programme_period_edit, name="programme_period_edit"),
]
