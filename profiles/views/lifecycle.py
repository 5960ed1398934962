"""Pages and actions of a profile's life: workflow steps, history, compare, restore, reviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from profiles import access
from profiles.models import REVIEW_WARNING_DAYS, Force, RoleProfile
from profiles.printing import styles
from profiles.services import copying, editing, history, lifecycle, national
from profiles.views import editable


def _back(profile):
    return redirect(access.root_of(profile).get_absolute_url())


def _step(request, force_slug, slug, step, success, purpose=access.EDIT):
    # A step is taken on the working draft an HR editor works on (or a reviewer reviews), or
    # (archiving) on the published row itself.
    target = access.get_profile_for_user(request, force_slug, slug, purpose)
    comment = request.POST.get("comment", "").strip()
    try:
        result = step(target, request.user, comment)
    except editing.StaleProfile:
        messages.error(request, _("Someone else changed this profile just now; try again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success % {"title": result, "version": result.version})
    return _back(target)


@login_required
@require_POST
def submit(request, force_slug, slug):
    return _step(request, force_slug, slug, lifecycle.submit, _("“%(title)s” is now in review."))


@login_required
@require_POST
def approve(request, force_slug, slug):
    return _step(
        request,
        force_slug,
        slug,
        lifecycle.approve,
        _("“%(title)s” is published as version %(version)s."),
        purpose=access.REVIEW,
    )


@login_required
@require_POST
def return_to_draft(request, force_slug, slug):
    return _step(
        request,
        force_slug,
        slug,
        lifecycle.return_to_draft,
        _("“%(title)s” is back in draft."),
        purpose=access.REVIEW,
    )


@login_required
@require_POST
def archive(request, force_slug, slug):
    return _step(
        request,
        force_slug,
        slug,
        lifecycle.archive,
        _("“%(title)s” is archived."),
        purpose=access.HISTORY,
    )


@login_required
@require_POST
def discard(request, force_slug, slug):
    return _step(
        request,
        force_slug,
        slug,
        lambda target, user, comment: lifecycle.discard(target, user),
        _("The working draft is discarded; “%(title)s” stays as published."),
    )


@login_required
@require_POST
def start_draft(request, force_slug, slug):
    """Start the working draft of a published profile, once, and open its editor."""
    profile, draft, refused = editable.row_to_edit(request, force_slug, slug)
    if refused:
        return refused
    try:
        if draft is None:
            draft = lifecycle.start_working_draft(profile, request.user)
            messages.success(
                request,
                _(
                    "Started a working draft of “%(title)s”. Hiring managers keep seeing "
                    "version %(version)s until it is approved."
                )
                % {"title": profile, "version": profile.version},
            )
    except ValidationError as error:
        return editable.refused(request, profile, error)
    return redirect("profiles:edit", force_slug, draft.slug)


@login_required
def profile_history(request, force_slug, slug):
    profile = access.get_profile_for_user(request, force_slug, slug, access.HISTORY)
    versions = [
        (version, history.describe(version, profile)) for version in history.versions_of(profile)
    ]
    audit = profile.audit.select_related("user")
    return render(
        request,
        "lifecycle/history.html",
        {"profile": profile, "versions": versions, "audit": audit},
    )


def _version(profile, version_id):
    """A stored version of this profile or of one of its working drafts, else 404."""
    if version_id is None:
        return None
    try:
        return history.versions_of(profile).get(pk=version_id)
    except (history.Version.DoesNotExist, ValueError) as error:
        raise Http404("No such version of this profile.") from error


def _seen_version(profile, subject_id, since):
    """The newest stored version of a row at or before the revision a user saw."""
    for version in history.versions_of(profile).filter(object_id=str(subject_id)):
        if version.field_dict["revision"] <= since:
            return version
    return None


@login_required
def compare(request, force_slug, slug):
    profile = access.get_profile_for_user(request, force_slug, slug, access.HISTORY)
    newer = _version(profile, request.GET.get("to"))
    older = _version(profile, request.GET.get("from"))
    if newer is None:
        newer = history.versions_of(profile).first()
        if newer is None:
            raise Http404("This profile has no stored versions yet.")
    if older is None and request.GET.get("since", "").isdigit():
        older = _seen_version(profile, newer.object_id, int(request.GET["since"]))
    if older is None and "since" in request.GET:
        # Nothing stored from before that revision: start from the oldest stored version.
        older = history.versions_of(profile).filter(object_id=newer.object_id).last()
    if older is None:
        older = history.versions_of(profile).filter(pk__lt=newer.pk).first() or newer
    if older.revision.date_created > newer.revision.date_created:
        older, newer = newer, older
    changes = history.compare(
        copying.snapshot_from_version(older),
        copying.snapshot_from_version(newer),
        styles.style_of(profile.force)["labels"],
    )
    return render(
        request,
        "lifecycle/compare.html",
        {
            "profile": profile,
            "older": older,
            "newer": newer,
            "older_info": history.describe(older, profile),
            "newer_info": history.describe(newer, profile),
            "changes": changes,
        },
    )


@login_required
@require_POST
def restore(request, force_slug, slug, version_id):
    profile = access.get_profile_for_user(request, force_slug, slug, access.HISTORY)
    version = _version(profile, version_id)
    try:
        draft = lifecycle.restore(profile, version, request.user)
    except editing.StaleProfile:
        messages.error(request, _("Someone else changed this profile just now; try again."))
        return redirect("profiles:history", force_slug, profile.slug)
    messages.success(
        request,
        _(
            "The version of %(number)s saved %(when)s is restored as a draft: "
            "check it, then submit it for review."
        )
        % {
            "number": history.describe(version, profile)["number"],
            "when": date_format(version.revision.date_created, "j F Y H:i"),
        },
    )
    return _back(draft)


@login_required
def review_dashboard(request):
    """Profiles of a force overdue for review, due within 90 days, or derived from a national
    profile that has a newer version."""
    user = request.user
    forces = None
    access.require(access.can_see_reviews(user), "The review dashboard is for HR editors.")
    chosen = request.GET.get("force")
    force = access.force_acted_for(user, slug=chosen)
    if access.is_administrator(user):
        forces = Force.objects.only("slug", "name")
        if chosen and force is None:
            raise Http404("No such force.")
    context = {"forces": forces, "force": force, "warning_days": REVIEW_WARNING_DAYS}
    if force is not None:
        profiles = (
            RoleProfile.objects.filter(force=force)
            .originals()
            .select_related("force", "grade")
            .order_by("review_due", "title")
        )
        context["overdue"] = profiles.overdue()
        context["due"] = profiles.due_within(REVIEW_WARNING_DAYS)
        context["national_updates"] = national.flagged(profiles).select_related("derived_from")
        context["list_url"] = reverse("profiles:list")
    return render(request, "lifecycle/review.html", context)
