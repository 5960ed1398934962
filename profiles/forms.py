"""The browser editor: one form for a profile's post fields and a formset per part.

`ProfileEditor` gathers the profile form and every formset (post details, sections
with their items, criteria, behaviours, skills), validates them together with the
rule formsets of profiles.formsets, and saves everything in one transaction.
Choices are read once per page and shared by every row, so the page costs the same
number of queries whatever the profile's size.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.forms import inlineformset_factory
from django.utils.text import slugify

from competencies.models import CompetencyLevel, SkillLevel
from profiles import formsets, rules
from profiles.dates import DatePrecision, PartialDate, PartialDateField
from profiles.models import (
    AssessmentMethod,
    Behaviour,
    Criterion,
    Force,
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
    "officer_or_staff",
    "home_office_function",
    "limited_duties_category",
    "section_name",
    "internal_contacts",
    "external_contacts",
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
# Review dates are given as a month and a year, with an optional day (profiles.dates).
PARTIAL_DATE_FIELDS = ["date_reviewed", "review_due"]
DATE_FIELDS = [
    "prepared_on",
    "approved_on",
    "evaluation_panel_on",
]


def row_helper(*layout):
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.render_hidden_fields = True
    helper.layout = Layout(*layout)
    return helper


def choices_of(queryset, blank=True):
    """Choices for a select, read once and shared by every row of a formset."""
    choices = [(obj.pk, str(obj)) for obj in queryset]
    return [("", "---------"), *choices] if blank else choices


class ProfileForm(forms.ModelForm):
    date_reviewed = PartialDateField(label="Date reviewed")
    review_due = PartialDateField(label="Review due")
    new_grade = forms.CharField(
        max_length=Grade._meta.get_field("code").max_length,
        required=False,
        label="Or a new grade",
        help_text="A grade your force does not have yet, as you write it: e.g. SC4.",
    )

    class Meta:
        model = RoleProfile
        fields = PROFILE_FIELDS
        widgets = {
            **{name: forms.DateInput(attrs={"type": "date"}) for name in DATE_FIELDS},
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "internal_contacts": forms.Textarea(attrs={"rows": 2}),
            "external_contacts": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.force = force
        grades = Grade.objects.filter(force=force)
        self.fields["grade"].queryset = grades
        self.fields["grade_to"].queryset = grades
        for name in DATE_FIELDS:
            self.fields[name].widget.format = "%Y-%m-%d"
        for name in PARTIAL_DATE_FIELDS:
            self.initial[name] = PartialDate(
                getattr(self.instance, name), getattr(self.instance, f"{name}_precision")
            )
        self.helper = row_helper(
            Fieldset(
                "Post",
                Row(Column("title", css_class="col-md-6"), Column("reference_code")),
                Row(Column("job_evaluation_ref"), Column("post_number")),
                Row(Column("grade"), Column("new_grade"), Column("grade_to"), Column("grade_note")),
                Row(Column("job_family"), Column("service_area"), Column("business_area")),
                Row(Column("department"), Column("location")),
                Row(Column("reports_to"), Column("people_responsibility")),
                Row(Column("number_of_posts"), Column("working_arrangement")),
                Row(Column("officer_or_staff"), Column("home_office_function")),
                Row(Column("limited_duties_category"), Column("section_name")),
                Row(Column("internal_contacts"), Column("external_contacts")),
                "purpose",
                Row(Column("vetting_level"), Column("framework")),
            ),
            Fieldset(
                "Review and authorisation",
                Row(Column("date_reviewed"), Column("review_due")),
                Row(Column("prepared_by"), Column("prepared_on")),
                Row(Column("approved_by"), Column("approved_on")),
                Row(Column("evaluation_panel"), Column("evaluation_panel_on")),
            ),
        )

    def clean_new_grade(self):
        return self.cleaned_data["new_grade"].strip()

    def clean(self):
        cleaned_data = super().clean()
        for name in PARTIAL_DATE_FIELDS:
            if name in cleaned_data:
                value, precision = cleaned_data[name] or (None, DatePrecision.DAY)
                cleaned_data[name] = value
                setattr(self.instance, f"{name}_precision", precision)
        if cleaned_data.get("new_grade") and cleaned_data.get("grade"):
            self.add_error("new_grade", "Choose a grade or type a new one, not both.")
        return cleaned_data

    def save(self, commit=True):
        code = self.cleaned_data.get("new_grade")
        if code:
            # Only ever a grade of the profile's own force; an existing code is reused.
            self.instance.grade = add_grade(self.force, code)
        return super().save(commit)


def add_grade(force, code):
    """The force's grade with this code, created if it has none (HR editors add grades)."""
    existing = Grade.objects.filter(force=force, code__iexact=code).first()
    return existing or Grade.objects.create(force=force, code=code)


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


ORDER_DELETE = (
    Column(Field("ORDER", css_class="js-order"), css_class="col-md-1"),
    Column("DELETE", css_class="col-md-1 pt-md-4"),
)


class PostDetailForm(RowForm):
    class Meta:
        model = PostDetail
        fields = ["label", "value"]
        widgets = {"value": forms.Textarea(attrs={"rows": 1})}

    helper = row_helper(Row(Column("label"), Column("value"), *ORDER_DELETE))


class SectionForm(RowForm):
    class Meta:
        model = Section
        fields = ["kind", "heading", "intro", "weighting"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 2})}

    helper = row_helper(
        Row(
            Column("kind"),
            Column("heading"),
            Column(Field("weighting", css_class="js-section-weighting"), css_class="col-md-2"),
            *ORDER_DELETE,
        ),
        "intro",
    )


class ItemForm(RowForm):
    class Meta:
        model = Item
        fields = ["subheading", "text", "weighting"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    helper = row_helper(
        Row(
            Column("subheading", css_class="col-md-3"),
            Column("text", css_class="col-md-5"),
            Column(Field("weighting", css_class="js-item-weighting"), css_class="col-md-2"),
            *ORDER_DELETE,
        )
    )


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
            "text": forms.Textarea(attrs={"rows": 2}),
            "methods": forms.CheckboxSelectMultiple,
        }

    helper = row_helper(
        Row(Column("requirement"), Column("category"), Column("heading")),
        "text",
        Row(
            Column(Field("methods"), css_class="col-md-5"),
            Column("method_note"),
            Column("shortlisting_code", css_class="col-md-2"),
            Column("row", css_class="col-md-1"),
            *ORDER_DELETE,
        ),
    )


class BehaviourForm(RowForm):
    class Meta:
        model = Behaviour
        fields = ["level", "methods", "method_note", "for_pdr"]
        widgets = {"methods": forms.CheckboxSelectMultiple}

    helper = row_helper(
        Row(
            Column("level", css_class="col-md-4"),
            Column("methods", css_class="col-md-3"),
            Column("method_note"),
            Column("for_pdr", css_class="col-md-1"),
            *ORDER_DELETE,
        )
    )


class SkillForm(RowForm):
    class Meta:
        model = SkillRequirement
        fields = ["level", "for_pdr"]

    helper = row_helper(Row(Column("level"), Column("for_pdr"), *ORDER_DELETE))


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


class NewProfileForm(forms.Form):
    """A new profile: a title, the force (for staff) and optionally a profile to copy."""

    title = forms.CharField(max_length=200)
    force = forms.ModelChoiceField(queryset=Force.objects.none(), required=False)
    copy_from = forms.ModelChoiceField(
        queryset=RoleProfile.objects.none(),
        required=False,
        # Chosen on a profile's read page (its Copy button): a list of every profile a
        # user may read would run to thousands of options.
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "You may not copy that profile."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["copy_from"].queryset = (
            RoleProfile.objects.for_user(user)
            .select_related("force")
            .order_by("force__name", "title")
        )
        if user.is_staff:
            self.fields["force"].queryset = Force.objects.all()
            self.fields["force"].required = True
            layout = ["title", "force"]
        else:
            del self.fields["force"]
            layout = ["title"]
        self.helper = row_helper(*layout)

    def target_force(self):
        if self.user.is_staff:
            return self.cleaned_data["force"]
        return self.user.membership.force


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


@transaction.atomic
def create_profile(force, title, source=None):
    """A new draft profile in `force`: blank, or a copy of `source` with every child."""
    fields = {}
    if source is not None:
        for field in RoleProfile._meta.concrete_fields:
            if field.name in COPY_SKIP or field.name in ("created_at", "updated_at"):
                continue
            fields[field.attname] = getattr(source, field.attname)
        if source.force_id != force.pk:
            # Grades belong to a force; a copy into another force keeps the text only.
            fields["grade_id"] = fields["grade_to_id"] = None
    profile = RoleProfile.objects.create(
        force=force, title=title, slug=unique_slug(force, title), **fields
    )
    if source is not None:
        copy_children(source, profile)
    return profile


def copy_children(source, profile):
    for detail in source.post_details.all():
        PostDetail.objects.create(
            profile=profile, label=detail.label, value=detail.value, order=detail.order
        )
    for section in source.sections.prefetch_related("items"):
        items = list(section.items.all())
        section.pk = None
        section.profile = profile
        section.save()
        Item.objects.bulk_create(
            Item(
                section=section,
                subheading=item.subheading,
                text=item.text,
                weighting=item.weighting,
                order=item.order,
            )
            for item in items
        )
    for model in (Criterion, Behaviour):
        for child in model.objects.filter(profile=source).prefetch_related("methods"):
            methods = list(child.methods.all())
            child.pk = None
            child.profile = profile
            child._prefetched_objects_cache = {}
            child.save()
            child.methods.set(methods)
    for skill in source.skills.all():
        skill.pk = None
        skill.profile = profile
        skill.save()
    for unit in source.nos_units.all():
        unit.pk = None
        unit.profile = profile
        unit.save()
