"""One change to many of a force's profiles: a text replaced everywhere, or a framework move.

Both work the same way. Every profile the change reaches gets its change in a working draft
(a published profile's working draft, started if need be, or the draft itself), saved as a
version of its own with an audit entry, and submitted for review; a `BulkChange` remembers
which profiles it reached and what it could not do. A second HR editor then approves them
together (`approve_together`), or one by one on each profile's page as usual.

- `replace_text(force, old, new, user)`: every text a profile carries (purpose, headings,
  introductions, items, criteria, post details) that contains `old`, with `new` instead. A
  force standard section (printed on every profile of the force) that contains it reaches
  every profile: its text changes when the change is approved, and each profile gets a new
  version then.
- `move_framework(force, user)`: every profile still on CVF 2016 moves to CVF 2024, each
  behaviour to the level that replaces it (`CompetencyLevel.replaces`, national data);
  behaviours with no replacement are named in the notes and left out of the draft.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from competencies.models import CompetencyLevel, Framework
from profiles.access import can_edit, require, working_draft
from profiles.models import BulkChange, RoleProfile, StandardSection, Status
from profiles.services import lifecycle
from profiles.services.copying import apply_snapshot, snapshot_of
from profiles.services.editing import guarded_save

OLD_FRAMEWORK, NEW_FRAMEWORK = "cvf-2016", "cvf-2024"
# Profile fields and row fields that hold text a person wrote, where a replacement may go.
TEXT_WHERE = (
    "purpose",
    "sections__heading",
    "sections__intro",
    "sections__items__subheading",
    "sections__items__text",
    "criteria__heading",
    "criteria__text",
    "post_details__label",
    "post_details__value",
)


class BulkChangeError(ValidationError):
    """The change cannot be made as asked; nothing was changed."""


def current_profiles(force):
    """The force's profiles a change may reach: not archived, not working drafts."""
    return RoleProfile.objects.filter(force=force, draft_of=None).exclude(status=Status.ARCHIVED)


def standard_sections_using(force, old):
    return [
        standard
        for standard in StandardSection.objects.filter(force=force).order_by("order", "pk")
        if old in standard.heading or old in standard.body
    ]


def profiles_using(force, old):
    """The force's current profiles that carry `old` (in their own text or their working
    draft's), or all of them if a force standard section carries it; by title."""
    if not old:
        return RoleProfile.objects.none()
    profiles = current_profiles(force)
    if standard_sections_using(force, old):
        return profiles.order_by("title", "slug")
    carries = Q()
    for where in TEXT_WHERE:
        carries |= Q(**{f"{where}__contains": old})
    rows = RoleProfile.objects.filter(force=force).filter(carries)
    roots = rows.values("draft_of_id", "pk")
    pks = {row["draft_of_id"] or row["pk"] for row in roots}
    return profiles.filter(pk__in=pks).order_by("title", "slug")


def _replaced(value, old, new):
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_replaced(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: _replaced(item, old, new) for key, item in value.items()}
    return value


def row_to_change(profile, user):
    """The row that takes the change: the draft itself or a published profile's working
    draft (started now if it has none); a profile in review is not changed under its reviewer."""
    if profile.status == Status.PUBLISHED:
        draft = working_draft(profile)
        if draft is None:
            return lifecycle.start_working_draft(profile, user)
        profile = draft
    if profile.status != Status.DRAFT:
        raise lifecycle.TransitionError(
            "It is in review: approve it or return it to draft first.", code="status"
        )
    return profile


def _change_each(change, profiles, user, comment, alter):
    """Apply `alter(snapshot) -> notes` to each profile's draft, save it, submit it."""
    for profile in profiles:
        try:
            with transaction.atomic():
                row = row_to_change(profile, user)
                snapshot = alter(snapshot_of(row))
                with guarded_save(row, row.revision, user, comment):
                    apply_snapshot(row, snapshot)
        except ValidationError as error:
            change.notes.append(_note(profile, " ".join(error.messages)))
            continue
        change.profiles.add(profile)
        try:
            lifecycle.submit(row, user, comment)
        except ValidationError as error:
            change.notes.append(_note(profile, "Left as a draft: " + " ".join(error.messages)))
    change.save()
    return change


def _note(profile, message):
    return {"profile": profile.slug, "title": profile.title, "message": message}


def replace_text(force, old, new, user):
    """Replace `old` with `new` in every profile of the force that carries it (see above)."""
    old, new = old.strip(), new.strip()
    if not old:
        raise BulkChangeError("Say which text to change.", code="old")
    if old == new:
        raise BulkChangeError("The new text is the same as the old.", code="same")
    profiles = list(profiles_using(force, old))
    if not profiles:
        raise BulkChangeError(f"No profile of {force.name} carries “{old}”.", code="unused")
    require(can_edit(user, profiles[0]), "Only the force's HR editors change its profiles.")
    comment = f"Bulk change: “{old}” replaced with “{new}”."
    change = BulkChange.objects.create(
        force=force, kind=BulkChange.Kind.TEXT, old_text=old, new_text=new, created_by=user
    )
    return _change_each(change, profiles, user, comment, lambda s: _replaced(s, old, new))


def move_framework(force, user):
    """Move every profile of the force on CVF 2016 to CVF 2024 (see above)."""
    old = Framework.objects.get(code=OLD_FRAMEWORK)
    new = Framework.objects.get(code=NEW_FRAMEWORK)
    profiles = list(
        current_profiles(force)
        .filter(Q(framework=old) | Q(working_draft__framework=old))
        .order_by("title", "slug")
    )
    if not profiles:
        raise BulkChangeError(f"No profile of {force.name} is on {old.name}.", code="unused")
    require(can_edit(user, profiles[0]), "Only the force's HR editors change its profiles.")
    successors = {}
    for replaced, successor in CompetencyLevel.objects.filter(
        competency__framework=new, replaces__competency__framework=old
    ).values_list("replaces", "pk"):
        successors.setdefault(replaced, successor)
    names = dict(
        CompetencyLevel.objects.filter(competency__framework=old)
        .select_related("competency")
        .values_list("pk", "competency__name")
    )
    change = BulkChange.objects.create(
        force=force,
        kind=BulkChange.Kind.FRAMEWORK,
        old_text=old.name,
        new_text=new.name,
        created_by=user,
    )
    comment = f"Bulk change: moved from {old.name} to {new.name}."

    def alter(snapshot):
        snapshot["fields"]["framework_id"] = new.pk
        kept = []
        for behaviour in snapshot["behaviours"]:
            successor = successors.get(behaviour["level_id"])
            if successor is None:
                name = names.get(behaviour["level_id"], "A behaviour")
                change.notes.append(
                    {
                        "profile": snapshot["fields"].get("title", ""),
                        "title": snapshot["fields"].get("title", ""),
                        "message": f"{name}: no {new.name} level replaces it, so it was "
                        "left out of the draft.",
                    }
                )
                continue
            kept.append({**behaviour, "level_id": successor})
        snapshot["behaviours"] = kept
        return snapshot

    return _change_each(change, profiles, user, comment, alter)


def approve_together(change, user, comment=""):
    """Approve every working draft of the change still in review, in one transaction: all
    are published, or none (the error names the profile). A text found in force standard
    sections changes there too."""
    require(change.approved_at is None, "This change has been approved already.")
    with transaction.atomic():
        approved = []
        for profile in change.profiles.select_related("force").order_by("title", "slug"):
            row = working_draft(profile) if profile.status == Status.PUBLISHED else profile
            if row is None or row.status != Status.IN_REVIEW:
                continue
            try:
                approved.append(lifecycle.approve(row, user, comment or change.description))
            except ValidationError as error:
                raise BulkChangeError(
                    f"{profile.title}: {' '.join(error.messages)} Nothing was approved."
                ) from error
        if change.kind == BulkChange.Kind.TEXT:
            for standard in standard_sections_using(change.force, change.old_text):
                standard.heading = standard.heading.replace(change.old_text, change.new_text)
                standard.body = standard.body.replace(change.old_text, change.new_text)
                standard.save(update_fields=["heading", "body"])
        change.approved_by, change.approved_at = user, timezone.now()
        change.save(update_fields=["approved_by", "approved_at"])
    return approved
