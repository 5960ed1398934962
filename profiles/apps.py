from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Role profiles"

    def ready(self):
        # Connects the receivers that keep each profile's search document current and
        # those that print a profile's PDF after it is saved; registers profiles and
        # their children with django-reversion. Search first: receivers run, and queue
        # their after-commit work, in the order they were connected, so a save's search
        # document is written before the background thread starts reading to print it.
        from profiles import history, search  # noqa: F401, I001
        from profiles import pdf, tasks  # noqa: F401
