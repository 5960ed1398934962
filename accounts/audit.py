"""One audit entry per sign-in, failed sign-in, role change from groups and sign-out."""

from accounts.models import SignInEvent


def address_of(request):
    # The same address as the login throttling (django-axes) uses: REMOTE_ADDR.
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record(request, action, *, user=None, username="", method="", detail=""):
    return SignInEvent.objects.create(
        action=action,
        user=user,
        username=username or (user.get_username() if user is not None else ""),
        method=method,
        address=address_of(request),
        detail=detail,
    )
