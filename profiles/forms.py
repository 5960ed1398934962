"""The browser editor: one form for a profile's post fields and a formset per part.

`ProfileEditor` gathers the profile form and every formset (post details, sections
with their items, criteria, behaviours, skills), validates them together with the
rule formsets of profiles.formsets, and saves everything in one transaction.
Choices are read once per page and shared by every row, so the page costs the same
number of queries whatever the profile's size.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.forms import inlineformset_factory
from django.utils.text import slugify

from competencies.models import CompetencyLevel, SkillLevel
from profiles import formsets, rules
from profiles.models import (
    AssessmentMethod,
    Behaviour,
    Criterion,
    Grade,
    Item,
    PostDetail,
    RoleProfile,
    Section,
    SkillRequirement,
)

PROFILE_FIELDS = [
    "title",
    "reference_code",
    "job_evaluation_ref",
    "post_number",
    "grade",
    "grade_to",
    "grade_note",
    "job_family",
    "service_area",
    "business_area",
    "department",
    "location",
    "reports_to",
    "people_responsibility",
    "number_of_posts",
    "working_arrangement",
    "purpose",
    "vetting_level",
    "framework",
    "date_reviewed",
    "review_due",
    "prepared_by",
    "prepared_on",
    "approved_by",
    "approved_on",
    "evaluation_panel",
    "evaluation_panel_on",
]
DATE_FIELDS = [
    "date_reviewed",
    "review_due",
    "prepared_on",
    "approved_on",
    "evaluation_panel_on",
]


def choices_of(queryset, blank=True):
    """Choices for a select, read once and shared by every row of a formset."""
    choices = [(obj.pk, str(obj)) for obj in queryset]
    return [("", "---------"), *choices] if blank else choices


class ProfileForm(forms.ModelForm):
    class Meta:
        model = RoleProfile
        fields = PROFILE_FIELDS
        widgets = {
            **{name: forms.DateInput(attrs={"type": "date"}) for name in DATE_FIELDS},
            "purpose": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        grades = Grade.objects.filter(force=force)
        self.fields["grade"].queryset = grades
        self.fields["grade_to"].queryset = grades
        for name in DATE_FIELDS:
            self.fields[name].widget.format = "%Y-%m-%d"


class RowForm(forms.ModelForm):
    """A formset row; its order number alone does not make a blank row worth saving."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Rows repeat: the help texts are said once, at the top of each part.
        for field in self.fields.values():
            field.help_text = ""
        if "weighting" in self.fields:
            self.fields["weighting"].label = "Weighting (%)"

    def has_changed(self):
        return bool(set(self.changed_data) - {"ORDER"})


class PostDetailForm(RowForm):
    class Meta:
        model = PostDetail
        fields = ["label", "value"]
        widgets = {"value": forms.Textarea(attrs={"rows": 1})}


class SectionForm(RowForm):
    class Meta:
        model = Section
        fields = ["kind", "heading", "intro", "weighting"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 1}),
            "weighting": forms.NumberInput(attrs={"class": "js-section-weighting"}),
        }


class ItemForm(RowForm):
    class Meta:
        model = Item
        fields = ["subheading", "text", "weighting"]
        # The subheading is typed once per group; the page copies it to each item.
        widgets = {
            "subheading": forms.HiddenInput(attrs={"class": "js-subheading"}),
            "text": forms.Textarea(attrs={"rows": 1}),
            "weighting": forms.NumberInput(attrs={"class": "js-item-weighting"}),
        }


class CriterionForm(RowForm):
    class Meta:
        model = Criterion
        fields = [
            "requirement",
            "category",
            "heading",
            "text",
            "methods",
            "method_note",
            "shortlisting_code",
            "row",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 1}),
            "methods": forms.CheckboxSelectMultiple,
        }


class BehaviourForm(RowForm):
    class Meta:
        model = Behaviour
        fields = ["level", "methods", "method_note", "for_pdr"]
        widgets = {"methods": forms.CheckboxSelectMultiple}


class SkillForm(RowForm):
    class Meta:
        model = SkillRequirement
        fields = ["level", "for_pdr"]


class Prefetched:
    """A formset over rows already fetched with the whole profile (no query of its own)."""

    def __init__(self, *args, rows=None, **kwargs):
        self._rows = rows
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        if self._rows is not None:
            return self._rows
        return super().get_queryset()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = "Position"
        # Rows are moved with buttons or by dragging; the page renumbers them.
        form.fields["ORDER"].widget = forms.HiddenInput(attrs={"class": "js-order"})
        form.fields["DELETE"].label = "Remove"


class EditorItemFormSet(formsets.ItemFormSet):
    # The editor checks the profile's total across all posted sections itself.
    check_profile = False


def factory(model, form, formset):
    return inlineformset_factory(
        RoleProfile if model is not Item else Section,
        model,
        form=form,
        formset=type(f"Editor{formset.__name__}", (Prefetched, formset), {}),
        extra=1,
        can_order=True,
        can_delete=True,
    )


PostDetailFormSet = factory(PostDetail, PostDetailForm, formsets.RuleFormSet)
SectionFormSet = factory(Section, SectionForm, formsets.SectionFormSet)
ItemFormSet = factory(Item, ItemForm, EditorItemFormSet)
CriterionFormSet = factory(Criterion, CriterionForm, formsets.CriterionFormSet)
BehaviourFormSet = factory(Behaviour, BehaviourForm, formsets.BehaviourFormSet)
SkillFormSet = factory(SkillRequirement, SkillForm, formsets.RuleFormSet)

# prefix → (formset class, title); items have the prefix "<section prefix>-items".
PARTS = {
    "details": (PostDetailFormSet, "Post details"),
    "sections": (SectionFormSet, "Sections"),
    "criteria": (CriterionFormSet, "Criteria"),
    "behaviours": (BehaviourFormSet, "Behaviours"),
    "skills": (SkillFormSet, "Skills"),
}


def item_prefix(section_form):
    return f"{section_form.prefix}-items"


class Choices:
    """The options of every select in the editor, each read once."""

    def __init__(self, profile):
        framework_id = profile.framework_id
        self.levels = choices_of(
            CompetencyLevel.objects.filter(competency__framework_id=framework_id).select_related(
                "competency"
            )
        )
        self.skill_levels = choices_of(SkillLevel.objects.select_related("skill"))
        self.methods = choices_of(AssessmentMethod.objects.all(), blank=False)

    def apply(self, formset):
        for form in [*formset.forms, formset.empty_form]:
            self.apply_form(form)

    def apply_form(self, form):
        fields = form.fields
        if "methods" in fields:
            fields["methods"].choices = self.methods
        if isinstance(form, BehaviourForm):
            fields["level"].choices = self.levels
        if isinstance(form, SkillForm):
            fields["level"].choices = self.skill_levels


def fetch_for_editor(profile):
    """The profile and every child the editor shows, in a fixed number of queries."""
    return (
        RoleProfile.objects.select_related("force")
        .prefetch_related(
            Prefetch("post_details", queryset=PostDetail.objects.order_by("order")),
            Prefetch("sections", queryset=Section.objects.order_by("order")),
            Prefetch("sections__items", queryset=Item.objects.order_by("order")),
            Prefetch("criteria", queryset=Criterion.objects.order_by("order")),
            "criteria__methods",
            Prefetch("behaviours", queryset=Behaviour.objects.order_by("order")),
            "behaviours__methods",
            Prefetch("skills", queryset=SkillRequirement.objects.order_by("order")),
        )
        .get(pk=profile.pk)
    )


class ProfileEditor:
    """Every form of the editor page, validated and saved as one."""

    def __init__(self, profile, data=None):
        self.profile = profile
        self.data = data
        self.choices = Choices(profile)
        self.form = ProfileForm(data, instance=profile, force=profile.force, prefix="profile")
        self.formsets = {}
        for prefix, (formset_class, _title) in PARTS.items():
            related = getattr(profile, formset_class.fk.remote_field.related_name)
            formset = formset_class(data, instance=profile, prefix=prefix, rows=list(related.all()))
            self.choices.apply(formset)
            self.formsets[prefix] = formset
        self.item_formsets = {}
        for section_form in self.formsets["sections"].forms:
            section = section_form.instance
            items = list(section.items.all()) if section.pk else []
            self.item_formsets[section_form.prefix] = ItemFormSet(
                data, instance=section, prefix=item_prefix(section_form), rows=items
            )
        self.profile_errors = []

    def parts(self):
        """(prefix, title, formset) for the template, in page order."""
        return [(prefix, PARTS[prefix][1], self.formsets[prefix]) for prefix in PARTS]

    def sections(self):
        """(section form, its item formset) pairs, in the order they are shown."""
        return [(form, self.item_formsets[form.prefix]) for form in self.formsets["sections"].forms]

    def is_valid(self):
        # The profile form first: the formsets' rules read what it puts on the instance
        # (the framework for behaviours), and each section form before its items.
        valid = self.form.is_valid()
        valid = all([formset.is_valid() for formset in self.formsets.values()]) and valid
        items_valid = all(
            [
                self.item_formsets[form.prefix].is_valid()
                for form in self._kept_forms(self.formsets["sections"])
            ]
        )
        for form in self.formsets["sections"].forms:
            # Items typed under a new section left blank would otherwise be dropped.
            if (
                form.instance.pk is None
                and not form.has_changed()
                and self.item_formsets[form.prefix].has_changed()
            ):
                form.add_error("kind", "Choose the kind of section for these items.")
                valid = False
        if valid and items_valid:
            totals = [
                rules.section_total(
                    form.cleaned_data.get("weighting"),
                    [data.get("weighting") for data in self.item_formsets[form.prefix].kept_data()],
                )
                for form in self._kept_forms(self.formsets["sections"])
            ]
            try:
                rules.check_profile_weighting(totals)
            except ValidationError as error:
                self.profile_errors = error.messages
        return valid and items_valid and not self.profile_errors

    @staticmethod
    def _kept_forms(formset):
        """Forms to save, in the order the user gave them (ORDER, then position)."""
        kept = [
            (index, form)
            for index, form in enumerate(formset.forms)
            if not formset._should_delete_form(form)
            and (form.instance.pk is not None or form.has_changed())
        ]

        def position(pair):
            index, form = pair
            order = form.cleaned_data.get("ORDER")
            return (order is None, order if order is not None else 0, index)

        return [form for _index, form in sorted(kept, key=position)]

    @staticmethod
    def _deleted_forms(formset):
        return [
            form
            for form in formset.forms
            if form.instance.pk is not None and formset._should_delete_form(form)
        ]

    @transaction.atomic
    def save(self):
        profile = self.form.save()
        # Move every kept child clear of the orders it will take, so that renumbering
        # never meets the unique (profile, order) and (section, order) constraints.
        for formset in self.formsets.values():
            for form in self._deleted_forms(formset):
                form.instance.delete()
            formset.model.objects.filter(profile=profile).update(order=F("order") + 1000)
        for formset in self.item_formsets.values():
            for form in self._deleted_forms(formset):
                form.instance.delete()
        Item.objects.filter(section__profile=profile).update(order=F("order") + 1000)
        for prefix, formset in self.formsets.items():
            for order, form in enumerate(self._kept_forms(formset), start=1):
                child = form.save(commit=False)
                child.profile = profile
                child.order = order
                child.save()
                form.save_m2m()
                if prefix == "sections":
                    self._save_items(child, self.item_formsets[form.prefix])
        return profile

    def _save_items(self, section, formset):
        for order, form in enumerate(self._kept_forms(formset), start=1):
            item = form.save(commit=False)
            item.section = section
            item.order = order
            item.save()


def unique_slug(force, title):
    base = slugify(title)[:100] or "profile"
    taken = set(
        RoleProfile.objects.filter(force=force, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


COPY_SKIP = {
    "id",
    "force",
    "slug",
    "title",
    "status",
    "version",
    "revision",
    "search_vector",
    "draft_of",
}
