"""Users from identity-provider sign-ins: found by issuer + subject or made on first
sign-in, and their force membership set from their groups at every sign-in."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.models import ROLE_RANK, Identity, IdentityGroup, SignInAction
from profiles.models import Membership, Role


def has_no_access(user):
    """Signed in, but no role anywhere: the no-access page is all they see."""
    return not user.is_staff and getattr(user, "membership", None) is None


def role_from_groups(groups):
    """The (force, role) the groups give, or None: the strongest role, then the force by name."""
    mapped = IdentityGroup.objects.filter(group_id__in=groups).select_related("force")
    ranked = sorted(mapped, key=lambda mapping: (-ROLE_RANK[mapping.role], mapping.force.name))
    return (ranked[0].force, ranked[0].role) if ranked else None


def describe(membership):
    if membership is None:
        return "no role"
    return f"{Role(membership.role).label}, {membership.force.name}"


# Tries of a sign-in that lost a race to make its user (see sign_in_user).
ATTEMPTS = 3


def sign_in_user(request, provider, subject, groups, claims):
    """The user with this subject at this provider, made if new, with the role of their groups.

    Two first sign-ins of one subject at once (two tabs, a double click on the provider's
    page) both look, find no one, and make a user: the second insert waits for the first
    transaction and then breaks a unique constraint (the identity's, or the user name's).
    That one is rolled back whole and tried again, and then finds the user the first made
    (its identity row locked until the first commits). A user name taken by someone else
    meanwhile is settled the same way.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _sign_in(request, provider, subject, groups, claims)
        except IntegrityError:
            if attempt == ATTEMPTS:
                raise


def find_identity(issuer, subject):
    """The identity with this subject, locked until the transaction ends, or None."""
    return (
        Identity.objects.select_related("user")
        .select_for_update()
        .filter(issuer=issuer, subject=subject)
        .first()
    )


def _sign_in(request, provider, subject, groups, claims):
    identity = find_identity(provider.issuer, subject)
    if identity is None:
        user = _new_user(claims, subject)
        identity = Identity.objects.create(user=user, issuer=provider.issuer, subject=subject)
    user = identity.user
    _update_details(user, claims)
    identity.last_sign_in = timezone.now()
    identity.save(update_fields=["last_sign_in"])
    set_role_from_groups(request, user, groups, provider)
    return user


def _new_user(claims, subject):
    users = get_user_model()
    wanted = (claims.get("preferred_username") or claims.get("email") or subject)[:140]
    username, number = wanted, 1
    while users.objects.filter(username=username).exists():
        number += 1
        username = f"{wanted}-{number}"
    user = users(username=username)
    user.set_unusable_password()
    user.save()
    return user


def _update_details(user, claims):
    email = claims.get("email") if isinstance(claims.get("email"), str) else ""
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    first, _, last = name.partition(" ")
    changed = {"email": email[:254], "first_name": first[:150], "last_name": last[:150]}
    if any(getattr(user, field) != value for field, value in changed.items()):
        for field, value in changed.items():
            setattr(user, field, value)
        user.save(update_fields=list(changed))


def set_role_from_groups(request, user, groups, provider):
    """Set the user's membership from their groups; audit a change."""
    before = Membership.objects.select_related("force").filter(user=user).first()
    wanted = role_from_groups(groups)
    if wanted is None:
        after = None
        if before is not None:
            before.delete()
    else:
        force, role = wanted
        after, _ = Membership.objects.update_or_create(
            user=user, defaults={"force": force, "role": role}
        )
    if describe(before) != describe(after):
        audit.record(
            request,
            SignInAction.ROLE_CHANGE,
            user=user,
            method=provider.name,
            detail=f"{describe(before)} → {describe(after)} (groups: {', '.join(groups) or 'none'})",
        )
    # The user object signing in carries the membership it now has.
    user.membership = after
