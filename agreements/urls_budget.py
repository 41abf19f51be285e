from django.urls import path

from agreements.views import budget

urlpatterns = [
    path("", budget.budget_overview, name="budget"),
]
