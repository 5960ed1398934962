"""Setting up a new force in one step: the force, its grades and its first two accounts."""

from django.contrib.auth import get_user_model
from django.db import transaction

from profiles.models import Force, Grade, Membership, Role


@transaction.atomic
def set_up_force(force_fields, grade_codes, accounts):
    """Create a force with `force_fields`, its grades in the order given, and one user per
    (username, email, password, role, full name) in `accounts`, each a member of the force.

    The full name is what an approval is signed with (services.lifecycle.approver_name)."""
    force = Force(**force_fields)
    force.full_clean()
    force.save()
    Grade.objects.bulk_create(
        Grade(force=force, code=code, order=order) for order, code in enumerate(grade_codes, 1)
    )
    users = get_user_model()._default_manager
    for username, email, password, role, full_name in accounts:
        first_name, _space, last_name = full_name.strip().rpartition(" ")
        if not first_name:
            first_name, last_name = last_name, ""
        user = users.create_user(
            username=username,
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
        )
        Membership.objects.create(user=user, force=force, role=Role(role))
    return force
