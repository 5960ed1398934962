"""Print the pairs of a force's profiles that are alike, one line a pair: both slugs, the score."""

from django.core.management.base import BaseCommand, CommandError

from profiles import similarity
from profiles.models import Force


class Command(BaseCommand):
    help = "List the pairs of a force's profiles that are alike (near-copies), best first."

    def add_arguments(self, parser):
        parser.add_argument("--force", dest="force_slug", required=True, help="The force's slug.")
        parser.add_argument(
            "--threshold",
            type=float,
            default=similarity.REPORT_THRESHOLD,
            help=f"The lowest score listed, 0 to 1 (default {similarity.REPORT_THRESHOLD}).",
        )

    def handle(self, *args, force_slug, threshold, **options):
        if not 0 <= threshold <= 1:
            raise CommandError("--threshold takes a number from 0 to 1.")
        force = Force.objects.filter(slug=force_slug).first()
        if force is None:
            raise CommandError(f"No force with the slug {force_slug!r}.")
        pairs = similarity.similar_pairs(force.pk, threshold)
        for first, second, score in pairs:
            self.stdout.write(f"{first['slug']}\t{second['slug']}\t{score:.3f}")
        self.stderr.write(f"{len(pairs)} pair{'' if len(pairs) == 1 else 's'}.")
