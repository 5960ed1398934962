"""Role profiles as tagged PDFs in their force's house layout: the one module that uses WeasyPrint.

A PDF is cached in file storage under a hash of the HTML it is printed from. The
HTML holds everything that shapes the PDF (profile and children, force, standard
sections, framework texts, the inlined layout CSS) plus LAYOUT_VERSION, so an
unchanged profile is served from storage and any change gives a fresh PDF.
"""

import base64
import hashlib
import logging
import mimetypes
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import close_old_connections, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.templatetags.static import static
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from profiles.document import document_context
from profiles.models import (
    Behaviour,
    Criterion,
    Force,
    Item,
    Layout,
    NosUnit,
    PostDetail,
    RoleProfile,
    Section,
    SkillRequirement,
    StandardSection,
    Status,
)

logger = logging.getLogger(__name__)

# Raise when a change to the layouts or to this module changes PDFs without changing their HTML.
LAYOUT_VERSION = "1"

# Documents are parsed as if they came from this origin; of it only STATIC_URL is served.
APP_ORIGIN = "https://role-profiles.invalid"
BASE_URL = f"{APP_ORIGIN}/"
CACHE_DIR = "pdf-cache"
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
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
    return document.write_pdf(pdf_variant="pdf/ua-1")


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


def _cache_name(profile_pk, key):
    return f"{CACHE_DIR}/{profile_pk}/{key}.pdf"


def cached_pdf(profile, html=None):
    """The profile's PDF, from storage when its HTML is unchanged, else freshly printed."""
    html = render_html(profile) if html is None else html
    key = content_key(html)
    name = _cache_name(profile.pk, key)
    try:
        with default_storage.open(name, "rb") as file:
            content = file.read()
    except FileNotFoundError:
        content = html_to_pdf(html)
        _store(profile.pk, name, content)
    return ProfilePdf(key, content, default_storage.get_modified_time(name))


def cached_modified(profile, key):
    """When the PDF with this key was stored, or None if it is not (yet)."""
    try:
        return default_storage.get_modified_time(_cache_name(profile.pk, key))
    except FileNotFoundError:
        return None


def _store(profile_pk, name, content):
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:  # another worker stored the same PDF meanwhile
            default_storage.delete(saved)
    folder = f"{CACHE_DIR}/{profile_pk}"
    for old in default_storage.listdir(folder)[1]:
        if f"{folder}/{old}" != name:
            default_storage.delete(f"{folder}/{old}")


# Rendering after a save. One worker thread prints PDFs one at a time, in the
# background of the process that saved, once the transaction has committed; a
# profile already waiting is not queued twice. A render lost to a restart costs
# only a synchronous render on the next download.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf-render")
_queued = set()
_queued_lock = threading.Lock()


def _render_mode():
    """PDF_RENDER_AFTER_SAVE: "thread" (default), "inline" (tests) or "off"."""
    return getattr(settings, "PDF_RENDER_AFTER_SAVE", "thread")


def render_in_background(profile_pk):
    """Print the profile's PDF once the current transaction commits."""
    mode = _render_mode()
    if mode == "inline":
        transaction.on_commit(lambda: _render(profile_pk))
    elif mode == "thread":
        transaction.on_commit(lambda: _queue(profile_pk))


def _queue(profile_pk):
    with _queued_lock:
        if profile_pk in _queued:
            return
        _queued.add(profile_pk)
    _executor.submit(_render_in_thread, profile_pk)


def _render(profile_pk):
    profile = RoleProfile.objects.select_related("force").filter(pk=profile_pk).first()
    if profile is not None:
        cached_pdf(profile)


def _render_in_thread(profile_pk):
    with _queued_lock:
        _queued.discard(profile_pk)
    close_old_connections()
    try:
        _render(profile_pk)
    except Exception:
        logger.exception("Rendering the PDF of profile %s failed.", profile_pk)
    finally:
        close_old_connections()


@receiver(post_save, sender=RoleProfile)
def _profile_saved(sender, instance, **kwargs):
    if _render_mode() != "off":
        render_in_background(instance.pk)


@receiver([post_save, post_delete], sender=PostDetail)
@receiver([post_save, post_delete], sender=Section)
@receiver([post_save, post_delete], sender=Criterion)
@receiver([post_save, post_delete], sender=Behaviour)
@receiver([post_save, post_delete], sender=SkillRequirement)
@receiver([post_save, post_delete], sender=NosUnit)
def _child_saved(sender, instance, **kwargs):
    if _render_mode() != "off":
        render_in_background(instance.profile_id)


@receiver([post_save, post_delete], sender=Item)
def _item_saved(sender, instance, **kwargs):
    if _render_mode() == "off":
        return
    profile = Section.objects.filter(pk=instance.section_id).values_list("profile_id").first()
    if profile is not None:
        render_in_background(profile[0])


@receiver(post_save, sender=Force)
@receiver([post_save, post_delete], sender=StandardSection)
def _force_saved(sender, instance, **kwargs):
    """A force's name, colours or standard texts are on every published profile of it."""
    if _render_mode() == "off":
        return
    force_pk = instance.pk if sender is Force else instance.force_id
    published = RoleProfile.objects.filter(force_id=force_pk, status=Status.PUBLISHED)
    for profile_pk in published.values_list("pk", flat=True):
        render_in_background(profile_pk)
