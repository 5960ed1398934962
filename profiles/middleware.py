"""Answer a request for a profile at its former slug with a redirect to its address now."""

from django.http import HttpResponseRedirect
from django.urls import reverse

from profiles.access import ProfileMoved


class ProfileMovedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ProfileMoved):
            return None
        match = request.resolver_match
        url = reverse(match.view_name, kwargs={**match.kwargs, "slug": exception.profile.slug})
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(f"{url}?{query}" if query else url)
