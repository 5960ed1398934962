"""The editor's preamble, one answer for every page that edits a profile.

The request names a profile; access decides whether the user may edit it and gives the row
they work on (404 or 403 otherwise); services.lifecycle says which row the editor changes. A
refused transition (a profile in review) is answered the same way wherever it happens: the
reason as a message, and the profile's read page (for an htmx request, a client redirect).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from profiles import access
from profiles.services import lifecycle


def row_to_edit(request, force_slug, slug):
    """(profile, editable, refused): the row the request names, the row the editor changes
    (None: a published profile without a working draft yet) and, when the editor may not
    change it now, the response to give instead (else None)."""
    profile = access.get_profile_for_user(request, force_slug, slug, access.EDIT)
    try:
        return profile, lifecycle.object_to_edit(profile, request.user), None
    except lifecycle.TransitionError as error:
        return profile, None, refused(request, profile, error)


def refused(request, profile, error):
    """The answer to a refused change: its reason as a message, and the profile's page."""
    messages.error(request, " ".join(error.messages))
    url = access.root_of(profile).get_absolute_url()
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
