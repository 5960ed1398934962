from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Role profiles"

    def ready(self):
        # Connects the receivers that print a profile's PDF after it is saved.
        from profiles import pdf  # noqa: F401

        # Connects the receivers that keep each profile's search document current.
        from profiles import search  # noqa: F401
