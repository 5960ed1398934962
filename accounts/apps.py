from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Sign-in"

    def ready(self):
        from accounts import (
            language,  # noqa: F401  (activates a user's language at sign-in)
            signals,  # noqa: F401  (connects the audit of sign-ins)
        )
