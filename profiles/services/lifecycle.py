"""The life of a role profile: draft -> in review -> published -> archived, and working drafts.

Design of the working draft. A published profile is never edited in place by HR. Opening the
editor of one only offers a working draft; the HR editor's POST starts it (once): a second
RoleProfile row with ``draft_of`` pointing at the published row, the slug ``<slug>--draft``,
status draft and ``version`` one above the published one. The working draft is edited,
submitted and reviewed like any draft, while hiring managers keep reading the published row.
Approving the working draft copies its content and children into the published row (so the
published profile keeps its id, slug, URL and history), raises the published row's
``version`` and deletes the working draft. ``access.shown_to(user, profile)`` picks the row a
page or PDF shows: the working draft for the force's HR editors and administrators, the
published row for everyone else.

Every function here checks who may do it (PermissionDenied, decided in profiles.access) and whether the profile is in a
state that allows it (TransitionError), records an AuditEntry and, where content changes, a
django-reversion revision (services.editing). Content is copied by services.copying.
"""

import calendar
from datetime import date

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from profiles import rules
from profiles.access import can_edit, can_review, require, root_of, working_draft
from profiles.dates import DatePrecision
from profiles.draft import ProfileDraft
from profiles.models import AuditAction, Status
from profiles.services.copying import (
    apply_snapshot,
    snapshot_from_version,
    snapshot_of,
    working_draft_row,
)
from profiles.services.editing import claim_revision, record, set_revision_meta


class TransitionError(ValidationError):
    """The profile is not in a state that allows this step."""


def _require_status(profile, *statuses):
    if profile.status not in statuses:
        wanted = " or ".join(Status(status).label.lower() for status in statuses)
        raise TransitionError(
            f"“{profile}” is {profile.get_status_display().lower()}; this needs it {wanted}.",
            code="status",
        )


# Which row to edit ---------------------------------------------------------------------------


def object_to_edit(profile, user):
    """The row the editor changes: drafts themselves; a published profile's working draft.

    None for a published profile without a working draft yet: this only reads, so a GET of
    the editor can call it; the draft is started on request with `start_working_draft`.
    """
    require(can_edit(user, profile), "You may not change this profile.")
    if profile.status == Status.PUBLISHED and profile.draft_of_id is None:
        return working_draft(profile)
    _require_status(profile, Status.DRAFT)
    return profile


def start_working_draft(profile, user):
    """Copy a published profile into a new draft row that the force's editors change."""
    require(can_edit(user, profile), "You may not change this profile.")
    _require_status(profile, Status.PUBLISHED)
    with transaction.atomic(), reversion.create_revision():
        draft = working_draft_row(profile)
        apply_snapshot(draft, snapshot_of(profile))
        set_revision_meta(user, f"Working draft of version {profile.version} started.")
        record(draft, user, AuditAction.CREATE, "Started a working draft.")
    return draft


# Transitions -------------------------------------------------------------------------------


def _check_publishable(profile):
    """Every rule of a published profile, on the profile as saved."""
    rules.raise_if_any(rules.check_profile(ProfileDraft.saved(profile), publishing=True))


def _transition(profile, user, action, comment, to_status):
    with transaction.atomic(), reversion.create_revision():
        claim_revision(profile, profile.revision)
        profile.status = to_status
        profile.save()
        set_revision_meta(user, f"{AuditAction(action).label}. {comment}".strip())
        record(profile, user, action, comment)
    return profile


def submit(profile, user, comment=""):
    """Draft → in review, by an HR editor of the force or an administrator."""
    require(can_edit(user, profile), "You may not submit this profile.")
    _require_status(profile, Status.DRAFT)
    _check_publishable(profile)
    return _transition(profile, user, AuditAction.SUBMIT, comment, Status.IN_REVIEW)


def return_to_draft(profile, user, comment):
    """In review → draft with the reviewer's reason."""
    require(can_review(user, profile), "Only a reviewer other than the author may return it.")
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
    require(can_review(user, profile), "Only a reviewer other than the author may approve it.")
    _require_status(profile, Status.IN_REVIEW)
    _check_publishable(profile)
    today = timezone.localdate()
    target = root_of(profile)
    with transaction.atomic(), reversion.create_revision():
        claim_revision(profile, profile.revision)
        if target is not profile:
            claim_revision(target, target.revision)
            apply_snapshot(target, snapshot_of(profile))
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
        set_revision_meta(user, f"Published version {target.version}. {comment}".strip())
        record(target, user, AuditAction.PUBLISH, comment)
    return target


def archive(profile, user, comment=""):
    """Published → archived, by an HR editor of the force or an administrator."""
    require(can_edit(user, profile), "You may not archive this profile.")
    _require_status(profile, Status.PUBLISHED)
    if profile.draft_of_id is None and working_draft(profile) is not None:
        raise TransitionError(
            "Publish or discard the working draft before archiving.", code="draft"
        )
    return _transition(profile, user, AuditAction.ARCHIVE, comment, Status.ARCHIVED)


def discard(profile, user):
    """Delete a working draft; the published profile stays as it is."""
    require(can_edit(user, profile), "You may not discard this draft.")
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
    require(can_edit(user, root), "You may not change this profile.")
    snapshot = snapshot_from_version(version)
    if root.status in (Status.PUBLISHED, Status.ARCHIVED):
        target = working_draft(root)
        if target is None:
            target = working_draft_row(root)
    else:
        target = root
    when = timezone.localtime(version.revision.date_created).strftime("%d %B %Y %H:%M")
    comment = f"Restored the version of {when}."
    with transaction.atomic(), reversion.create_revision():
        if target.pk:
            claim_revision(target, target.revision)
        apply_snapshot(target, snapshot, status=Status.DRAFT)
        reversion.add_to_revision(target)
        set_revision_meta(user, comment)
        record(target, user, AuditAction.RESTORE, comment)
    return target
