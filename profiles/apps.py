from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Role profiles"

    def ready(self):
        # Connects the receivers that print a profile's PDF after it is saved and
        # those that keep each profile's search document current; registers profiles
        # and their children with django-reversion.
        from profiles import history, pdf, search  # noqa: F401
