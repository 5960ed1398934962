"""map_identity_group --force SLUG --role ROLE GROUP_ID: members of the group get the role."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import IdentityGroup
from profiles.models import Force, Role


class Command(BaseCommand):
    help = (
        "Give the members of an identity-provider group a role in a force, from their next "
        "sign-in (--remove takes it away)."
    )

    def add_arguments(self, parser):
        parser.add_argument("group_id", metavar="GROUP_ID", help="the group's id in the token")
        parser.add_argument("--force", required=True, metavar="SLUG")
        parser.add_argument("--role", choices=Role.values)
        parser.add_argument("--label", default="", help="a name to recognise the group by")
        parser.add_argument("--remove", action="store_true", help="unmap the group")

    def handle(self, group_id, force, role, label, remove, **options):
        try:
            force_row = Force.objects.get(slug=force)
        except Force.DoesNotExist:
            known = ", ".join(Force.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No force {force!r}; forces: {known}.") from None
        group_id = group_id.strip()
        if not group_id:
            raise CommandError("GROUP_ID is empty.")
        if remove:
            deleted, _ = IdentityGroup.objects.filter(force=force_row, group_id=group_id).delete()
            if not deleted:
                raise CommandError(f"Group {group_id} is not mapped in {force_row.name}.")
            self.stdout.write(f"Group {group_id} no longer gives a role in {force_row.name}.")
            return
        if role is None:
            raise CommandError("--role is required (or --remove).")
        defaults = {"role": role, **({"label": label} if label else {})}
        IdentityGroup.objects.update_or_create(
            force=force_row, group_id=group_id, defaults=defaults
        )
        self.stdout.write(f"Group {group_id} → {Role(role).label}, {force_row.name}.")
