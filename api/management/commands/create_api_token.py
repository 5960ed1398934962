"""Issue an API token for a force (or a national one) and print its key, once."""

from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken
from profiles.models import Force


class Command(BaseCommand):
    help = "Issue an API token; its key is printed once and stored only as a hash."

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--force", metavar="SLUG", help="The force whose profiles it reads.")
        scope.add_argument(
            "--national",
            action="store_true",
            help="A national token: reads the national publishers' profiles only.",
        )
        parser.add_argument("name", help="The integration, e.g. 'Oleeo (live)'.")

    def handle(self, *args, force=None, national=False, name="", **options):
        name = name.strip()
        if not name:
            raise CommandError("Give the token a name.")
        found = None
        if force is not None:
            found = Force.objects.filter(slug=force).first()
            if found is None:
                raise CommandError(f"No force with the slug {force!r}.")
        token, key = ApiToken.issue(name, found)
        self.stdout.write(key)
        self.stderr.write(
            f"Issued API token {token.name!r} ({token.scope}, {token.prefix}…). The line above "
            "is its key: keep it now, it cannot be shown again."
        )
