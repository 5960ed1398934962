"""Import documents as draft profiles of a force: each document in its own transaction.

`import_files` is what the command calls; browser uploads run `import_one` per document
in a background batch (profiles.importing.batches).
A file that cannot be read or breaks a rule is reported with the reason and creates
nothing; the other files still load.
"""

import html
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import transaction

from profiles.importing import limited
from profiles.importing.parser import parse
from profiles.importing.readers import UnreadableDocument, display_name, read_document, unpack
from profiles.importing.save import save_imported, vocabulary_for
from profiles.limits import MAX_DECLARED_FORMS
from profiles.models import ImportedDocument
from profiles.services import addresses, editing

logger = logging.getLogger(__name__)

# [^<>]: a run of "<" without ">" costs one pass, not one per "<" (issue 26).
TAG = re.compile(r"<[^<>]*+>")
WORD = re.compile(r"[^\W_]+")


def words(text):
    """Words as tests/fidelity.py counts them: letters and digits, case-folded, no markup."""
    return Counter(w.casefold() for w in WORD.findall(html.unescape(TAG.sub(" ", text))))


@dataclass
class FileResult:
    name: str
    profile: object = None
    counts: dict = field(default_factory=dict)
    unplaced_words: int = 0
    unplaced: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self):
        return self.profile is not None

    def line(self):
        if not self.ok:
            return f"{self.name}: FAILED – {self.error}"
        counts = ", ".join(f"{n} {what}" for what, n in self.counts.items())
        return (
            f"{self.name}: {self.profile.force.slug}/{self.profile.slug} (draft) – {counts}; "
            f"{self.unplaced_words} words unplaced"
        )


def read_and_parse(name, data, vocabulary):
    """(Document, ParsedProfile) of a file; run in a child process with a budget."""
    document = read_document(name, data)
    return document, parse(document, vocabulary)


def import_one(force, name, data, *, user=None, create_grades=False, vocabulary=None):
    result = FileResult(display_name(name))
    vocabulary = vocabulary or vocabulary_for(force)
    try:
        document, parsed = limited.run(read_and_parse, name, data, vocabulary)
        rows = sum(parsed.counts().values()) + len(parsed.notes)
        if rows > MAX_DECLARED_FORMS:
            # a profile the editor could not open, and minutes of saving: refused at once
            raise UnreadableDocument(
                f"it makes {rows:,} rows (items, criteria, details, notes), more than the "
                f"{MAX_DECLARED_FORMS} a profile's editor holds; split the document"
            )
        stem = PurePosixPath(name).stem.replace("_", " ").replace("-", " ").strip()
        with transaction.atomic():
            saved = save_imported(
                force, parsed, user=user, create_grades=create_grades, fallback_title=stem
            )
            unplaced = sum(words(parsed.notes_text()).values())
            ImportedDocument.objects.create(
                profile=saved.profile,
                file_name=result.name[:255],
                source_text=document.text,
                unplaced_words=unplaced,
                warnings=saved.warnings,
                imported_by=user if user is not None and user.is_authenticated else None,
            )
    except UnreadableDocument as error:
        result.error = str(error)
        return result
    except ValidationError as error:
        result.error = " ".join(error.messages)
        return result
    except Exception:
        # A document no one foresaw must not stop the batch: it is named, the rest load.
        logger.exception("Importing %s failed.", name)
        result.error = "the document could not be read as a role profile (an error in the importer)"
        return result
    result.profile = saved.profile
    result.counts = parsed.counts()
    result.unplaced = parsed.notes
    result.unplaced_words = unplaced
    result.warnings = saved.warnings
    return result


def correct_title(profile, title, *, user, seen_revision):
    """Correct an imported profile's title from its review page; a profile never published
    takes the slug of its new title (its old address redirects)."""
    with editing.guarded_save(profile, seen_revision, user, "Title corrected on review."):
        profile.title = title
        profile.save(update_fields=["title", "updated_at"])
        addresses.follow_title(profile)
    return profile


def import_files(force, files, *, user=None, create_grades=False):
    """[FileResult] for [(name, bytes)], zips unpacked, one transaction per document."""
    results, vocabulary = [], vocabulary_for(force)
    for name, data in files:
        try:
            # a whole zip is read before any of it loads: a damaged one creates nothing
            documents = list(unpack(name, data))
        except UnreadableDocument as error:
            results.append(FileResult(display_name(name), error=str(error)))
            continue
        for member, member_data in documents:
            results.append(
                import_one(
                    force,
                    member,
                    member_data,
                    user=user,
                    create_grades=create_grades,
                    vocabulary=vocabulary,
                )
            )
    return results
