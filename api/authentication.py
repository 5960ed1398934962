"""`Authorization: Bearer <token>` for the API: the token's hash looked up, revoked ones refused."""

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions, permissions

from api.models import ApiToken, hash_key

# last_used is written at most once a minute per token, not on every request.
LAST_USED_GRANULARITY = timedelta(minutes=1)


class TokenClient:
    """The caller of an API request: a recruitment system, not a person."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False

    def __init__(self, token):
        self.token = token
        self.pk = None

    def __str__(self):
        return f"API token {self.token.prefix}"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as Authorization: Bearer <token>, with no spaces in the token."
            )
        try:
            key = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        token = (
            ApiToken.objects.active().select_related("force").filter(key_hash=hash_key(key)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid or has been revoked.")
        now = timezone.now()
        if token.last_used is None or now - token.last_used >= LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return TokenClient(token), token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with this challenge) rather than 403 when no token is sent.
        return f'{self.keyword} realm="api"'


class HasApiToken(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ApiToken)
