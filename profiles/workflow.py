"""The life of a role profile: who may move it from draft to review to published to archived.

Design of the working draft. A published profile is never edited in place by HR. Opening the
editor of one only offers a working draft; the HR editor's POST starts it (once): a second
RoleProfile row with ``draft_of`` pointing at the published row, the slug ``<slug>--draft``,
status draft and ``version`` one above the published one. The working draft is edited,
submitted and reviewed like any draft, while hiring managers keep reading the published row.
Approving the working draft copies its content and children into the published row (so the
published profile keeps its id, slug, URL and history), raises the published row's
``version`` and deletes the working draft. ``shown_to(user, profile)`` picks the row a page or
PDF shows: the working draft for the force's HR editors and administrators, the published row
for everyone else.

No lost updates. ``RoleProfile.revision`` is the number a form saw when it was rendered.
``claim_revision`` raises it with one ``UPDATE … WHERE revision = <seen>``; if that touches no
row someone else saved in between, and the save is refused with ``StaleProfile``. On
PostgreSQL the UPDATE holds the row lock until the transaction ends, so of two concurrent saves
exactly one wins.

Every function here checks who may do it (PermissionDenied) and whether the profile is in a
state that allows it (TransitionError), records an AuditEntry and, where content changes, a
django-reversion revision.
"""

import calendar
import contextlib
from datetime import date

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from profiles import history
from profiles.dates import DatePrecision
from profiles.models import AuditAction, AuditEntry, Role, RoleProfile, Status


class TransitionError(ValidationError):
    """The profile is not in a state that allows this step."""


class StaleProfile(Exception):
    """Someone else saved the profile after this user opened it."""

    def __init__(self, profile):
        super().__init__(f"{profile} was saved by someone else in the meantime.")
        self.profile = profile


STALE_MESSAGE = (
    "Someone else saved this profile while you were editing it, so your changes were not saved. "
    "Your input is still on the page: compare it with what changed, then save again."
)


# Who may do what ---------------------------------------------------------------------------


def is_administrator(user):
    return user.is_authenticated and user.is_staff


def is_force_editor(user, force_id):
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return (
        membership is not None
        and membership.role == Role.HR_EDITOR
        and membership.force_id == force_id
    )


def can_edit(user, profile):
    """HR editors of the profile's force and administrators change profiles."""
    return is_administrator(user) or is_force_editor(user, profile.force_id)


def _last_user(profile, actions):
    entry = (
        AuditEntry.objects.filter(subject_id=profile.pk, action__in=actions)
        .order_by("-at", "-pk")
        .values_list("user_id", flat=True)
        .first()
    )
    return entry


def authors(profile):
    """Ids of the users who last edited and who submitted this draft."""
    return {
        _last_user(profile, [AuditAction.CREATE, AuditAction.EDIT, AuditAction.RESTORE]),
        _last_user(profile, [AuditAction.SUBMIT]),
    } - {None}


def can_review(user, profile):
    """Administrators, or another HR editor of the force than the author or submitter."""
    if is_administrator(user):
        return True
    return is_force_editor(user, profile.force_id) and user.pk not in authors(profile)


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _require_status(profile, *statuses):
    if profile.status not in statuses:
        wanted = " or ".join(Status(status).label.lower() for status in statuses)
        raise TransitionError(
            f"“{profile}” is {profile.get_status_display().lower()}; this needs it {wanted}.",
            code="status",
        )


# Which row to show and to edit -------------------------------------------------------------


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


def object_to_edit(profile, user):
    """The row the editor changes: drafts themselves; a published profile's working draft.

    None for a published profile without a working draft yet: this only reads, so a GET of
    the editor can call it; the draft is started on request with `start_working_draft`.
    """
    _require(can_edit(user, profile), "You may not change this profile.")
    if profile.status == Status.PUBLISHED and profile.draft_of_id is None:
        return working_draft(profile)
    _require_status(profile, Status.DRAFT)
    return profile


def start_working_draft(profile, user):
    """Copy a published profile into a new draft row that the force's editors change."""
    _require(can_edit(user, profile), "You may not change this profile.")
    _require_status(profile, Status.PUBLISHED)
    with transaction.atomic(), reversion.create_revision():
        draft = RoleProfile(
            force=profile.force,
            slug=f"{profile.slug[:113]}--draft",
            draft_of=profile,
            status=Status.DRAFT,
            version=profile.version + 1,
        )
        history.apply_snapshot(draft, history.snapshot_of(profile))
        _revision(user, f"Working draft of version {profile.version} started.")
        record(draft, user, AuditAction.CREATE, "Started a working draft.")
    return draft


# No lost updates ---------------------------------------------------------------------------


def claim_revision(profile, seen_revision):
    """Raise the profile's revision if it is still the one the user saw; else StaleProfile.

    Call inside the transaction that saves the profile: the row stays locked until it commits.
    """
    claimed = RoleProfile.objects.filter(pk=profile.pk, revision=seen_revision).update(
        revision=F("revision") + 1
    )
    if not claimed:
        raise StaleProfile(profile)
    profile.revision = seen_revision + 1


def changed_elsewhere(*profile_ids):
    """These profiles changed outside their own form (e.g. an admin's section page): raise
    their revisions, so that a form already open on one of them is refused as stale."""
    RoleProfile.objects.filter(pk__in=profile_ids).update(revision=F("revision") + 1)


def is_stale(profile, seen_revision):
    """Whether the profile moved on since the user saw `seen_revision`; locks the row."""
    current = (
        RoleProfile.objects.select_for_update()
        .filter(pk=profile.pk)
        .values_list("revision", flat=True)
        .first()
    )
    return current != seen_revision


@contextlib.contextmanager
def guarded_save(profile, seen_revision, user, comment="", action=AuditAction.EDIT):
    """Wrap an editor save: refuse a stale one, record a version and an audit entry.

        with workflow.guarded_save(profile, form.cleaned_data["revision"], request.user):
            form.save()
            formset.save()

    Raises StaleProfile (nothing saved) when someone else saved in between.
    """
    with transaction.atomic():
        history.ensure_baseline(profile)
        with reversion.create_revision():
            claim_revision(profile, seen_revision)
            yield profile
            reversion.add_to_revision(profile)
            _revision(user, comment or "Edited in the browser.")
            record(profile, user, action, comment)


def record_creation(profile, user, comment=""):
    """A new profile's first version and its audit entry (the editor's create and copy)."""
    with transaction.atomic(), reversion.create_revision():
        reversion.add_to_revision(profile)
        _revision(user, comment or "Created.")
        record(profile, user, AuditAction.CREATE, comment)


def _revision(user, comment):
    if user is not None and user.is_authenticated:
        reversion.set_user(user)
    reversion.set_comment(comment)


def record(profile, user, action, comment=""):
    """Write who did what to the profile (kept on the published row for a working draft)."""
    return AuditEntry.objects.create(
        profile_id=profile.draft_of_id or profile.pk,
        subject_id=profile.pk,
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        version=profile.version,
        comment=comment,
    )


# Transitions -------------------------------------------------------------------------------


def _check_publishable(profile):
    """All rules of a published profile, on the row as saved (status set only in memory)."""
    status = profile.status
    profile.status = Status.PUBLISHED
    try:
        profile.check_rules()
    finally:
        profile.status = status


def _transition(profile, user, action, comment, to_status):
    with transaction.atomic(), reversion.create_revision():
        claim_revision(profile, profile.revision)
        profile.status = to_status
        profile.save()
        _revision(user, f"{AuditAction(action).label}. {comment}".strip())
        record(profile, user, action, comment)
    return profile


def submit(profile, user, comment=""):
    """Draft → in review, by an HR editor of the force or an administrator."""
    _require(can_edit(user, profile), "You may not submit this profile.")
    _require_status(profile, Status.DRAFT)
    _check_publishable(profile)
    return _transition(profile, user, AuditAction.SUBMIT, comment, Status.IN_REVIEW)


def return_to_draft(profile, user, comment):
    """In review → draft with the reviewer's reason."""
    _require(can_review(user, profile), "Only a reviewer other than the author may return it.")
    _require_status(profile, Status.IN_REVIEW)
    if not comment.strip():
        raise TransitionError("Say why the profile goes back to draft.", code="comment")
    return _transition(profile, user, AuditAction.RETURN, comment, Status.DRAFT)


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def approve(profile, user, comment=""):
    """In review → published, by a reviewer; sets the review dates and the version.

    A working draft is copied into its published profile, which is returned; the working
    draft row is deleted.
    """
    _require(can_review(user, profile), "Only a reviewer other than the author may approve it.")
    _require_status(profile, Status.IN_REVIEW)
    _check_publishable(profile)
    today = timezone.localdate()
    target = root_of(profile)
    with transaction.atomic(), reversion.create_revision():
        claim_revision(profile, profile.revision)
        if target is not profile:
            claim_revision(target, target.revision)
            history.apply_snapshot(target, history.snapshot_of(profile))
            target.version = profile.version
        target.status = Status.PUBLISHED
        target.date_reviewed = today
        target.review_due = add_months(today, target.force.review_period_months)
        target.date_reviewed_precision = target.review_due_precision = DatePrecision.DAY
        target.approved_by = user.get_full_name() or user.get_username()
        target.approved_on = today
        target.save()
        if target is not profile:
            profile.delete()
        reversion.add_to_revision(target)
        _revision(user, f"Published version {target.version}. {comment}".strip())
        record(target, user, AuditAction.PUBLISH, comment)
    return target


def archive(profile, user, comment=""):
    """Published → archived, by an HR editor of the force or an administrator."""
    _require(can_edit(user, profile), "You may not archive this profile.")
    _require_status(profile, Status.PUBLISHED)
    if profile.draft_of_id is None and working_draft(profile) is not None:
        raise TransitionError(
            "Publish or discard the working draft before archiving.", code="draft"
        )
    return _transition(profile, user, AuditAction.ARCHIVE, comment, Status.ARCHIVED)


def discard(profile, user):
    """Delete a working draft; the published profile stays as it is."""
    _require(can_edit(user, profile), "You may not discard this draft.")
    if profile.draft_of_id is None:
        raise TransitionError("Only a working draft can be discarded.", code="draft")
    _require_status(profile, Status.DRAFT)
    with transaction.atomic():
        record(profile, user, AuditAction.DISCARD)
        profile.delete()
    return profile.draft_of


def restore(profile, version, user):
    """Make an earlier version the content of a draft; a published row is never overwritten.

    `profile` is the published profile or a draft; `version` a reversion Version of it.
    Returns the draft that now holds the old content.
    """
    root = root_of(profile)
    _require(can_edit(user, root), "You may not change this profile.")
    snapshot = history.snapshot_from_version(version)
    if root.status in (Status.PUBLISHED, Status.ARCHIVED):
        target = working_draft(root)
        if target is None:
            target = RoleProfile(
                force=root.force,
                slug=f"{root.slug[:113]}--draft",
                draft_of=root,
                version=root.version + 1,
            )
    else:
        target = root
    when = timezone.localtime(version.revision.date_created).strftime("%d %B %Y %H:%M")
    comment = f"Restored the version of {when}."
    with transaction.atomic(), reversion.create_revision():
        if target.pk:
            claim_revision(target, target.revision)
        history.apply_snapshot(target, snapshot, status=Status.DRAFT)
        reversion.add_to_revision(target)
        _revision(user, comment)
        record(target, user, AuditAction.RESTORE, comment)
    return target


def lifecycle_context(user, profile):
    """What the read page needs to show a profile's status and the steps this user may take.

    `profile` is the row the page shows (shown_to). Costs at most two queries, for
    the reviewer check, and only for users who may change the profile.
    """
    if not can_edit(user, profile):
        return {"can_edit": False}
    root = root_of(profile)
    in_review = profile.status == Status.IN_REVIEW
    reviewer = in_review and can_review(user, profile)
    return {
        "can_edit": True,
        "root": root,
        "is_working_draft": profile.draft_of_id is not None,
        "can_submit": profile.status == Status.DRAFT,
        "can_approve": reviewer,
        "can_return": reviewer,
        "awaits_other_reviewer": in_review and not reviewer,
        "can_archive": profile.status == Status.PUBLISHED,
        "can_discard": profile.draft_of_id is not None and profile.status == Status.DRAFT,
    }
