"""What hiring needs from a profile: the Word file, the shortlisting sheets and the advert text."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from profiles import access, word


@login_required
@require_safe
def profile_docx(request, force_slug, slug):
    """The profile as a Word document in its force's house style."""
    profile = access.get_profile_for_user(request, force_slug, slug, access.READ)
    response = HttpResponse(word.render(profile), content_type=word.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, word.filename(profile))
    response["Cache-Control"] = "private, no-cache"
    return response
