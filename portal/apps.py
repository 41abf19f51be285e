from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Partner portal")

    def ready(self):
        # The portal shows itself on pages of the apps below it, and plans its reminders,
        # through their hooks: none of them imports the portal.
        from portal import hooks, middleware  # noqa: F401 (middleware connects the login signal)

        hooks.register()
