"""Pages for finding and reading role profiles."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from profiles.models import RoleProfile


def get_profile_for_user(request, force_slug, slug):
    """The profile, if this user may read it; 404 otherwise."""
    profiles = RoleProfile.objects.for_user(request.user).select_related(
        "force", "grade", "grade_to", "vetting_level", "framework"
    )
    return get_object_or_404(profiles, force__slug=force_slug, slug=slug)


@login_required
def profile_list(request):
    profiles = RoleProfile.objects.for_user(request.user).select_related("force", "grade")
    return render(request, "profiles/list.html", {"profiles": profiles})


@login_required
def profile_detail(request, force_slug, slug):
    profile = get_profile_for_user(request, force_slug, slug)
    return render(request, "profiles/detail.html", {"profile": profile})
