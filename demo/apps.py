from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo users and data for `make run` (refused with DEBUG off). It stands on every
    app, and no app imports it."""

    name = "demo"
