from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import mark_signed_in

        user_logged_in.connect(mark_signed_in, dispatch_uid="accounts.mark_signed_in")
