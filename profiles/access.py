"""Who may do what with role profiles, decided once, and the lookups that enforce it.

Every view, form and template asks this module; nothing else looks at a user's membership
or staff flag to decide. The rules:

- administrators (staff) read, create, change and review everything;
- an HR editor reads and changes every profile of their own force and creates profiles
  there; they review a profile in review that they neither last edited nor submitted;
- a hiring manager reads their force's published profiles, and so does the force's vetting
  unit, which also reads the force's vetting register;
- an approver reads what a hiring manager reads and their force's profiles in review, and
  approves or returns those (as a second HR editor does); they change nothing else;
- every signed-in user reads the published profiles of national publishers (a Force with
  ``national`` set, such as the College of Policing: profiles.services.national);
- anyone else (no membership, anonymous) reads nothing.

`get_profile_for_user(request, force_slug, slug, purpose)` is the one way a request reaches a
profile: 404 for what the user may not read, 403 for what they may read but not change (or
review), and otherwise the row the purpose needs (the working draft an HR editor works on or
a reviewer reviews, or the published row its history belongs to). See profiles.services.lifecycle for working drafts.
It runs past 400 lines because who may do what and the lookups that enforce it are one
decision: split, a view could ask one half and skip the other.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.db.models import Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from profiles.compiled import CompiledQuery
from profiles.models import (
    AuditAction,
    AuditEntry,
    Force,
    FormerSlug,
    ImportBatch,
    Role,
    RoleProfile,
    Status,
)

# What get_profile_for_user is asked for.
READ = "read"  # the row this user is shown: an HR editor's working draft, else the row itself
EDIT = "edit"  # the row this user works on (as READ), 403 unless they may change it
HISTORY = "history"  # the published row (or a plain draft) whose history this is, 403 as EDIT
REVIEW = "review"  # the row a reviewer approves or returns (as EDIT), 403 unless may_review
PURPOSES = (READ, EDIT, HISTORY, REVIEW)

PROFILE_RELATED = ("force", "grade", "grade_to", "vetting_level", "framework")
User = get_user_model()


# Who someone is --------------------------------------------------------------------------------


def membership_of(user):
    """The user's membership (loaded with them by profiles.backends), or None."""
    if not user.is_authenticated:
        return None
    return getattr(user, "membership", None)


def force_acted_for(user, **chosen):
    """The force this user acts for (imports, libraries, a new profile, the review dashboard).

    A member acts for their own force, whatever `chosen` says; an administrator for the force
    `chosen` names (``slug=...`` or ``pk=...``, as a page's parameter gives it), or None when
    it names none, or none that exists. None for a user without a force.
    """
    if is_administrator(user):
        chosen = {name: value for name, value in chosen.items() if value}
        if not chosen:
            return None
        try:
            return Force.objects.filter(**chosen).first()
        except (ValueError, ValidationError):
            return None  # a pk that is not a number
    membership = membership_of(user)
    return membership.force if membership is not None else None


def is_administrator(user):
    return user.is_authenticated and user.is_staff


def is_hr_editor(user, force_id=None):
    """An HR editor (of the force `force_id`, when given)."""
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role == Role.HR_EDITOR
        and (force_id is None or membership.force_id == force_id)
    )


def is_approver(user, force_id):
    """An approver of the force `force_id` (given by an identity-provider group, accounts)."""
    membership = membership_of(user)
    return (
        membership is not None
        and membership.role == Role.APPROVER
        and membership.force_id == force_id
    )


# What they may do ------------------------------------------------------------------------------


def readable(queryset, user):
    """The profiles of `queryset` this user may read (the SQL form of can_read)."""
    if is_administrator(user):
        return queryset
    membership = membership_of(user)
    if membership is None:
        return queryset.none()
    mine = queryset.filter(force_id=membership.force_id)
    if membership.role == Role.HR_EDITOR:
        return mine
    return mine.filter(status__in=readable_statuses(user))


def readable_statuses(user):
    """The statuses of their own force's profiles that a user other than an HR editor reads."""
    membership = membership_of(user)
    if membership is not None and membership.role == Role.APPROVER:
        return [Status.PUBLISHED, Status.IN_REVIEW]
    return [Status.PUBLISHED]


def readable_national(queryset):
    """Published profiles of national publishers, which every signed-in user reads.

    Kept apart from `readable`: an OR with it would cost the list its index on the force.
    """
    return queryset.filter(force__national=True).published()


def can_read(user, profile):
    """Whether this user may read the profile (the Python form of readable and
    readable_national)."""
    if is_administrator(user):
        return True
    if user.is_authenticated and profile.force.national and profile.status == Status.PUBLISHED:
        return True
    membership = membership_of(user)
    if membership is None or membership.force_id != profile.force_id:
        return False
    return membership.role == Role.HR_EDITOR or profile.status in readable_statuses(user)


def can_edit(user, profile):
    """HR editors of the profile's force and administrators change profiles."""
    return is_administrator(user) or is_hr_editor(user, profile.force_id)


def can_create(user, force=None):
    """Administrators create profiles in any force; HR editors in their own (any, if None)."""
    if is_administrator(user):
        return True
    return is_hr_editor(user, None if force is None else force.pk)


def derive_refusal(user, parent, force):
    """Why `user` may not derive a profile for `force` from `parent` (an exception to raise),
    or None if they may: a published national profile, by an administrator or an HR editor of
    `force`, for a force that is not itself a national publisher."""
    if not parent.force.national or parent.status != Status.PUBLISHED:
        return ValidationError(
            "Only a published national profile can be derived from.", code="derive"
        )
    if force is None or not can_create(user, force):
        return PermissionDenied("Only HR editors of a force derive its profiles.")
    if force.national:
        return ValidationError("A national publisher does not derive profiles.", code="derive")
    return None


def may_derive(user, parent):
    """Whether the read page of `parent` offers this user to derive it for their force."""
    membership = membership_of(user)
    return membership is not None and derive_refusal(user, parent, membership.force) is None


def can_see_reviews(user):
    """The review dashboard is for those who create and keep profiles."""
    return can_create(user)


def can_change_style(user, force):
    """A force's house style (how its PDFs print): administrators and its HR editors."""
    return is_administrator(user) or is_hr_editor(user, force.pk)


def can_see_force_reports(user, force):
    """A force's wording and similar-profiles reports: administrators and its HR editors."""
    return can_change_style(user, force)


def can_see_vetting_register(user, force):
    """A force's register of posts by vetting level: administrators, its HR editors and its
    vetting unit."""
    if is_administrator(user):
        return True
    membership = membership_of(user)
    return (
        membership is not None
        and membership.force_id == force.pk
        and membership.role in (Role.HR_EDITOR, Role.VETTING_UNIT)
    )


def readable_forces(queryset, user):
    """The forces of `queryset` whose profiles this user may read: their own and the
    national publishers."""
    if is_administrator(user):
        return queryset
    return queryset.filter(Q(memberships__user=user) | Q(national=True)).distinct()


def can_use_force(user, force):
    """Force-wide pages (the zip of its PDFs): administrators and the force's own people."""
    if is_administrator(user):
        return True
    membership = membership_of(user)
    return membership is not None and membership.force_id == force.pk


def _last_user(profile, actions):
    return (
        AuditEntry.objects.filter(subject_id=profile.pk, action__in=actions)
        .order_by("-at", "-pk")
        .values_list("user_id", flat=True)
        .first()
    )


def authors(profile):
    """Ids of the users who last edited and who submitted this draft."""
    return {
        _last_user(profile, [AuditAction.CREATE, AuditAction.EDIT, AuditAction.RESTORE]),
        _last_user(profile, [AuditAction.SUBMIT]),
    } - {None}


def may_review(user, profile):
    """Whether the user reviews profiles of this force at all: administrators, its HR
    editors and its approvers (can_review says whether this one, as it stands)."""
    return (
        is_administrator(user)
        or is_hr_editor(user, profile.force_id)
        or is_approver(user, profile.force_id)
    )


def can_review(user, profile):
    """Administrators, or an HR editor or approver of the force other than the author or
    submitter; any of them in a force that chose single-person approval
    (Force.single_approver_reason)."""
    if is_administrator(user):
        return True
    if not may_review(user, profile):
        return False
    return bool(profile.force.single_approver_reason) or user.pk not in authors(profile)


def _last_user_id(profile, actions):
    """The id of who last took one of `actions` on the profile, 0 for no one, in SQL."""
    last = (
        AuditEntry.objects.filter(subject_id=profile.pk, action__in=actions)
        .order_by("-at", "-pk")
        .values("user_id")[:1]
    )
    return Coalesce(Subquery(last), 0)


def approvers(profile):
    """The HR editors and approvers of the profile's force who may approve it as it stands
    (administrators aside): all of them under single-person approval, else those who are not
    its authors (as can_review decides). One query."""
    users = User.objects.filter(
        membership__force_id=profile.force_id,
        membership__role__in=[Role.HR_EDITOR, Role.APPROVER],
        is_active=True,
    ).order_by("first_name", "last_name", "username")
    if not profile.force.single_approver_reason:
        users = users.exclude(
            pk=_last_user_id(profile, [AuditAction.CREATE, AuditAction.EDIT, AuditAction.RESTORE])
        ).exclude(pk=_last_user_id(profile, [AuditAction.SUBMIT]))
    return list(users)


def allowed_steps(user, profile):
    """The workflow steps this user may take on the row they are shown (see READ).

    Costs at most two queries, for the reviewer check, and only for users who may change
    or review the profile; an approver's page of a published profile asks (one query) for
    its working draft in review. The services refuse the same steps again when asked
    (PermissionDenied).
    """
    in_review = profile.status == Status.IN_REVIEW
    if not can_edit(user, profile):
        if not is_approver(user, profile.force_id):
            return {"can_edit": False}
        reviewer = in_review and can_review(user, profile)
        draft = None
        if profile.draft_of_id is None and profile.status == Status.PUBLISHED:
            draft = working_draft(profile)
        return {
            "can_edit": False,
            "root": root_of(profile),
            "is_working_draft": profile.draft_of_id is not None,
            "can_approve": reviewer,
            "can_return": reviewer,
            "draft_in_review": draft if draft and draft.status == Status.IN_REVIEW else None,
        }
    reviewer = in_review and can_review(user, profile)
    return {
        "can_edit": True,
        "root": root_of(profile),
        "is_working_draft": profile.draft_of_id is not None,
        # The editor opens on a draft, or starts a working draft of a published profile.
        "can_open_editor": profile.status == Status.DRAFT
        or (profile.status == Status.PUBLISHED and profile.draft_of_id is None),
        "can_submit": profile.status == Status.DRAFT,
        "can_approve": reviewer,
        "can_return": reviewer,
        "awaits_other_reviewer": in_review and not reviewer,
        "can_archive": profile.status == Status.PUBLISHED,
        "can_discard": profile.draft_of_id is not None and profile.status == Status.DRAFT,
    }


def require(allowed, message):
    """Raise PermissionDenied with `message` unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)


# Which row ------------------------------------------------------------------------------------


def root_of(profile):
    """The profile a working draft belongs to, or the profile itself."""
    return profile.draft_of if profile.draft_of_id else profile


def working_draft(profile):
    """The working draft of a published profile, or None (a query unless select_related)."""
    try:
        return profile.working_draft
    except RoleProfile.DoesNotExist:
        return None


def shown_to(user, profile):
    """The row a page or PDF shows this user: HR editors see the working draft, others not."""
    if (
        profile.draft_of_id is None
        and profile.status in (Status.PUBLISHED, Status.ARCHIVED)
        and can_edit(user, profile)
    ):
        return working_draft(profile) or profile
    return profile


def under_review(profile):
    """The row a review step acts on: a published profile's working draft, if it has one."""
    if profile.draft_of_id is None and profile.status in (Status.PUBLISHED, Status.ARCHIVED):
        return working_draft(profile) or profile
    return profile


def get_profile_for_user(
    request, force_slug, slug, purpose=READ, *, related=PROFILE_RELATED, fields=None
):
    """The profile row for `purpose` (READ, EDIT, HISTORY or REVIEW) that this user may have.

    404 if the user may not read the profile; 403 for EDIT and HISTORY unless they may
    change it, for REVIEW unless they review the force's profiles (may_review). `related` names what is fetched with it, `fields` (for `only()`) limits the
    columns read: a view that needs less asks for less.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"Unknown purpose {purpose!r}.")
    profiles = readable(RoleProfile.objects.select_related(*related), request.user)
    if fields is not None:
        profiles = profiles.only(*fields)
    try:
        profile = profiles.get(force__slug=force_slug, slug=slug)
    except RoleProfile.DoesNotExist:
        # Only then a second look, among the national profiles every signed-in user reads.
        if not request.user.is_authenticated:
            raise Http404("No such profile.") from None
        national = RoleProfile.objects.select_related(*related)
        if fields is not None:
            national = national.only(*fields)
        profile = readable_national(national).filter(force__slug=force_slug, slug=slug).first()
        if profile is None:
            raise_if_moved(request, force_slug, slug)
            raise Http404("No such profile.") from None
    if purpose == REVIEW:
        require(may_review(request.user, profile), "You may read this profile but not review it.")
        return under_review(profile)
    if purpose != READ:
        require(can_edit(request.user, profile), "You may read this profile but not change it.")
    if purpose == HISTORY:
        return root_of(profile)
    return shown_to(request.user, profile)


# A PDF download's lookup: one query, compiled once ----------------------------------------------

# What a download reads of the profile, its force and its working draft (permissions, the
# cache, the filename); the rest of each row loads if asked for, as with only().
_DOWNLOAD_PROFILE = ("id", "slug", "title", "status", "draft_of_id", "force_id")
_DOWNLOAD_FORCE = ("id", "name", "slug", "default_language", "national")


def _in_field_order(model, names):
    """`names` (attnames) in the order of the model's columns, as Model.from_db takes them."""
    return [field.attname for field in model._meta.concrete_fields if field.attname in names]


@cache
def _download_columns():
    """The profile's and the force's columns a download reads, in the order of each model's."""
    return _in_field_order(RoleProfile, _DOWNLOAD_PROFILE), _in_field_order(Force, _DOWNLOAD_FORCE)


def _download_query(force_slug, slug):
    profile_columns, force_columns = _download_columns()
    return RoleProfile.objects.filter(force__slug=force_slug, slug=slug).values_list(
        *profile_columns,
        *(f"force__{name}" for name in force_columns),
        *(f"working_draft__{name}" for name in profile_columns),
    )


# The same for every download but its two values, and compiling it cost more than the rest of
# a cached download's lookup.
_DOWNLOAD = CompiledQuery(_download_query, force_slug="\x00force-slug\x00", slug="\x00slug\x00")


def _download_row(force_slug, slug):
    """The profile at force_slug/slug as (profile, working draft or None), or None if none."""
    alias = router.db_for_read(RoleProfile)
    rows = _DOWNLOAD.rows(alias, force_slug=force_slug, slug=slug)
    if not rows:
        return None
    row = rows[0]
    profile_columns, force_columns = _download_columns()
    width, force_width = len(profile_columns), len(force_columns)
    force = Force.from_db(alias, force_columns, row[width : width + force_width])
    profile = RoleProfile.from_db(alias, profile_columns, row[:width])
    profile._state.fields_cache["force"] = force
    draft_values = row[width + force_width :]
    draft = None
    if draft_values[profile_columns.index("id")] is not None:
        draft = RoleProfile.from_db(alias, profile_columns, draft_values)
        if draft.force_id != profile.force_id:
            return None  # not a working draft as lifecycle makes them: the general lookup
        draft._state.fields_cache["force"] = force
        draft._state.fields_cache["draft_of"] = profile
    profile._state.fields_cache["working_draft"] = draft
    return profile


def profile_for_download(request, force_slug, slug):
    """get_profile_for_user(request, force_slug, slug, READ) for a PDF download, with the
    profile (and the working draft shown instead) holding only the columns a download
    reads, and the force's name, slug, default language and national flag.

    One query, whose SQL is compiled once per process: can_read (the Python form of
    readable and readable_national) decides on the row found; anything it refuses, and
    anything not found, goes the general way, which answers 404 (or a moved profile's
    redirect) as for every other page.
    """
    profile = _download_row(force_slug, slug)
    if profile is None or not can_read(request.user, profile):
        return get_profile_for_user(request, force_slug, slug, READ)
    return shown_to(request.user, profile)


class ProfileMoved(Exception):
    """A profile asked for at a slug it had before its title was corrected; the
    profiles.middleware.ProfileMovedMiddleware answers with a redirect to its address now."""

    def __init__(self, profile):
        super().__init__(f"{profile} has moved to {profile.slug}.")
        self.profile = profile


def raise_if_moved(request, force_slug, slug):
    """Raise ProfileMoved if the slug was a profile's that this user may read (GET only)."""
    if request.method not in ("GET", "HEAD"):
        return
    former = (
        FormerSlug.objects.select_related("profile__force")
        .filter(force__slug=force_slug, slug=slug)
        .first()
    )
    if former is not None and can_read(request.user, former.profile):
        raise ProfileMoved(former.profile)


def get_force_for_user(request, force_slug):
    """The force, if this user works for it (or is an administrator); 404 otherwise."""
    force = get_object_or_404(Force, slug=force_slug)
    if not can_use_force(request.user, force):
        raise Http404("No such force.")
    return force


def get_import_batch_for_user(request, pk):
    """An import batch of a force this user imports into (HR editors: their own, staff: any).

    404 for anyone else, as for a profile they may not read.
    """
    batches = ImportBatch.objects.select_related("force")
    if not is_administrator(request.user):
        membership = membership_of(request.user)
        if membership is None or membership.role != Role.HR_EDITOR:
            raise Http404("No such import.")
        batches = batches.filter(force_id=membership.force_id)
    return get_object_or_404(batches, pk=pk)
