from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The pages that bring the apps together: the dashboard and the user's profile.
    It stands on top of every other app; no app imports it."""

    name = "dashboard"
