"""Requests per token, at the rate settings.API_THROTTLE_RATE ("600/hour")."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def get_rate(self):
        # Read at each request (not once at import, as DRF's setting is), so a test or a
        # changed setting takes effect.
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        token = request.auth
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
