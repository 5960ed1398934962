from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Role profiles"

    def ready(self):
        # Registers profiles and their children with django-reversion, then connects every
        # receiver of the app in the order profiles.signals gives.
        from profiles import history, signals  # noqa: F401

        signals.connect()
