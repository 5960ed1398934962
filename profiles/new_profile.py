"""A new profile, blank or started from another, that exists only once its first save succeeds.

The editor page opens on an unsaved profile: from blank, or filled in with a copy of a
profile the user may read (every part, as rows not yet saved). Nothing is written until
the whole page validates; then the profile, its children, its first version and its audit
entry are created in one transaction. An abandoned or refused first save leaves nothing.
"""

from django.db import transaction
from django.forms.models import model_to_dict

from competencies.models import Framework
from profiles import workflow
from profiles.forms import (
    COPY_SKIP,
    PARTS,
    Choices,
    ItemFormSet,
    ProfileEditor,
    ProfileForm,
    item_prefix,
    unique_slug,
)
from profiles.models import RoleProfile, Section, SectionKind

# What each part's rows carry over from the profile they are copied from.
ROW_FIELDS = {
    "details": ["label", "value"],
    "sections": ["kind", "heading", "intro", "weighting"],
    "criteria": [
        "requirement",
        "category",
        "heading",
        "text",
        "methods",
        "method_note",
        "shortlisting_code",
        "row",
    ],
    "behaviours": ["level", "methods", "method_note", "for_pdr"],
    "skills": ["level", "for_pdr"],
}
ITEM_FIELDS = ["subheading", "text", "weighting"]


def unsaved_profile(force, source=None):
    """The profile the new page edits: the source's fields in `force`, or a blank one."""
    profile = RoleProfile(force=force)
    if source is None:
        # The framework the force used last, so behaviours can be picked at once.
        profile.framework_id = (
            RoleProfile.objects.filter(force=force, framework__isnull=False)
            .order_by("-updated_at")
            .values_list("framework_id", flat=True)
            .first()
        ) or Framework.objects.order_by("-pk").values_list("pk", flat=True).first()
        return profile
    for field in RoleProfile._meta.concrete_fields:
        if field.name in COPY_SKIP or field.name in ("created_at", "updated_at"):
            continue
        setattr(profile, field.attname, getattr(source, field.attname))
    profile.title = source.title
    if source.force_id != force.pk:
        # Grades belong to a force; a copy into another force keeps the text only.
        profile.grade_id = profile.grade_to_id = None
    return profile


def _rows(children, fields):
    rows = []
    for child in children:
        row = model_to_dict(child, fields=fields)
        if "methods" in row:
            row["methods"] = [method.pk for method in child.methods.all()]
        rows.append(row)
    return rows


def initial_rows(source):
    """{prefix: [initial dict per row]} and the items of each section, from `source`."""
    if source is None:
        # A blank profile starts with the part every profile has: its responsibilities.
        return {"sections": [{"kind": SectionKind.RESPONSIBILITIES}]}, [[]]
    source = (
        RoleProfile.objects.filter(pk=source.pk)
        .prefetch_related(
            "post_details",
            "sections__items",
            "criteria__methods",
            "behaviours__methods",
            "skills",
        )
        .get()
    )
    rows = {
        prefix: _rows(
            getattr(source, formset.fk.remote_field.related_name).all(), ROW_FIELDS[prefix]
        )
        for prefix, (formset, _title) in PARTS.items()
    }
    items = [_rows(section.items.all(), ITEM_FIELDS) for section in source.sections.all()]
    return rows, items


class NewProfileEditor(ProfileEditor):
    """The editor over an unsaved profile; on a GET its rows are the copied ones."""

    def __init__(self, profile, data=None, source=None):
        self.profile = profile
        self.data = data
        self.choices = Choices(profile)
        self.form = ProfileForm(data, instance=profile, force=profile.force, prefix="profile")
        # Copied rows are initial values only on the page as first shown: posted back,
        # each differs from an empty row and so is saved.
        rows, items = initial_rows(source) if data is None else ({}, [])
        self.formsets = {}
        for prefix, (formset_class, _title) in PARTS.items():
            initial = rows.get(prefix, [])
            formset = formset_class(data, instance=profile, prefix=prefix, rows=[], initial=initial)
            formset.extra = len(initial) + 1
            self.choices.apply(formset)
            self.formsets[prefix] = formset
        self.item_formsets = {}
        for index, section_form in enumerate(self.formsets["sections"].forms):
            initial = items[index] if index < len(items) else []
            formset = ItemFormSet(
                data,
                instance=Section(),
                prefix=item_prefix(section_form),
                rows=[],
                initial=initial,
            )
            formset.extra = len(initial) + 1
            self.item_formsets[section_form.prefix] = formset
        self.profile_errors = []

    def create(self, user, comment=""):
        """Write the profile and everything on it, with its first version."""
        with transaction.atomic():
            self.form.instance.slug = unique_slug(
                self.form.instance.force, self.form.cleaned_data["title"]
            )
            profile = self.save()
            workflow.record_creation(profile, user, comment)
        return profile
