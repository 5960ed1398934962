"""What hiring needs from a profile: the Word file, the shortlisting sheets and the advert text."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from profiles import access
from profiles.printing import advert, pdf, shortlisting, word


def _download(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_safe
def profile_docx(request, force_slug, slug):
    """The profile as a Word document in its force's house style."""
    profile = access.get_profile_for_user(request, force_slug, slug, access.READ)
    return _download(word.render(profile), word.CONTENT_TYPE, word.filename(profile))


def _sheet_request(request, force_slug, slug):
    profile = access.get_profile_for_user(request, force_slug, slug, access.READ)
    stage, candidates = shortlisting.parse_request(
        request.GET.get("stage"), request.GET.get("candidates")
    )
    return profile, stage, candidates


@login_required
@require_safe
def shortlisting_pdf(request, force_slug, slug):
    """The shortlisting sheet (`?stage=interview` the interview sheet) as a PDF;
    `?candidates=N` score columns (default 6)."""
    try:
        profile, stage, candidates = _sheet_request(request, force_slug, slug)
        content = shortlisting.render_pdf(profile, stage, candidates)
    except shortlisting.BadSheetRequest as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    except pdf.PdfTooLarge as error:
        context = {"profile": profile, "message": str(error)}
        return render(request, "profiles/pdf_too_large.html", context, status=422)
    name = shortlisting.filename(profile, stage, "pdf")
    return _download(content, "application/pdf", name)


@login_required
@require_safe
def shortlisting_xlsx(request, force_slug, slug):
    """The same sheet as an Excel workbook: criteria locked, scores checked against the scale."""
    try:
        profile, stage, candidates = _sheet_request(request, force_slug, slug)
    except shortlisting.BadSheetRequest as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    content = shortlisting.render_xlsx(profile, stage, candidates)
    name = shortlisting.filename(profile, stage, "xlsx")
    return _download(content, shortlisting.XLSX_CONTENT_TYPE, name)


@login_required
@require_safe
def profile_advert(request, force_slug, slug):
    """The advert text as clean HTML and plain text with Copy buttons; `?format=text` (or
    `html`) the text alone."""
    profile = access.get_profile_for_user(request, force_slug, slug, access.READ)
    parts = advert.advert(profile)
    wanted = request.GET.get("format", "")
    if wanted == "text":
        return HttpResponse(advert.render_text(parts), content_type="text/plain; charset=utf-8")
    if wanted == "html":
        return HttpResponse(advert.render_html(parts), content_type="text/html; charset=utf-8")
    if wanted:
        return HttpResponseBadRequest(
            "Unknown format; choose text or html.", content_type="text/plain; charset=utf-8"
        )
    context = {
        **parts,
        "advert_html": advert.render_html(parts),
        "advert_text": advert.render_text(parts),
    }
    return render(request, "profiles/advert.html", context)
