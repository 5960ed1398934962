from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API for recruitment systems"

    def ready(self):
        # The OpenAPI description of the Bearer token (drf-spectacular finds extensions by import).
        from api import schema  # noqa: F401
