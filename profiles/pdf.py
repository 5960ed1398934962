"""Role profiles as tagged PDFs in their force's house layout: the one module that uses WeasyPrint.

A PDF is stored under the SHA-256 of the HTML it is printed from; that HTML holds
everything that shapes the PDF (profile and children, force, standard sections,
framework texts, the inlined layout CSS). Downloads find the current PDF through a
cheap signature of change counters (see "The cache" below) instead of rendering.
"""

import base64
import gc
import hashlib
import json
import logging
import mimetypes
import os
import queue
import re
import shutil
import threading
import uuid
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import close_old_connections, transaction
from django.template.loader import render_to_string
from django.templatetags.static import static
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from competencies.models import (
    Cluster,
    Competency,
    CompetencyLevel,
    Framework,
    Indicator,
    Skill,
    SkillLevel,
    Value,
)
from profiles.document import document_context
from profiles.models import (
    AssessmentMethod,
    Behaviour,
    Criterion,
    Force,
    Grade,
    Layout,
    NosUnit,
    PostDetail,
    RoleProfile,
    Section,
    SectionKind,
    SkillRequirement,
    StandardSection,
    Status,
)
from vetting.models import VettingLevel

logger = logging.getLogger(__name__)

# Raise when a change to the layouts or to this module changes PDFs without changing their HTML.
LAYOUT_VERSION = "1"

# Documents are parsed as if they came from this origin; of it only STATIC_URL is served.
APP_ORIGIN = "https://role-profiles.invalid"
BASE_URL = f"{APP_ORIGIN}/"
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
CLOSING_KIND = SectionKind.ADDITIONAL_INFORMATION
# A diagonal DRAFT across every page not yet published: one SVG drawn as the page background,
# far cheaper for WeasyPrint than a fixed-position element laid out on each page.
DRAFT_WATERMARK = "data:image/svg+xml;base64," + base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="595" height="842" viewBox="0 0 595 842">'
    b'<text x="297" y="460" text-anchor="middle" transform="rotate(-50 297 421)" '
    b'font-family="DejaVu Sans" font-weight="bold" font-size="120" fill="#c80000" '
    b'fill-opacity="0.12">DRAFT</text></svg>'
).decode("ascii")
LOGO_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


class LockedURLFetcher(URLFetcher):
    """Fetches `data:` URIs and the app's own static files; refuses everything else."""

    def __init__(self):
        super().__init__(timeout=2, allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url, headers=None):
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        path = static_file_path(url)
        if path is None:
            raise ValueError(f"The PDF renderer does not fetch {url[:200]!r}.")
        with open(path, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def static_file_path(url):
    """The file behind a URL of the app's own static files, or None."""
    prefix = APP_ORIGIN + static("")
    if not url.startswith(prefix):
        return None
    relative = unquote(url[len(prefix) :].split("?")[0].split("#")[0])
    parts = relative.split("/")
    if "\\" in relative or "\x00" in relative or any(p in ("", ".", "..") for p in parts):
        return None
    return finders.find(relative)


def html_to_pdf(html):
    """Print HTML as a tagged PDF/UA-1 document; only `data:` and static URLs are fetched."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LockedURLFetcher())
    with fewer_collections():
        return document.write_pdf(pdf_variant="pdf/ua-1")


# WeasyPrint makes hundreds of thousands of objects for a document, most of which live
# until it is written. Python's collector, counting them, sweeps the young generations
# again and again while they all stay reachable: about a sixth of a render's time. While
# any thread renders, the first generation waits for far more allocations.
RENDER_GC_THRESHOLD = 100_000
_rendering = 0
_rendering_lock = threading.Lock()
_thresholds = None


@contextmanager
def fewer_collections():
    global _rendering, _thresholds
    with _rendering_lock:
        if _rendering == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(RENDER_GC_THRESHOLD, *_thresholds[1:])
        _rendering += 1
    try:
        yield
    finally:
        with _rendering_lock:
            _rendering -= 1
            if _rendering == 0:
                gc.set_threshold(*_thresholds)


def logo_data_uri(force):
    """The force's logo as a data: URI, so that the renderer fetches nothing for it."""
    if not force.logo:
        return ""
    content_type = mimetypes.guess_type(force.logo.name)[0]
    if content_type not in LOGO_TYPES:
        return ""
    try:
        with force.logo.open("rb") as file:
            data = file.read()
    except OSError:
        logger.warning("The logo of %s cannot be read.", force.slug)
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def safe_colour(value, default):
    # The model validates colours, but a raw save skips validators: CSS gets only a colour.
    return value if isinstance(value, str) and COLOUR.match(value) else default


def template_names(force):
    names = [f"pdf/{force.layout}.html"] if force.layout in Layout.values else []
    return [*names, "pdf/default.html"]


def render_html(profile):
    """The standalone HTML the PDF of `profile` is printed from."""
    context = document_context(profile)
    force = context["force"]
    context.update(
        {
            "logo": logo_data_uri(force),
            "primary_colour": safe_colour(force.primary_colour, "#1d3c6e"),
            "accent_colour": safe_colour(force.accent_colour, "#e8eef7"),
            "draft": context["profile"].status != Status.PUBLISHED,
            "draft_watermark": DRAFT_WATERMARK,
            # Lettered forms (BTP) letter the body sections and close with additional information.
            "form_sections": [s for s in context["sections"] if s["kind"] != CLOSING_KIND],
            "closing_sections": [s for s in context["sections"] if s["kind"] == CLOSING_KIND],
            "section_count": len(context["sections"]),
            "layout_version": LAYOUT_VERSION,
        }
    )
    return render_to_string(template_names(force), context)


def content_key(html):
    return hashlib.sha256(f"{LAYOUT_VERSION}\n{html}".encode()).hexdigest()


def filename(profile):
    """A name a person understands: `Gwent Police - Community Support Officer.pdf`."""
    name = f"{profile.force.name} - {profile.title}"
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).strip() + ".pdf"


@dataclass(frozen=True)
class ProfilePdf:
    key: str
    content: bytes
    modified: datetime


# The cache lives in files under PDF_CACHE_DIR (default MEDIA_ROOT/pdf-cache):
#   <profile pk>/<key>.pdf      the PDF, key = SHA-256 of the HTML it was printed from
#   <profile pk>/pointer        "<signature>\n<key>": the key that was current for a signature
#   <profile pk>/epoch, epochs/force-<pk>, epochs/all
#                               random tokens replaced (after commit) whenever a profile or a
#                               child, a force or its grades/standard texts, or national
#                               framework/vetting data is saved or deleted.
# A signature joins the code version and the three epochs, so a download of an unchanged
# profile reads a few small files and no HTML is rendered; any change replaces an epoch,
# the pointer no longer matches, and the PDF is printed afresh from freshly rendered HTML.


def cache_root():
    return Path(getattr(settings, "PDF_CACHE_DIR", "") or Path(settings.MEDIA_ROOT) / "pdf-cache")


@lru_cache(maxsize=1)
def code_version():
    """Changes whenever a PDF template, the PDF CSS or LAYOUT_VERSION changes (a deploy)."""
    digest = hashlib.sha256(LAYOUT_VERSION.encode())
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory, "pdf").glob("**/*")):
            if path.is_file():
                digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _read_text(path):
    try:
        return path.read_text()
    except FileNotFoundError:
        return ""


def _write_atomically(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _epoch_paths(profile_pk, force_pk):
    root = cache_root()
    return [
        root / "epochs" / "all",
        root / "epochs" / f"force-{force_pk}",
        root / str(profile_pk) / "epoch",
    ]


def signature(profile):
    epochs = [_read_text(path) for path in _epoch_paths(profile.pk, profile.force_id)]
    return ":".join([code_version(), *epochs])


def current_key(profile):
    """The key of the profile's cached PDF if nothing changed since it was printed, else None."""
    folder = cache_root() / str(profile.pk)
    stored_signature, _, key = _read_text(folder / "pointer").partition("\n")
    if key and stored_signature == signature(profile) and (folder / f"{key}.pdf").exists():
        return key
    return None


def cached_modified(profile, key):
    """When the PDF with this key was stored."""
    path = cache_root() / str(profile.pk) / f"{key}.pdf"
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def cached_pdf(profile, key=None):
    """The profile's PDF: from the cache when nothing that shapes it changed, else printed.

    `key` is the profile's current_key() when the caller has just looked it up.
    """
    folder = cache_root() / str(profile.pk)
    key = key or current_key(profile)
    if key is not None:
        try:
            content = (folder / f"{key}.pdf").read_bytes()
            return ProfilePdf(key, content, cached_modified(profile, key))
        except FileNotFoundError:
            pass
    # Read the signature before the data: a change committed meanwhile replaces an epoch,
    # so the pointer written below no longer matches and the next download prints again.
    current_signature = signature(profile)
    html = render_html(profile)
    key = content_key(html)
    path = folder / f"{key}.pdf"
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        content = html_to_pdf(html)
        _write_atomically(path, content)
    _write_atomically(folder / "pointer", f"{current_signature}\n{key}".encode())
    for old in folder.glob("*.pdf"):
        if old.name != path.name:
            old.unlink(missing_ok=True)
    return ProfilePdf(key, content, cached_modified(profile, key))


def forget(profile_pk):
    """Drop the profile's cached PDFs."""
    shutil.rmtree(cache_root() / str(profile_pk), ignore_errors=True)


def _replace_epoch(path):
    _write_atomically(path, uuid.uuid4().hex.encode())


def profile_changed(profile_pk):
    """Something on the profile changed: after commit, a new epoch and a fresh PDF."""

    def after_commit():
        _replace_epoch(cache_root() / str(profile_pk) / "epoch")
        _render_after_save(profile_pk=profile_pk)

    transaction.on_commit(after_commit)


def force_changed(force_pk):
    def after_commit():
        _replace_epoch(cache_root() / "epochs" / f"force-{force_pk}")
        _render_after_save(force_pk=force_pk)

    transaction.on_commit(after_commit)


def national_data_changed():
    transaction.on_commit(lambda: _replace_epoch(cache_root() / "epochs" / "all"))


# Rendering after a save. One daemon thread prints PDFs one at a time, in the background
# of the process that saved, once the transaction has committed; a job already waiting
# is not queued twice, and past MAX_QUEUED jobs new ones are dropped. A dropped render,
# or one lost when the process exits, costs only a synchronous render on the next
# download. PDF_RENDER_AFTER_SAVE is "thread" (default), "inline" (tests) or "off".
MAX_QUEUED = 500
_jobs = queue.Queue()
_queued = set()
_queued_lock = threading.Lock()
_worker = None


def _render_after_save(profile_pk=None, force_pk=None):
    mode = getattr(settings, "PDF_RENDER_AFTER_SAVE", "thread")
    if mode == "inline":
        _render((profile_pk, force_pk))
    elif mode == "thread":
        _submit(_render, (profile_pk, force_pk))


def _submit(function, job):
    global _worker
    with _queued_lock:
        if (function, job) in _queued or len(_queued) >= MAX_QUEUED:
            return
        _queued.add((function, job))
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="pdf-render", daemon=True)
            _worker.start()
    _jobs.put((function, job))


def _work():
    while True:
        function, job = _jobs.get()
        with _queued_lock:
            _queued.discard((function, job))
        close_old_connections()
        try:
            function(job)
        except Exception:
            logger.exception("Printing PDFs for %s failed.", job)
        finally:
            close_old_connections()
            _jobs.task_done()


def wait_for_background_renders():
    """Block until the background thread has printed everything queued so far."""
    _jobs.join()


def _render(job):
    profile_pk, force_pk = job
    if profile_pk is not None:
        profiles = RoleProfile.objects.filter(pk=profile_pk)
    else:
        # A force's texts are on all its profiles; print the published ones people download.
        profiles = RoleProfile.objects.filter(force_id=force_pk, status=Status.PUBLISHED)
    for profile in profiles.select_related("force"):
        cached_pdf(profile)


PROFILE_CHILDREN = [PostDetail, Section, Criterion, Behaviour, SkillRequirement, NosUnit]
FORCE_CHILDREN = [Force, Grade, StandardSection]
NATIONAL = [
    Framework,
    Cluster,
    Competency,
    CompetencyLevel,
    Indicator,
    Value,
    Skill,
    SkillLevel,
    VettingLevel,
    AssessmentMethod,
]


# Receivers; profiles.signals connects them, after the search index's.
def _profile_saved(sender, instance, **kwargs):
    profile_changed(instance.pk)


def _child_saved(sender, instance, **kwargs):
    profile_changed(instance.profile_id)


def _item_saved(sender, instance, **kwargs):
    try:
        profile_pk = instance.section.profile_id
    except Section.DoesNotExist:
        return  # deleted with its section, whose own signal marked the profile changed
    profile_changed(profile_pk)


def _force_child_saved(sender, instance, **kwargs):
    force_changed(instance.pk if sender is Force else instance.force_id)


def _national_saved(sender, **kwargs):
    national_data_changed()


def _methods_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        if isinstance(instance, AssessmentMethod):
            national_data_changed()
        else:
            profile_changed(instance.profile_id)


# A force's published profiles as one zip, built in the background with its progress in a
# small JSON file beside it, so that any process can report it and serve the result.


def _zip_folder(force_pk):
    return cache_root() / "zips" / str(force_pk)


def zip_status(force):
    """{"state": "none" | "building" | "ready" | "failed", "done": n, "total": n}."""
    try:
        return json.loads((_zip_folder(force.pk) / "status.json").read_text())
    except (FileNotFoundError, ValueError):
        return {"state": "none", "done": 0, "total": 0}


def zip_path(force):
    return _zip_folder(force.pk) / "profiles.zip"


def zip_filename(force):
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", f"{force.name} - role profiles").strip() + ".zip"


def start_zip(force):
    """Build the zip of the force's published profiles (in the background unless inline)."""
    if zip_status(force)["state"] == "building":
        return
    _write_status(force.pk, "building", 0, 0)
    if getattr(settings, "PDF_RENDER_AFTER_SAVE", "thread") == "thread":
        _submit(_build_zip_or_fail, force.pk)
    else:
        _build_zip(force.pk)


def _write_status(force_pk, state, done, total):
    status = {"state": state, "done": done, "total": total}
    _write_atomically(_zip_folder(force_pk) / "status.json", json.dumps(status).encode())


def _build_zip(force_pk):
    profiles = list(
        RoleProfile.objects.filter(force_id=force_pk, status=Status.PUBLISHED)
        .select_related("force")
        .order_by("title", "slug")
    )
    folder = _zip_folder(force_pk)
    temporary = folder / f".profiles.{uuid.uuid4().hex}.zip"
    names = set()
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_STORED) as archive:
        for done, profile in enumerate(profiles):
            _write_status(force_pk, "building", done, len(profiles))
            name = filename(profile)
            if name in names:
                name = f"{name[:-4]} ({profile.slug}).pdf"
            names.add(name)
            archive.writestr(name, cached_pdf(profile).content)
    os.replace(temporary, folder / "profiles.zip")
    _write_status(force_pk, "ready", len(profiles), len(profiles))


def _build_zip_or_fail(force_pk):
    try:
        _build_zip(force_pk)
    except Exception:
        _write_status(force_pk, "failed", 0, 0)
        raise
