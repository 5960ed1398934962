"""Role profiles as tagged PDFs in their force's house layout: the one module that uses WeasyPrint.

A PDF is stored under the SHA-256 of the HTML it is printed from; that HTML holds
everything that shapes the PDF (profile and children, force, standard sections,
framework texts, the inlined layout CSS). Downloads find the current PDF through a
cheap signature of change counters (see "The cache" below) instead of rendering.

It runs past 400 lines because rendering, the locked-down URL fetcher, the content-hash
cache and the print/refusal bookkeeping share private state; splitting them would make
the one-importer-of-WeasyPrint rule harder to see.
"""

import base64
import gc
import hashlib
import io
import json
import logging
import mimetypes
import re
import tempfile
import threading
import time
import uuid
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from PIL import Image
from weasyprint import CSS, DEFAULT_OPTIONS, HTML
from weasyprint.images import RasterImage
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from jobs import queue
from jobs.models import JobStatus
from profiles import logos
from profiles.models import (
    Language,
    RoleProfile,
    Status,
)
from profiles.printing.document import document_context
from profiles.storage import PdfCacheStorage

logger = logging.getLogger(__name__)

# Raise when a change to the layouts or to this module changes PDFs without changing their HTML.
LAYOUT_VERSION = "1"

# Documents are parsed as if they came from this origin; of it only STATIC_URL is served.
APP_ORIGIN = "https://role-profiles.invalid"
BASE_URL = f"{APP_ORIGIN}/"
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
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


# What one PDF may cost the process that prints it. Layout time grows with the HTML: a
# 1 MB purpose took 24 s and 476 MB for 167 pages. Text limits (profiles.limits) keep a
# profile far below these; the seed profiles print 3 to 6 pages from 40 to 80 kB of HTML.
MAX_PDF_HTML_CHARS = 400_000
MAX_PDF_PAGES = 60


class PdfTooLarge(Exception):
    """The profile would cost more to print than one PDF may."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(
            f"This profile is too long to print as a PDF ({reason}). "
            "Shorten its text or split it into fewer rows, then download it again."
        )


# An image the document embeds (the force's logo, bounded by profiles.logos) is not text to
# lay out. Only a src attribute matches: text users type is escaped, so it has no `src="`.
EMBEDDED_IMAGE = re.compile(r'src="data:image/[a-z]+;base64,[A-Za-z0-9+/=]*"')


def text_length(html):
    """The HTML's length without its embedded images: what layout time grows with."""
    return len(html) - sum(len(match.group()) for match in EMBEDDED_IMAGE.finditer(html))


def check_pdf_cost(html=None, pages=None):
    """Refuse before layout an HTML too long to lay out, and after it too many pages."""
    if html is not None and (length := text_length(html)) > MAX_PDF_HTML_CHARS:
        raise PdfTooLarge(f"{length:,} characters of HTML; at most {MAX_PDF_HTML_CHARS:,}")
    if pages is not None and pages > MAX_PDF_PAGES:
        raise PdfTooLarge(f"{pages} pages; at most {MAX_PDF_PAGES}")


def html_to_pdf(html):
    """Print HTML as a tagged PDF/UA-1 document; only `data:` and static URLs are fetched.

    Raises PdfTooLarge, before the costly steps, for a document over the limits above.
    """
    check_pdf_cost(html=html)
    renderer = _renderer()
    html, stylesheets = renderer.lift_layout(html)
    html, images = kept_images(html)
    html = list_markers(html)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LockedURLFetcher())
    with fewer_collections():
        laid_out = document.render(
            pdf_variant="pdf/ua-1",
            font_config=renderer.fonts,
            stylesheets=stylesheets,
            cache=images,
        )
        check_pdf_cost(pages=len(laid_out.pages))
        return laid_out.write_pdf(pdf_variant="pdf/ua-1", finisher=compress_streams)


# A list item's marker (templates/pdf/base.html) as the first text of the item, where the
# layout's CSS would add it with `li::before` on a screen: WeasyPrint makes a pseudo-element
# its own box with its own computed style, for Gwent's CSO (91 items) a sixth of the render's
# CPU; as text it is laid out with the item's first line, in the same place and type. Lists
# are written only by the templates (what users type is escaped: it has no `<li`).
LIST_TAG = re.compile(r"<(/?)(ul|ol|li)\b[^>]*>")
BULLET, NESTED_BULLET = "\u2022\u00a0\u00a0", "\u25e6\u00a0\u00a0"


def list_markers(html):
    """The HTML with each list item's marker written in: `1.` in an ordered list, a bullet in
    a list of bullets, a hollow one in a list of bullets inside another."""
    open_lists = []  # [tag, items so far], the innermost last

    def marked(match):
        closing, tag = match.groups()
        if tag != "li":
            if not closing:
                open_lists.append([tag, 0])
            elif open_lists:
                open_lists.pop()
            return match.group()
        if closing or not open_lists:
            return match.group()
        current = open_lists[-1]
        current[1] += 1
        if current[0] == "ol":
            marker = f"{current[1]}.\u00a0\u00a0"
        elif any(name == "ul" for name, _ in open_lists[:-1]):
            marker = NESTED_BULLET
        else:
            marker = BULLET
        return match.group() + marker

    return LIST_TAG.sub(marked, html)


# WeasyPrint turns an embedded image into the PDF's image objects on every print: a PNG
# (a force's logo) is decoded, its colour and alpha split apart and each compressed again,
# 7-40 ms of CPU for a 600 x 220 logo with transparency, and its data: URI, tens to
# hundreds of kB, is parsed with the HTML (1-2 ms for 40 kB). The last few images printed
# are kept for the process, each with the objects it made on its first print, which later
# prints copy. An image is kept under its data: URI, that is its bytes: a changed logo is
# another image. The HTML given to WeasyPrint names a kept image by a short URL, and the
# render's `cache` (WeasyPrint's own image cache, which it looks a URL up in before fetching
# it) holds the image under that URL. The URL is never fetched; LockedURLFetcher refuses it.
KEPT_IMAGES = 8
KEPT_IMAGE_URL = f"{APP_ORIGIN}/kept-images/"
KEPT_IMAGE_TYPES = "|".join(sorted(t.split("/")[1] for t in LOGO_TYPES))
KEPT_IMAGE = re.compile(rf'src="(data:image/(?:{KEPT_IMAGE_TYPES});base64,[A-Za-z0-9+/=]*)"')


def kept_images(html):
    """The HTML with its embedded images named by short URLs, and WeasyPrint's image cache
    holding the kept images under those URLs."""
    cache = {}

    def short_url(match):
        image = _kept_image(match.group(1))
        if image is None:
            return match.group()
        url = KEPT_IMAGE_URL + image.id
        cache[url] = image
        return f'src="{url}"'

    return KEPT_IMAGE.sub(short_url, html), cache


@lru_cache(maxsize=KEPT_IMAGES)
def _kept_image(uri):
    data = base64.b64decode(uri.split(",", 1)[1])
    try:
        pillow_image = Image.open(io.BytesIO(data))
        # As weasyprint.images.get_image_from_uri makes it from the data: URI (its id too,
        # so the PDF is the same to the byte), with the render's options (the defaults: no
        # dpi, jpeg_quality or optimize_images) and CSS's initial image-orientation.
        return _KeptImage(
            pillow_image,
            hashlib.md5(uri.encode(), usedforsecurity=False).hexdigest(),
            data,
            cache={},
            orientation="from-image",
            options=DEFAULT_OPTIONS,
        )
    except Exception:  # Pillow raises many kinds for a damaged file
        return None  # not kept: WeasyPrint loads it, or reports it, as it always did


class _KeptImage(RasterImage):
    """A raster image whose PDF objects are made on its first print and copied for later ones."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._x_objects = {}
        self._lock = threading.Lock()  # prints run in several threads

    def get_x_object(self, interpolate, dpi_ratio):
        with self._lock:
            made = self._x_objects.get((interpolate, dpi_ratio))
            if made is None:
                made = super().get_x_object(interpolate, dpi_ratio)
                self._x_objects[interpolate, dpi_ratio] = made
        return _stream_copy(made)


def _stream_copy(stream):
    # Writing a PDF numbers its objects and puts references in place of the alpha mask, so
    # each print gets its own objects around the same bytes.
    extra = pydyf.Dictionary(stream.extra)
    if isinstance(extra.get("SMask"), pydyf.Stream):
        extra["SMask"] = _stream_copy(extra["SMask"])
    return pydyf.Stream(list(stream.stream), extra, stream.compress)


# pydyf compresses every stream of the PDF (pages' contents, embedded fonts) at zlib's level
# 9: for these documents three times the time of zlib's default level 6, for 1-2% fewer
# bytes (Gwent's CSO: 14.7 vs 4.0 ms; 49.8 vs 50.7 kB). write_pdf's finisher, called before
# the file is written, compresses them at level 6 instead; the pages are the same.
COMPRESSION_LEVEL = 6


def compress_streams(document, pdf_file):
    for stream in pdf_file.objects:
        if isinstance(stream, pydyf.Stream) and stream.compress:
            # The bytes pydyf's Stream.data would compress (pydyf has no public name for it).
            data = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
            stream.stream = [zlib.compress(data, COMPRESSION_LEVEL)]
            stream.extra["Filter"] = "/FlateDecode"
            stream.compress = False


# The layout's CSS (templates/pdf/base.html, `<style class="layout">`) is the same text in
# every document printed from a template. Parsed from each document, it cost a render
# its parse and selector compilation; here it is parsed once per thread into a WeasyPrint
# CSS object, lifted out of the HTML and given to the render as a stylesheet, where it
# cascades as it did (the document keeps only its colours and DRAFT mark, and inline
# styles, which win over it either way). Fonts come from one FontConfiguration per thread
# too: a new one loads Fontconfig's configuration and starts Pango's font caches cold.
# Per thread, because Pango's font map is not safe to share between threads.
LAYOUT_STYLE = re.compile(r'<style class="layout">(.*?)</style>', re.S)
LAYOUT_CACHE_SIZE = 8


class _Renderer(threading.local):
    def __init__(self):
        self.fonts = FontConfiguration()
        self.layouts = {}

    def lift_layout(self, html):
        """The HTML without its layout style, and that style as a parsed stylesheet."""
        match = LAYOUT_STYLE.search(html)
        if match is None:
            return html, []
        css = match.group(1)
        stylesheet = self.layouts.pop(css, None)
        if stylesheet is None:
            stylesheet = CSS(
                string=css,
                base_url=BASE_URL,
                url_fetcher=LockedURLFetcher(),
                font_config=self.fonts,
            )
        self.layouts[css] = stylesheet  # the most recently used last
        while len(self.layouts) > LAYOUT_CACHE_SIZE:
            del self.layouts[next(iter(self.layouts))]
        return html[: match.start()] + html[match.end() :], [stylesheet]


_renderers = _Renderer()


def _renderer():
    return _renderers


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
            stored = file.read(logos.MAX_BYTES + 1)
        return _printed_logo(stored)
    except OSError:
        logger.warning("The logo of %s cannot be read.", force.slug)
        return ""
    except logos.LogoRefused as error:
        logger.warning("The logo of %s is not printed: %s", force.slug, error)
        return ""


@lru_cache(maxsize=8)
def _printed_logo(stored):
    """The data: URI of a stored logo's bytes: decoded (and scaled) once per process, not on
    every print. A logo stored before uploads were checked may be large: scaled here, within
    the upload's bounds, or refused (LogoRefused, never cached) and left out of the print."""
    data, content_type = logos.scaled(stored, strict=False)
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def safe_colour(value, default):
    # The model validates colours, but a raw save skips validators: CSS gets only a colour.
    return value if isinstance(value, str) and COLOUR.match(value) else default


def render_html(profile, style=None, language=Language.ENGLISH):
    """The standalone HTML the PDF of `profile` is printed from.

    `style` (profiles.printing.styles.resolve) previews a house style not yet saved. `language` is
    "en", "cy" (its Welsh texts, the interface's words in Welsh) or "bilingual" (the Welsh
    document, then the English one, in the same type; each part tagged with its language).
    """
    if language == Language.BILINGUAL:
        with translation.override("en"):
            english = _render(profile, style, Language.ENGLISH, "pdf/_parts.html")
        with translation.override("cy"):
            return _render(profile, style, Language.WELSH, second_language=english)
    with translation.override(language):
        return _render(profile, style, language)


def _render(profile, style, language, template="pdf/document.html", second_language=""):
    context = document_context(profile, style, language)
    force = context["force"]
    context.update(
        {
            "logo": logo_data_uri(force),
            "primary_colour": safe_colour(force.primary_colour, "#1d3c6e"),
            "accent_colour": safe_colour(force.accent_colour, "#e8eef7"),
            "draft": context["profile"].status != Status.PUBLISHED,
            "draft_watermark": DRAFT_WATERMARK,
            "layout_version": LAYOUT_VERSION,
            "second_language": second_language,
        }
    )
    return render_to_string(template, context)


LANGUAGE_SUFFIX = {Language.WELSH: " (Cymraeg)", Language.BILINGUAL: " (Cymraeg a Saesneg)"}


def content_key(html):
    return hashlib.sha256(f"{LAYOUT_VERSION}\n{html}".encode()).hexdigest()


def filename(profile, language=Language.ENGLISH):
    """A name a person understands: `Gwent Police - Community Support Officer.pdf` (and
    ` (Cymraeg)` or ` (Cymraeg a Saesneg)` before the extension for the Welsh prints)."""
    name = f"{profile.force.name} - {profile.title}{LANGUAGE_SUFFIX.get(language, '')}"
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name).strip() + ".pdf"


@dataclass(frozen=True)
class ProfilePdf:
    key: str
    content: bytes
    modified: datetime


# The cache lives in the "pdfs" storage (PDF_CACHE_DIR on the file system by default, or
# object storage; see profiles/storage.py), under these names:
#   <profile pk>/<key>.pdf      the PDF, key = SHA-256 of the HTML it was printed from
#   <profile pk>/pointer        "<signature>\n<key>\n<published|unpublished>": the key that
#                               was current for a signature, and whether it printed a published
#                               profile (a draft's print is never another reader's previous PDF)
#   <profile pk>/epoch, epochs/force-<pk>, epochs/all
#                               random tokens replaced (after commit) whenever a profile or a
#                               child, a force or its grades/standard texts, or national
#                               framework/vetting data is saved or deleted.
#   epochs/layout               the code version the published PDFs were all reprinted for
#   zips/<force pk>/profiles.zip
# A signature joins the code version and the three epochs, so a download of an unchanged
# profile reads a few small files and no HTML is rendered; any change replaces an epoch,
# the pointer no longer matches, and the worker prints the PDF afresh from freshly rendered
# HTML; meanwhile a download is the previous PDF (previous_key), never a wait for a print.


def cache_storage():
    return storages["pdfs"]


def cache_root():
    """The cache's folder, where it is on this machine's file system (tests, benchmarks)."""
    return Path(cache_storage().location)


@lru_cache(maxsize=1)
def code_version():
    """Changes whenever a PDF template, the PDF CSS or LAYOUT_VERSION changes (a deploy)."""
    digest = hashlib.sha256(LAYOUT_VERSION.encode())
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory, "pdf").glob("**/*")):
            if path.is_file():
                digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def printed_layout():
    """The code_version() that the published PDFs were last all reprinted for."""
    return _read_text("epochs/layout")


def remember_printed_layout():
    _write("epochs/layout", code_version().encode())


def _read(name):
    try:
        with cache_storage().open(name, "rb") as file:
            return file.read()
    except FileNotFoundError:
        return None


def _read_text(name):
    return (_read(name) or b"").decode()


def _write(name, data):
    # The storages replace a file whole (profiles/storage.py; S3 writes objects whole).
    cache_storage().save(name, ContentFile(data))


def _epoch_names(profile_pk, force_pk):
    return ["epochs/all", f"epochs/force-{force_pk}", f"{profile_pk}/epoch"]


def signature(profile):
    epochs = [_read_text(name) for name in _epoch_names(profile.pk, profile.force_id)]
    return ":".join([code_version(), *epochs])


def _slot(profile_pk, language=Language.ENGLISH):
    """Where a profile's PDFs in a language are kept: English in the profile's folder, Welsh
    and bilingual ones in its subfolders cy/ and bilingual/, each with its own pointer."""
    return str(profile_pk) if language == Language.ENGLISH else f"{profile_pk}/{language}"


def _pointer(profile, language=Language.ENGLISH):
    """(signature, key, printed as) of the profile's last print; empty strings if none."""
    stored_signature, key, printed_as = [
        *_read_text(f"{_slot(profile.pk, language)}/pointer").split("\n"),
        "",
        "",
    ][:3]
    return stored_signature, key, printed_as


def _publication(status):
    return "published" if status == Status.PUBLISHED else "unpublished"


def _pointed_current(profile, language):
    """The key the profile's pointer names if nothing changed since that print, else None
    (whether its file is still there is not asked)."""
    stored_signature, key, _ = _pointer(profile, language)
    return key if key and stored_signature == signature(profile) else None


def current_key(profile, language=Language.ENGLISH):
    """The key of the profile's cached PDF if nothing changed since it was printed, else None."""
    key = _pointed_current(profile, language)
    if key and cache_storage().exists(f"{_slot(profile.pk, language)}/{key}.pdf"):
        return key
    return None


def previous_key(profile):
    """The key of the profile's last printed PDF, when it is not current, or None.

    After a save (or a deploy that changes the layouts) the worker prints the profile again;
    until it has, a download is this PDF rather than a render inside the request. Only a
    PDF printed while the profile was as published as it is now counts: a hiring manager
    never gets the print of a draft. None after a refusal (PdfTooLarge), whose pointer
    names a PDF that was never written.
    """
    _, key, printed_as = _pointer(profile)
    if key and printed_as == _publication(profile.status):
        if cache_storage().exists(f"{profile.pk}/{key}.pdf"):
            return key
    return None


def being_updated(profile):
    """Whether the profile's download is its previous PDF until the worker prints a fresh one."""
    return current_key(profile) is None and previous_key(profile) is not None


def cached_modified(profile, key, language=Language.ENGLISH):
    """When the PDF with this key was stored."""
    return cache_storage().get_modified_time(f"{_slot(profile.pk, language)}/{key}.pdf")


def current_pdf(profile, language=Language.ENGLISH):
    """The profile's cached PDF if nothing changed since it was printed, else None: as
    current_key, then stored_pdf, without first asking whether the file is there."""
    key = _pointed_current(profile, language)
    return None if key is None else stored_pdf(profile, key, language)


def stored_pdf(profile, key, language=Language.ENGLISH):
    """The PDF stored under `key` (a current_key or previous_key just looked up), or None if
    it is gone meanwhile: one read of the file and its time, nothing rendered."""
    name = f"{_slot(profile.pk, language)}/{key}.pdf"
    storage = cache_storage()
    try:
        if isinstance(storage, PdfCacheStorage):
            # The time from the file opened: one open, no second look by name.
            content, modified = storage.read_with_time(name)
        else:
            with storage.open(name, "rb") as file:
                content = file.read()
            modified = storage.get_modified_time(name)
    except FileNotFoundError:
        return None
    return ProfilePdf(key, content, modified)


def cached_pdf(profile, key=None, where="request", reprint=False, language=Language.ENGLISH):
    """The profile's PDF: from the cache when nothing that shapes it changed, else printed.

    `key` is the profile's current_key() when the caller has just looked it up; `where`
    names who prints, for the log ("request", "worker", "command"); `reprint` prints even
    what the cache holds; `language` "en", "cy" or "bilingual" (each cached apart).
    """
    slot = _slot(profile.pk, language)
    key = None if reprint else key or current_key(profile, language)
    if key is not None:
        content = _read(f"{slot}/{key}.pdf")
        if content is not None:
            return ProfilePdf(key, content, cached_modified(profile, key, language))
    # Read the signature before the data: a change committed meanwhile replaces an epoch,
    # so the pointer written below no longer matches and the next download prints again.
    current_signature = signature(profile)
    html = render_html(profile, language=language)
    key = content_key(html)
    name = f"{slot}/{key}.pdf"
    refused = f"{slot}/{key}.too-large"
    content = None if reprint else _read(name)
    if content is None:
        reason = _read_text(refused)
        if reason:
            # Refused before: laying it out again would cost as much again.
            raise PdfTooLarge(reason)
        started = time.monotonic()
        try:
            content = html_to_pdf(html)
        except PdfTooLarge as error:
            _write(refused, str(error.reason).encode())
            # The previous PDF stops being offered: downloads explain the refusal.
            _write_pointer(profile, current_signature, key, html, language)
            raise
        _write(name, content)
        log_render(profile, where, started)
    _write_pointer(profile, current_signature, key, html, language)
    storage = cache_storage()
    for old in storage.listdir(slot)[1]:
        if old.endswith(".pdf") and old != f"{key}.pdf":
            storage.delete(f"{slot}/{old}")
    return ProfilePdf(key, content, cached_modified(profile, key, language))


def _write_pointer(profile, current_signature, key, html, language=Language.ENGLISH):
    # Whether this print is a published profile's, from the HTML itself: only a print that
    # is not marked DRAFT counts as published, whatever changed since `profile` was read.
    printed_as = "unpublished" if DRAFT_WATERMARK in html else "published"
    pointer = f"{_slot(profile.pk, language)}/pointer"
    _write(pointer, f"{current_signature}\n{key}\n{printed_as}".encode())


def log_render(profile, where, started):
    duration = time.monotonic() - started
    line = {
        "event": "pdf.render",
        "where": where,
        "profile": profile.pk,
        "force": profile.force.slug,
        "worker": queue.current_worker,
        "started": round(time.time() - duration, 3),
        "duration_ms": round(duration * 1000, 1),
    }
    logger.info(json.dumps(line), extra={"json": line})


def print_profile(profile_pk, reprint=False):
    """The worker's print of one profile, unless its cached PDF is current (or gone)."""
    # Two workers never print the same profile at once: the second waits, then usually
    # finds the PDF current.
    with queue.lease(f"pdf:{profile_pk}"):
        profile = RoleProfile.objects.select_related("force").filter(pk=profile_pk).first()
        if profile is None:
            return {"outcome": "gone"}
        if not reprint and current_key(profile) is not None:
            return {"outcome": "current", "force": profile.force.slug}
        # The immediate task backend (tests, a demo without a worker) prints in the caller.
        where = "worker" if queue.current_worker else "inline"
        try:
            cached_pdf(profile, where=where, reprint=reprint)
        except PdfTooLarge:
            # Remembered: its download explains it without printing again.
            return {"outcome": "too large", "force": profile.force.slug}
        return {"outcome": "printed", "force": profile.force.slug}


def forget(profile_pk):
    """Drop the profile's cached PDFs."""
    storage = cache_storage()
    try:
        folders, files = storage.listdir(str(profile_pk))
    except FileNotFoundError:
        return
    for name in files:
        storage.delete(f"{profile_pk}/{name}")
    for language in set(folders) & {Language.WELSH, Language.BILINGUAL}:
        for name in storage.listdir(f"{profile_pk}/{language}")[1]:
            storage.delete(f"{profile_pk}/{language}/{name}")


def _replace_epoch(name):
    _write(name, uuid.uuid4().hex.encode())


def profile_changed(profile_pk):
    """Something on the profile changed (profiles.signals calls this after commit)."""
    _replace_epoch(f"{profile_pk}/epoch")


def force_changed(force_pk):
    _replace_epoch(f"epochs/force-{force_pk}")


def national_data_changed():
    _replace_epoch("epochs/all")


def profiles_to_print(force_pk):
    # A force's texts are on all its profiles; print the published ones people download.
    return RoleProfile.objects.filter(force_id=force_pk).published()


# A force's published profiles as one zip, built by the worker; its progress is a JobStatus
# row, so that any web process can report it and a build whose worker died can be started again.


def zip_key(force_pk):
    return f"zip:force-{force_pk}"


def zip_status(force):
    """{"state": "none" | "building" | "interrupted" | "ready" | "failed", "done": n, "total": n}."""
    status = JobStatus.objects.filter(key=zip_key(force.pk)).first()
    if status is None:
        return {"state": "none", "done": 0, "total": 0}
    return queue.job_progress(status)


def zip_name(force_pk):
    return f"zips/{force_pk}/profiles.zip"


def open_zip(force):
    """The built zip as an open file, or None."""
    if zip_status(force)["state"] != "ready":
        return None
    try:
        return cache_storage().open(zip_name(force.pk), "rb")
    except FileNotFoundError:
        return None


def zip_filename(force):
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", f"{force.name} - role profiles").strip() + ".zip"


def write_zip_status(force_pk, state, done, total, task_id=None):
    fields = {"state": state, "done": done, "total": total}
    if task_id is not None:
        fields["task_id"] = task_id
    JobStatus.objects.update_or_create(key=zip_key(force_pk), defaults=fields)


def build_zip(force_pk, task_id):
    """Print and pack the force's published profiles, writing progress as it goes."""
    with queue.lease(f"zip:{force_pk}"):
        write_zip_status(force_pk, JobStatus.State.BUILDING, 0, 0, task_id=task_id)
        try:
            total = _build_zip(force_pk)
        except Exception:
            write_zip_status(force_pk, JobStatus.State.FAILED, 0, 0)
            raise
        return total


def _build_zip(force_pk):
    profiles = list(
        RoleProfile.objects.filter(force_id=force_pk)
        .published()
        .select_related("force")
        .order_by("title", "slug")
    )
    names = set()
    with tempfile.TemporaryFile() as packed:
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_STORED) as archive:
            for done, profile in enumerate(profiles):
                write_zip_status(force_pk, JobStatus.State.BUILDING, done, len(profiles))
                name = filename(profile)
                if name in names:
                    name = f"{name[:-4]} ({profile.slug}).pdf"
                names.add(name)
                try:
                    archive.writestr(name, cached_pdf(profile, where="worker").content)
                except PdfTooLarge as error:
                    archive.writestr(f"{name[:-4]} - not printed.txt", str(error))
        packed.seek(0)
        cache_storage().save(zip_name(force_pk), File(packed))
    write_zip_status(force_pk, JobStatus.State.READY, len(profiles), len(profiles))
    return len(profiles)
