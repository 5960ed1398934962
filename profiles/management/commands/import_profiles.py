"""Import role profiles from .docx, .pdf, .txt, .md files or a .zip of them as drafts."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profiles.importing.service import import_files
from profiles.models import Force


class Command(BaseCommand):
    help = (
        "Import each document as a draft profile of a force (one transaction per document). "
        "Prints one line per file; exits non-zero if any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", required=True, help="Slug of the force.")
        parser.add_argument(
            "--force-name", help="Create the force with this name if it does not exist."
        )
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, **options):
        slug = options["force"]
        force = Force.objects.filter(slug=slug).first()
        if force is None:
            if not options["force_name"]:
                raise CommandError(f"No force “{slug}”; give --force-name to create it.")
            force = Force.objects.create(slug=slug, name=options["force_name"])
            self.stdout.write(f"Created force {slug} ({force.name}) with the default layout.")
        files = []
        failed = 0
        for name in options["files"]:
            path = Path(name)
            try:
                files.append((path.name, path.read_bytes()))
            except OSError as error:
                self.stdout.write(f"{name}: FAILED – cannot read the file ({error.strerror})")
                failed += 1
        # An administrator imports: a grade the force lacks is created.
        for result in import_files(force, files, create_grades=True):
            self.stdout.write(result.line())
            for warning in result.warnings:
                self.stdout.write(f"  note: {warning}")
            failed += not result.ok
        if failed:
            raise CommandError(f"{failed} file(s) could not be imported.")
