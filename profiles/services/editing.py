"""Saving a profile's content: the browser editor's save, stale saves refused, who did what.

No lost updates. ``RoleProfile.revision`` is the number a form saw when it was rendered.
``claim_revision`` raises it with one ``UPDATE … WHERE revision = <seen>``; if that touches no
row someone else saved in between, and the save is refused with ``StaleProfile``. On
PostgreSQL the UPDATE holds the row lock until the transaction ends, so of two concurrent saves
exactly one wins.

Every save records a django-reversion version (profiles.services.history) and an AuditEntry.
"""

import contextlib

import reversion
from django.db import transaction
from django.db.models import F

from profiles.models import AuditAction, AuditEntry, Item, RoleProfile
from profiles.services import addresses, history


class StaleProfile(Exception):
    """Someone else saved the profile after this user opened it."""

    def __init__(self, profile):
        super().__init__(f"{profile} was saved by someone else in the meantime.")
        self.profile = profile


STALE_MESSAGE = (
    "Someone else saved this profile while you were editing it, so your changes were not saved. "
    "Your input is still on the page: compare it with what changed, then save again."
)


def save_editor(editor, *, seen_revision, user):
    """Save a validated profiles.editor.forms.ProfileEditor: the profile and every row, renumbered.

    Refused with StaleProfile (nothing saved) if the profile changed since the user saw
    `seen_revision`. Records a version and an audit entry. Returns the profile.
    """
    with guarded_save(editor.profile, seen_revision, user):
        return write_editor(editor)


def write_editor(editor):
    """Write a validated editor's profile and every row, renumbered (inside a transaction)."""
    profile = editor.form.save()
    if "title" in editor.form.changed_data:
        addresses.follow_title(profile)  # a profile never published: the slug follows
    for formset in editor.formsets.values():
        for form in formset.removed_forms():
            form.instance.delete()
        park_positions(formset.model.objects.filter(profile=profile))
    for formset in editor.item_formsets.values():
        for form in formset.removed_forms():
            form.instance.delete()
    park_positions(Item.objects.filter(section__profile=profile))
    for prefix, formset in editor.formsets.items():
        for order, form in enumerate(formset.kept_forms(), start=1):
            # A validated row form's instance holds its cleaned values (ModelForm._post_clean).
            row = write_row(form.instance, order=order, many=_many(form), profile=profile)
            if prefix == "sections":
                for position, item_form in enumerate(
                    editor.item_formsets[form.prefix].kept_forms(), start=1
                ):
                    write_row(item_form.instance, order=position, section=row)
    return profile


def write_row(row, *, order=None, many=None, **parent):
    """Write one row of a profile: its parent (``profile=`` or ``section=``), its position
    (unless its values already hold it) and its many-to-many fields (`many`: name -> rows).

    The one row writer of the editor's save (write_editor) and of a snapshot's
    (services.copying.apply_snapshot)."""
    for name, value in parent.items():
        setattr(row, name, value)
    if order is not None:
        row.order = order
    row.save()
    for name, values in (many or {}).items():
        getattr(row, name).set(values)
    return row


def _many(form):
    """A row form's many-to-many values, as ModelForm.save_m2m would set them."""
    return {
        field.name: form.cleaned_data[field.name]
        for field in form.instance._meta.many_to_many
        if field.name in form.fields and field.name in form.cleaned_data
    }


def park_positions(rows):
    """Move `rows` to negative positions, clear of the positions 1 … n they are renumbered to.

    Every row of the part is kept (and renumbered) or deleted (the editor's post must
    describe exactly the part's rows: profiles.limits.check_formset_rows), and positions are
    never negative otherwise, so renumbering meets no unique (parent, order) constraint.
    -order - 1 maps 0 … 32767 onto -1 … -32768: distinct, and inside a smallint whatever
    position a row had (unlike adding an offset, which collides with or overflows a high one).
    """
    rows.update(order=-F("order") - 1)


# No lost updates --------------------------------------------------------------------------------


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
    """Wrap a save of the profile's content: refuse a stale one, record a version and an
    audit entry.

        with editing.guarded_save(profile, seen_revision, request.user):
            ...  # change the profile and its rows

    Raises StaleProfile (nothing saved) when someone else saved in between.
    """
    with transaction.atomic():
        history.ensure_baseline(profile)
        with reversion.create_revision():
            claim_revision(profile, seen_revision)
            yield profile
            reversion.add_to_revision(profile)
            set_revision_meta(user, comment or "Edited in the browser.")
            record(profile, user, action, comment)


# Who did what ----------------------------------------------------------------------------------


def record_creation(profile, user, comment=""):
    """A new profile's first version and its audit entry (create, copy, import)."""
    with transaction.atomic(), reversion.create_revision():
        reversion.add_to_revision(profile)
        set_revision_meta(user, comment or "Created.")
        record(profile, user, AuditAction.CREATE, comment)


def set_revision_meta(user, comment):
    """Who made the reversion revision being recorded, and why."""
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
