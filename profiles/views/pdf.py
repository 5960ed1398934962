"""Downloads of role profiles as PDF."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
)
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

from profiles import access, tasks
from profiles.access import get_force_for_user
from profiles.models import Language
from profiles.printing import pdf


@login_required
@require_safe
def profile_pdf(request, force_slug, slug):
    """The profile as a PDF in its force's layout; `?debug=html` shows the HTML when DEBUG is on.

    `?language=cy|en|bilingual` chooses the language (default: the force's); the English
    PDF is printed after each save, a Welsh or bilingual one on its first download after a
    change, and each is cached until the profile changes again.
    """
    # The PDF is printed from its own fetch of the profile, so the lookup reads only what
    # permissions, the cache and the filename need, in one query whose SQL is compiled once.
    profile = access.profile_for_download(request, force_slug, slug)
    language = request.GET.get("language") or profile.force.default_language
    if language not in Language.values:
        return HttpResponseBadRequest(
            f"Unknown language; choose one of {', '.join(Language.values)}.",
            content_type="text/plain; charset=utf-8",
        )
    if settings.DEBUG and request.GET.get("debug") == "html":
        return HttpResponse(pdf.render_html(profile, language=language))
    # A current PDF in the cache is its pointer, the epochs and one read of its file and its
    # time, behind the access check above: nothing is rendered.
    document = pdf.current_pdf(profile, language)
    key, updating = None, False
    if document is None and language == Language.ENGLISH:
        # Changed since its last print (a save the worker has not reached yet, or a deploy
        # that changed the layouts): the previous PDF at once, while the worker prints the
        # new one. Only a profile never printed (as published as it is now) prints here.
        key = pdf.previous_key(profile)
        if key is not None:
            fresh = tasks.reprint_soon(profile)
            updating = fresh is None
            key = fresh or key
            document = pdf.stored_pdf(profile, key, language)
    if document is not None:
        key = document.key
        modified = int(document.modified.timestamp())
        not_modified = get_conditional_response(request, etag=f'"{key}"', last_modified=modified)
        if not_modified is not None:
            return _mark_updating(not_modified, updating)
    else:
        try:
            document = pdf.cached_pdf(profile, key, language=language)
        except pdf.PdfTooLarge as error:
            context = {"profile": profile, "message": str(error)}
            return render(request, "profiles/pdf_too_large.html", context, status=422)
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, pdf.filename(profile, language)
    )
    response["ETag"] = f'"{document.key}"'
    response["Last-Modified"] = http_date(document.modified.timestamp())
    response["Cache-Control"] = "private, no-cache"
    response["Content-Language"] = "en-GB" if language == Language.ENGLISH else "cy"
    return _mark_updating(response, updating)


# Says that the PDF served is the previous print of a profile changed since, and that its
# fresh print is queued; clients (and the load test) tell a stale download by it.
UPDATING_HEADER = "X-PDF-Status"


def _mark_updating(response, updating):
    response[UPDATING_HEADER] = "updating" if updating else "current"
    return response


@login_required
def force_zip(request, force_slug):
    """A page to build and fetch all the force's published profiles as one zip."""
    force = get_force_for_user(request, force_slug)
    if request.method == "POST":
        tasks.start_zip(force)
        return _status_fragment(request, force)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    context = {"force": force, "status": pdf.zip_status(force)}
    return render(request, "profiles/pdf_zip.html", context)


@login_required
@require_safe
def zip_status(request, force_slug):
    """The build's progress as an htmx fragment; it polls itself until the zip is ready."""
    return _status_fragment(request, get_force_for_user(request, force_slug))


def _status_fragment(request, force):
    context = {"force": force, "status": pdf.zip_status(force)}
    return render(request, "partials/pdf_zip_status.html", context)


@login_required
@require_safe
def zip_download(request, force_slug):
    force = get_force_for_user(request, force_slug)
    packed = pdf.open_zip(force)
    if packed is None:
        raise Http404("The zip is not built yet.")
    return FileResponse(packed, as_attachment=True, filename=pdf.zip_filename(force))
