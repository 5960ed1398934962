"""A new profile, blank or started from another, that exists only once its first save succeeds.

The editor page opens on an unsaved profile: from blank, or filled in with a copy of a
profile the user may read (every part, as rows not yet saved). Nothing is written until
the whole page validates; then the profile, its children, its first version and its audit
entry are created in one transaction. An abandoned or refused first save leaves nothing.
"""

from django.utils.translation import gettext as _

from competencies.models import Framework
from profiles import access
from profiles.editor import shown
from profiles.editor.forms import (
    PARTS,
    Choices,
    ItemFormSet,
    ProfileEditor,
    ProfileForm,
    item_prefix,
    row_kwargs,
)
from profiles.models import RoleProfile, Section, SectionKind
from profiles.services import copying, national


def unsaved_profile(force, snapshot=None):
    """The profile the new page edits: a copy's fields (from its snapshot) in `force`, or blank."""
    profile = RoleProfile(force=force)
    if snapshot is None:
        # The framework the force used last, so behaviours can be picked at once.
        profile.framework_id = (
            RoleProfile.objects.filter(force=force, framework__isnull=False)
            .order_by("-updated_at")
            .values_list("framework_id", flat=True)
            .first()
        ) or Framework.objects.order_by("-pk").values_list("pk", flat=True).first()
        return profile
    for name, value in snapshot["fields"].items():
        setattr(profile, name, value)
    if snapshot["force_id"] != force.pk:
        # Grades belong to a force; a copy into another force keeps the text only, and
        # starts with its own review and approval dates empty (national.OWN_FIELDS).
        profile.grade_id = profile.grade_to_id = None
        for name, value in national.OWN_FIELDS.items():
            setattr(profile, name, value)
    return profile


def source_choices(user, force):
    """What a new profile in `force` can start from, besides a blank page: [(group label,
    [(pk, title)])], the force's own profiles (working drafts are their originals') and the
    published national profiles (services.national), which a new profile derives from."""
    own = (
        access.readable(RoleProfile.objects.filter(force=force), user)
        .originals()
        .order_by("title", "pk")
        .values_list("pk", "title")
    )
    publishers = (
        access.readable_national(RoleProfile.objects.exclude(force=force))
        .originals()
        .order_by("title", "force__name", "pk")
        .values_list("pk", "title", "force__name")
    )
    return [
        (_("%(force)s profiles") % {"force": force.name}, list(own)),
        (_("National profiles"), [(pk, f"{title} ({name})") for pk, title, name in publishers]),
    ]


def source_snapshot(source):
    """The content of the profile copied from (services.copying), with its force."""
    return {**copying.snapshot_of(source), "force_id": source.force_id}


def _initial(row):
    """A snapshot row as a form's initial values: "level_id" is the field "level"."""
    return {name.removesuffix("_id"): value for name, value in row.items() if name != "items"}


def initial_rows(snapshot):
    """{prefix: [initial dict per row]} and the items of each section, from a snapshot."""
    if snapshot is None:
        # A blank profile starts with the part every profile has: its responsibilities.
        return {"sections": [{"kind": SectionKind.RESPONSIBILITIES}]}, [[]]
    rows = {
        prefix: [_initial(row) for row in snapshot[part]]
        for prefix, (_formset, _title, part, _row) in PARTS.items()
    }
    items = [[_initial(item) for item in row["items"]] for row in snapshot["sections"]]
    return rows, items


class NewProfileEditor(ProfileEditor):
    """The editor over an unsaved profile; on a GET its rows are the copied ones."""

    def __init__(self, profile, data=None, snapshot=None):
        self.profile = profile
        self.data = data
        self.snapshot = snapshot
        self.choices = Choices(profile)
        self.shown = shown.Shown()
        self.form = ProfileForm(data, instance=profile, force=profile.force, prefix="profile")
        # Copied rows are initial values only on the page as first shown: posted back,
        # each differs from an empty row and so is saved.
        rows, items = initial_rows(snapshot) if data is None else ({}, [])
        self.formsets = {}
        for prefix, (formset_class, *_rest) in PARTS.items():
            initial = rows.get(prefix, [])
            formset = formset_class(
                data,
                instance=profile,
                prefix=prefix,
                rows=[],
                initial=initial,
                form_kwargs=row_kwargs(profile, self.choices),
            )
            formset.extra = len(initial) + 1
            self.formsets[prefix] = formset
        self.item_formsets = {}
        for index, section_form in enumerate(self.forms(self.formsets["sections"])):
            initial = items[index] if index < len(items) else []
            formset = ItemFormSet(
                data,
                instance=Section(),
                prefix=item_prefix(section_form),
                rows=[],
                initial=initial,
                form_kwargs=row_kwargs(profile, self.choices),
            )
            formset.extra = len(initial) + 1
            self.item_formsets[section_form.prefix] = formset
        self.profile_errors = []

    def create(self, user, source=None):
        """Write the profile and everything on it, with its first version (and the NOS units
        of `source`, the profile copied, which the page does not show). From a national
        profile it is derived (services.national): it remembers its parent."""
        nos_units = self.snapshot["nos_units"] if self.snapshot else ()
        if source is not None and access.derive_refusal(user, source, self.profile.force) is None:
            return national.derive_from_editor(self, source, user=user, nos_units=nos_units)
        comment = f"Copied from “{source}”." if source else ""
        return copying.create_from_editor(self, user=user, comment=comment, nos_units=nos_units)
