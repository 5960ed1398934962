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
from django.db import router, transaction
from django.db.models import F
from django.db.models.deletion import Collector
from django.utils.translation import gettext_noop

from profiles import welsh
from profiles.models import AuditAction, AuditEntry, Item, RoleProfile
from profiles.services import addresses, history


class StaleProfile(Exception):
    """Someone else saved the profile after this user opened it."""

    def __init__(self, profile):
        super().__init__(f"{profile} was saved by someone else in the meantime.")
        self.profile = profile


# Marked for translation; the pages translate it where they show it.
STALE_MESSAGE = gettext_noop(
    "Someone else saved this profile while you were editing it, so your changes were not saved. "
    "Your input is still on the page: compare it with what changed, then save again."
)


def save_editor(editor, *, seen_revision, user):
    """Save a validated profiles.editor.forms.ProfileEditor: the profile and every row, renumbered.

    Refused with StaleProfile (nothing saved) if the profile changed since the user saw
    `seen_revision`. Records a version and an audit entry. Returns the profile.
    """
    # The version is made of the rows as written_rows() leaves them on the profile: once,
    # after every write (reversion's own receivers would serialise the profile and its rows
    # as the profile's save found them, before its rows were written).
    with guarded_save(editor.profile, seen_revision, user, rows_in_hand=True):
        return write_editor(editor)


def write_editor(editor):
    """Write a validated editor's profile and its rows, renumbered (inside a transaction).

    In a fixed number of queries whatever the number of rows: removed rows are deleted
    together, rows left as they were (same text, same position) are not written, the others
    are written with one bulk UPDATE or INSERT per part, and their assessment methods with
    one DELETE and one INSERT. Bulk writes send no signals: the profile's own save (always
    made) tells the search index and the PDF cache that it changed, and each row's Welsh
    sources are kept here as their pre_save receiver keeps them.
    """
    profile = editor.form.save()
    if "title" in editor.form.changed_data:
        addresses.follow_title(profile)  # a profile never published: the slug follows
    removed = [
        form.instance
        for formset in [*editor.formsets.values(), *editor.item_formsets.values()]
        for form in formset.removed_forms()
    ]
    if removed:
        collector = Collector(using=router.db_for_write(RoleProfile))
        for model in {type(row) for row in removed}:
            collector.collect([row for row in removed if type(row) is model])
        collector.delete()
    sections = editor.formsets["sections"]
    kept_sections = sections.kept_forms()
    write_rows(sections.model, kept_sections, profile=profile)
    for prefix, formset in editor.formsets.items():
        if prefix != "sections":
            write_rows(formset.model, formset.kept_forms(), profile=profile)
    items = []
    for form in kept_sections:
        section = form.instance
        items += [(order, form, section) for order, form in _numbered(editor, form)]
    _write(Item, items, "section")
    written_rows(editor)
    return profile


def written_rows(editor):
    """Leave on the profile, as if prefetched, the rows it now has, in their order, each
    section with its items: what its version follows (profiles.services.history), read
    without a query and as written (the rows fetched before the save lack new rows and
    still hold removed ones)."""
    profile = editor.profile
    for formset in editor.formsets.values():
        _hold(profile, formset.fk.remote_field.related_name, formset.kept_forms())
    for form in editor.formsets["sections"].kept_forms():
        _hold(form.instance, "items", editor.item_formsets[form.prefix].kept_forms())


def _hold(instance, name, forms):
    held(instance, name, [form.instance for form in forms])


def held(instance, name, rows):
    """Make `rows` what `instance.<name>.all()` returns, as prefetch_related leaves them."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(name, None)
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    cache[name] = queryset


def _numbered(editor, section_form):
    return enumerate(editor.item_formsets[section_form.prefix].kept_forms(), start=1)


def write_rows(model, forms, *, profile):
    """Write the rows of `forms` (in their new order) of one part of `profile`."""
    _write(model, [(order, form, profile) for order, form in enumerate(forms, start=1)], "profile")


def _write(model, rows, parent_field):
    """Write (position, form, parent) rows of `model`: only those new, moved or changed."""
    new, changed, moved = [], [], []
    for order, form, parent in rows:
        row = form.instance
        old_order = row.order if row.pk is not None else None
        row = form.save(commit=False)
        setattr(row, parent_field, parent)
        row.order = order
        if row.pk is None:
            new.append(form)
        elif old_order != order or form.has_changed():
            changed.append(form)
            if old_order != order:
                moved.append(row.pk)
        else:
            continue
        welsh.keep_sources(model, row)
    if moved:
        # Clear of the positions the rows move to (profiles.services.editing.park_positions).
        park_positions(model.objects.filter(pk__in=moved))
    if changed:
        fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
        model.objects.bulk_update([form.instance for form in changed], fields)
    if new:
        model.objects.bulk_create([form.instance for form in new])
    _write_methods(model, changed, new)


def _write_methods(model, changed, new):
    """The assessment methods of rows written, in one DELETE and one INSERT."""
    methods = getattr(model, "methods", None)
    if methods is None:
        return
    through = methods.through
    column = methods.field.m2m_field_name()
    target = methods.field.m2m_reverse_field_name()
    rewritten = [form for form in changed if "methods" in form.changed_data]
    if rewritten:
        through.objects.filter(
            **{f"{column}__in": [form.instance.pk for form in rewritten]}
        ).delete()
    links = [
        through(**{f"{column}_id": form.instance.pk, f"{target}_id": method.pk})
        for form in [*rewritten, *new]
        for method in form.cleaned_data.get("methods") or ()
    ]
    for form in [*rewritten, *new]:
        held(form.instance, "methods", form.cleaned_data.get("methods") or ())
    if links:
        through.objects.bulk_create(links)


def park_positions(rows):
    """Move `rows` to negative positions, clear of the positions 1 … n they are renumbered to.

    Rows not moved keep their positions, and every position a part ends with is distinct, so
    the rows moved meet no unique (parent, order) constraint on their way; positions are never
    negative otherwise. -order - 1 maps 0 … 32767 onto -1 … -32768: distinct, and inside a
    smallint whatever position a row had (unlike adding an offset, which collides with or
    overflows a high one).
    """
    rows.update(order=-F("order") - 1)


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
def guarded_save(
    profile, seen_revision, user, comment="", action=AuditAction.EDIT, rows_in_hand=False
):
    """Wrap a save of the profile's content: refuse a stale one, record a version and an
    audit entry.

        with editing.guarded_save(profile, seen_revision, request.user):
            ...  # change the profile and its rows

    Raises StaleProfile (nothing saved) when someone else saved in between.
    `rows_in_hand`: the caller leaves on `profile` its rows as written (written_rows), and
    the version is made of them alone, at the end; otherwise each row saved is recorded as
    it is saved and the others are read.
    """
    with transaction.atomic():
        history.ensure_baseline(profile)
        with reversion.create_revision(manage_manually=rows_in_hand):
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
