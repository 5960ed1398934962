"""Downloads of role profiles as PDF."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

from profiles import pdf, workflow
from profiles.views import get_profile_for_user


@login_required
@require_safe
def profile_pdf(request, force_slug, slug):
    """The profile as a PDF in its force's layout; `?debug=html` shows the HTML when DEBUG is on."""
    profile = workflow.shown_to(request.user, get_profile_for_user(request, force_slug, slug))
    if settings.DEBUG and request.GET.get("debug") == "html":
        return HttpResponse(pdf.render_html(profile))
    key = pdf.current_key(profile)
    if key is not None:
        modified = int(pdf.cached_modified(profile, key).timestamp())
        not_modified = get_conditional_response(request, etag=f'"{key}"', last_modified=modified)
        if not_modified is not None:
            return not_modified
    document = pdf.cached_pdf(profile)
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, pdf.filename(profile))
    response["ETag"] = f'"{document.key}"'
    response["Last-Modified"] = http_date(document.modified.timestamp())
    response["Cache-Control"] = "private, no-cache"
    return response
