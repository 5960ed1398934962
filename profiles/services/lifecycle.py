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

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from profiles import rules
from profiles.access import (
    authors,
    can_edit,
    can_review,
    is_administrator,
    membership_of,
    require,
    root_of,
    working_draft,
)
from profiles.draft import ProfileDraft
from profiles.models import AuditAction, OfficerOrStaff, Role, Status
from profiles.services.copying import (
    apply_snapshot,
    snapshot_from_version,
    snapshot_of,
    working_draft_row,
)
from profiles.services.editing import claim_revision, record, set_revision_meta


class TransitionError(ValidationError):
    """The profile is not in a state that allows this step."""


# What each step is called in a message: "… so it cannot be <done>."
STEP_WORDS = {
    "edit": "edited",
    "start": "given a working draft",
    "submit": "submitted",
    "return": "returned to draft",
    "approve": "approved",
    "archive": "archived",
    "discard": "discarded",
}


# What a profile in each status is, and what one that allows a step is called.
STATUS_IS = {"draft": "a draft", "in_review": "in review", "published": "published"}
STATUS_WANTED = {
    "draft": "a draft",
    "in_review": "a profile in review",
    "published": "a published profile",
}


def _require_status(profile, step, *statuses):
    if profile.status not in statuses:
        now = STATUS_IS.get(profile.status, profile.get_status_display().lower())
        wanted = " or ".join(STATUS_WANTED[status] for status in statuses)
        done = STEP_WORDS[step]
        raise TransitionError(
            f"“{profile}” is {now}, so it cannot be {done} now. Only {wanted} can be {done}.",
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
    _require_status(profile, "edit", Status.DRAFT)
    return profile


def start_working_draft(profile, user):
    """Copy a published profile into a new draft row that the force's editors change."""
    require(can_edit(user, profile), "You may not change this profile.")
    _require_status(profile, "start", Status.PUBLISHED)
    with transaction.atomic(), reversion.create_revision():
        draft = working_draft_row(profile)
        apply_snapshot(draft, snapshot_of(profile))
        set_revision_meta(user, f"Working draft of version {profile.version} started.")
        record(draft, user, AuditAction.CREATE, "Started a working draft.")
    return draft


# Transitions -------------------------------------------------------------------------------


def stored_words(label):
    """A choice's label as the record keeps it (an audit entry, a signature printed on the
    profile): in the site's language, whatever language the user reads the interface in."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def _check_publishable(profile):
    """Every rule of a published profile, on the profile as saved."""
    rules.raise_if_any(rules.check_profile(ProfileDraft.saved(profile), publishing=True))


def _transition(profile, user, action, comment, to_status):
    with transaction.atomic(), reversion.create_revision():
        claim_revision(profile, profile.revision)
        profile.status = to_status
        profile.save()
        set_revision_meta(user, f"{stored_words(AuditAction(action).label)}. {comment}".strip())
        record(profile, user, action, comment)
    return profile


def submit(profile, user, comment=""):
    """Draft → in review, by an HR editor of the force or an administrator."""
    require(can_edit(user, profile), "You may not submit this profile.")
    _require_status(profile, "submit", Status.DRAFT)
    _check_publishable(profile)
    return _transition(profile, user, AuditAction.SUBMIT, comment, Status.IN_REVIEW)


def return_to_draft(profile, user, comment):
    """In review → draft with the reviewer's reason."""
    require(can_review(user, profile), "Only a reviewer other than the author may return it.")
    _require_status(profile, "return", Status.IN_REVIEW)
    if not comment.strip():
        raise TransitionError("Say why the profile goes back to draft.", code="comment")
    return _transition(profile, user, AuditAction.RETURN, comment, Status.DRAFT)


def approver_name(user):
    """How an approval is signed: the person's name and role ("Jo Bloggs, HR editor")."""
    membership = membership_of(user)
    role = stored_words(Role(membership.role).label) if membership is not None else ""
    if is_administrator(user):
        role = "Administrator"
    name = user.get_full_name() or user.get_username()
    return f"{name}, {role}" if role else name


def _shown(profile, name):
    if name == "vetting_level":
        return profile.vetting_level.code
    if name == "officer_or_staff":
        value = profile.officer_or_staff
        return stored_words(OfficerOrStaff(value).label) if value else ""
    return getattr(profile, name)


def _fill_defaults(target):
    """Write the force's defaults into the fields the profile leaves empty (rules.DEFAULTED_FIELDS):
    the published profile keeps what it was approved with; a comment for the audit trail."""
    force = target.force
    filled = []
    for name in rules.defaulted(
        {name: getattr(target, name) for name in rules.DEFAULTED_FIELDS},
        rules.force_defaults(force),
    ):
        setattr(target, name, getattr(force, f"default_{name}"))
        filled.append(f"{target._meta.get_field(name).verbose_name} {_shown(target, name)}")
    return f"Force defaults used: {'; '.join(filled)}." if filled else ""


def approve(profile, user, comment=""):
    """In review → published, by a reviewer; sets the approval fields and the version.

    The dates the document states (date reviewed, review due) are kept as they are: approval
    sets the approval fields only. Fields the profile leaves empty take the force's defaults
    (rules.DEFAULTED_FIELDS), said in the audit trail. A working draft
    is copied into its published profile, which is returned; the working draft row is deleted.
    """
    require(can_review(user, profile), "Only a reviewer other than the author may approve it.")
    _require_status(profile, "approve", Status.IN_REVIEW)
    _check_publishable(profile)
    today = timezone.localdate()
    target = root_of(profile)
    alone = user.pk in authors(profile)
    with transaction.atomic(), reversion.create_revision():
        claim_revision(profile, profile.revision)
        if target is not profile:
            claim_revision(target, target.revision)
            apply_snapshot(target, snapshot_of(profile))
            target.version = profile.version
        target.status = Status.PUBLISHED
        notes = [_fill_defaults(target)]
        if alone:
            notes.append(f"Approved by one person: {target.force.single_approver_reason}")
        target.approved_by = approver_name(user)
        target.approved_on = today
        target.save()
        if target is not profile:
            profile.delete()
        reversion.add_to_revision(target)
        comment = " ".join([comment, *notes]).strip()
        set_revision_meta(user, f"Published version {target.version}. {comment}".strip())
        record(target, user, AuditAction.PUBLISH, comment)
    return target


def archive(profile, user, comment=""):
    """Published → archived, by an HR editor of the force or an administrator."""
    require(can_edit(user, profile), "You may not archive this profile.")
    _require_status(profile, "archive", Status.PUBLISHED)
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
    _require_status(profile, "discard", Status.DRAFT)
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
