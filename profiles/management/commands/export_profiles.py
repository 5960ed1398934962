"""Write role profiles to files, one per profile: <force-slug>--<profile-slug>.<ext>.

Each format is a writer function in WRITERS taking (profile, path); a new format
(the PDF, the Word file) is one more entry.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profiles.models import Force, RoleProfile, Status
from profiles.printing import pdf, word
from profiles.printing.document import render_document_html


def write_html(profile, path):
    path.write_text(render_document_html(profile), encoding="utf-8")


def write_pdf(profile, path):
    # Through the cache, so the file holds the very bytes a download serves.
    path.write_bytes(pdf.cached_pdf(profile, where="command").content)


def write_docx(profile, path):
    path.write_bytes(word.render(profile))


WRITERS = {"html": write_html, "pdf": write_pdf, "docx": write_docx}


def export_name(profile, extension):
    return f"{profile.force.slug}--{profile.slug}.{extension}"


class Command(BaseCommand):
    help = "Export role profiles as standalone documents, one file per profile."

    def add_arguments(self, parser):
        parser.add_argument("--force", dest="force_slug", help="Only this force's profiles.")
        parser.add_argument(
            "--status", help=f"Only profiles with this status ({', '.join(Status.values)})."
        )
        parser.add_argument("--format", default="html", help="One of: " + ", ".join(WRITERS))
        parser.add_argument("--output", required=True, help="Directory to write the files to.")

    def handle(self, *args, **options):
        extension = options["format"]
        writer = WRITERS.get(extension)
        if writer is None:
            raise CommandError(
                f"Unknown format {extension!r}; choose one of: {', '.join(WRITERS)}."
            )
        profiles = RoleProfile.objects.select_related("force").order_by("force__slug", "slug")
        if options["force_slug"]:
            if not Force.objects.filter(slug=options["force_slug"]).exists():
                raise CommandError(f"No force with the slug {options['force_slug']!r}.")
            profiles = profiles.filter(force__slug=options["force_slug"])
        if options["status"]:
            if options["status"] not in Status.values:
                raise CommandError(
                    f"Unknown status {options['status']!r}; "
                    f"choose one of: {', '.join(Status.values)}."
                )
            profiles = profiles.filter(status=options["status"])
        output = Path(options["output"])
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create the output directory {output}: {error}") from error
        count, too_large = 0, []
        for profile in profiles:
            try:
                writer(profile, output / export_name(profile, extension))
            except pdf.PdfTooLarge as error:
                too_large.append(f"{export_name(profile, extension)}: {error}")
                continue
            count += 1
        if options["verbosity"]:
            self.stdout.write(f"Wrote {count} {extension} file(s) to {output}.")
        if too_large:
            raise CommandError("Not written:\n" + "\n".join(too_large))
