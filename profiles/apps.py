from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Role profiles"

    def ready(self):
        # Registers profiles and their children with django-reversion.
        from profiles import history  # noqa: F401
