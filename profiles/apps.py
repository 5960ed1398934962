from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Role profiles"

    def ready(self):
        # Registers profiles and their children with django-reversion, then connects every
        # receiver of the app in the order profiles.signals gives.
        from profiles import draft, signals
        from profiles.models import RoleProfile
        from profiles.services import history  # noqa: F401

        signals.connect()
        # The models sit below profiles.draft, which is built from them; the model's rules
        # (RoleProfile.clean) reach the draft through this function instead of an import.
        RoleProfile.make_draft = staticmethod(draft.draft_of)
