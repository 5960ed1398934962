"""National profiles (e.g. the College of Policing's PCSO) and the force profiles derived
from them.

A national publisher is a Force row with ``national`` set: every signed-in user reads its
published profiles. A force *derives* its own profile from one: a draft copy that remembers
its parent (``derived_from``) and the parent's version it took in (``derived_from_version``).
What the force changed is the comparison of the parent at that version with the derived
profile; when the parent is published at a newer version, the derived profile is flagged
with what changed nationally until an HR editor marks the new version as reviewed. Both
comparisons are profiles.services.history's.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from profiles import access
from profiles.models import AuditAction, RoleProfile, Status
from profiles.printing import styles
from profiles.services import copying, editing, history

# What a force's profile does not take from the profile it derives from: its review and
# approval are the force's own, so it starts with them empty.
OWN_FIELDS = {
    "date_reviewed": None,
    "review_due": None,
    "approved_by": "",
    "approved_on": None,
}


def is_national(profile):
    return profile.force.national


def flagged(profiles):
    """Derived profiles whose national parent has a version they have not reviewed."""
    return profiles.filter(
        derived_from__isnull=False, derived_from__version__gt=F("derived_from_version")
    )


def _check_derivable(parent, force, user):
    refusal = access.derive_refusal(user, parent, force)
    if refusal is not None:
        raise refusal


def _take_in(profile, parent):
    """Link `profile` to its national parent at the parent's version, keeping the parent as
    it is now, so what the force changes can always be compared with where it started."""
    with reversion.create_revision():
        reversion.add_to_revision(parent)
        reversion.set_comment(f"Version {parent.version} as derived by {profile.force}.")
    profile.derived_from = parent
    profile.derived_from_version = parent.version


def _derived_comment(parent):
    return f"Derived from the national profile “{parent}”, version {parent.version}."


def derive(parent, force, user):
    """A draft of `force` copied from the published national profile `parent`."""
    _check_derivable(parent, force, user)
    with transaction.atomic():
        profile = RoleProfile(
            force=force, title=parent.title, slug=copying.unique_slug(force, parent.title)
        )
        _take_in(profile, parent)
        snapshot = copying.snapshot_of(parent)
        # Grades belong to a force; the derived profile takes its own.
        snapshot["fields"]["grade_id"] = snapshot["fields"]["grade_to_id"] = None
        snapshot["fields"].update(OWN_FIELDS)
        copying.apply_snapshot(profile, snapshot, status=Status.DRAFT)
        editing.record_creation(profile, user, _derived_comment(parent))
    return profile


def derive_from_editor(editor, parent, *, user, nos_units=()):
    """A force's profile from a validated new-profile editor opened on the national `parent`
    (profiles.editor.new_profile): as `derive`, with what the user changed before its first save."""
    _check_derivable(parent, editor.profile.force, user)
    with transaction.atomic():
        _take_in(editor.profile, parent)
        return copying.create_from_editor(
            editor, user=user, comment=_derived_comment(parent), nos_units=nos_units
        )


def parent_snapshot(parent, version_number):
    """The national profile as it was published at `version_number`."""
    if parent.version == version_number:
        return copying.snapshot_of(parent)
    stored = (
        history.Version.objects.get_for_object(parent)
        .select_related("revision")
        .order_by("-revision__date_created", "-pk")
    )
    for version in stored:
        if version.field_dict.get("version") == version_number:
            return copying.snapshot_from_version(version)
    return None


def changes_against_parent(profile, shown=None):
    """What the force changed against the national version it derived from, or None.

    `profile` is the derived (published or draft) row; `shown`, if given, the row to
    compare instead, such as its working draft.
    """
    parent = profile.derived_from
    if parent is None:
        return None
    old = parent_snapshot(parent, profile.derived_from_version)
    if old is None:
        return None
    return history.compare(
        old, copying.snapshot_of(shown or profile), styles.style_of(profile.force)["labels"]
    )


def national_update(profile):
    """What changed nationally since the version the force last took in, or None."""
    parent = profile.derived_from
    if parent is None or parent.version <= (profile.derived_from_version or 0):
        return None
    old = parent_snapshot(parent, profile.derived_from_version)
    if old is None:
        return None
    return history.compare(
        old, copying.snapshot_of(parent), styles.style_of(profile.force)["labels"]
    )


def mark_update_reviewed(profile, user):
    """The force has looked at the national profile's new version: clear the flag."""
    access.require(access.can_edit(user, profile), "You may not change this profile.")
    parent = profile.derived_from
    if parent is None:
        raise ValidationError("This profile is not derived from a national one.", code="derive")
    with transaction.atomic():
        RoleProfile.objects.filter(pk=profile.pk).update(derived_from_version=parent.version)
        profile.derived_from_version = parent.version
        editing.record(
            profile,
            user,
            AuditAction.EDIT,
            f"Reviewed version {parent.version} of the national profile “{parent}”.",
        )
    return profile
