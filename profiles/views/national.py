"""Pages for national profiles: derive one for a force, see what the force changed and
what changed nationally since (profiles.services.national)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from profiles import access
from profiles.services import national


@login_required
@require_POST
def derive(request, force_slug, slug):
    parent = access.get_profile_for_user(request, force_slug, slug, access.READ)
    membership = access.membership_of(request.user)
    if membership is None:
        raise PermissionDenied("Only HR editors of a force derive its profiles.")
    try:
        profile = national.derive(parent, membership.force, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(parent.get_absolute_url())
    messages.success(
        request,
        f"Derived “{profile.title}” for {profile.force.name} from version {parent.version} "
        "of the national profile, as a draft.",
    )
    return redirect("profiles:edit", profile.force.slug, profile.slug)


def _derived(request, force_slug, slug, purpose=access.READ):
    profile = access.root_of(access.get_profile_for_user(request, force_slug, slug, purpose))
    if profile.derived_from_id is None:
        raise Http404("This profile is not derived from a national profile.")
    return profile


@login_required
@require_GET
def changes(request, force_slug, slug):
    """What the force changed against its national parent, and what changed nationally."""
    profile = _derived(request, force_slug, slug)
    shown = access.shown_to(request.user, profile)
    return render(
        request,
        "profiles/national_changes.html",
        {
            "profile": profile,
            "parent": profile.derived_from,
            "changes": national.changes_against_parent(profile, shown),
            "update": national.national_update(profile),
            "may_edit": access.can_edit(request.user, profile),
        },
    )


@login_required
@require_POST
def mark_reviewed(request, force_slug, slug):
    profile = _derived(request, force_slug, slug, access.EDIT)
    national.mark_update_reviewed(profile, request.user)
    messages.success(
        request,
        f"Marked version {profile.derived_from_version} of the national profile as reviewed.",
    )
    return redirect(profile.get_absolute_url())
