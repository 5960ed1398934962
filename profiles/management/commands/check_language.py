"""Print the wording findings of a force's profiles, one line each: slug, field, word, why."""

from django.core.management.base import BaseCommand, CommandError

from profiles.models import Force
from profiles.wording import force_findings


class Command(BaseCommand):
    help = (
        "Check the wording of a force's profiles (gender-coded and excluding words, readability, "
        "unexplained acronyms, essential criteria that read as desirable). Advice only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", dest="force_slug", required=True, help="The force's slug.")

    def handle(self, *args, force_slug, **options):
        force = Force.objects.filter(slug=force_slug).first()
        if force is None:
            raise CommandError(f"No force with the slug {force_slug!r}.")
        count = 0
        for profile, found in force_findings(force):
            for finding in found:
                self.stdout.write(f"{profile.slug}\t{finding.field}\t{finding.word}\t{finding.why}")
                count += 1
        self.stderr.write(f"{count} finding{'' if count == 1 else 's'}.")
