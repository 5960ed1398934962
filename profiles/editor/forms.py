"""The browser editor: one form for a profile's post fields and a formset per part.

`ProfileEditor` gathers the profile form and every formset (post details, sections
with their items, criteria, behaviours, skills), validates them, and checks the profile's
rules on the ProfileDraft they make (errors are said next to their fields). Saving is
profiles.services.editing.save_editor.
Choices are read once per page and shared by every row, so the page costs the same
number of queries whatever the profile's size.

Longer than 400 lines on purpose: the row forms, the formsets and ProfileEditor change
together whenever the editor does, and read best side by side. The page lays the rows out
itself (templates/profiles/editor/, profiles/editor/rows.py).
"""

import re
from dataclasses import replace

from django import forms
from django.db.models import Max
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from competencies.models import CompetencyLevel, SkillLevel
from profiles import rules, welsh
from profiles.dates import DatePrecision, PartialDate, PartialDateField
from profiles.draft import (
    DATE_FIELDS,
    EDITOR_PREFETCH,
    PARTIAL_DATE_FIELDS,
    PROFILE_FIELDS,
    BehaviourDraft,
    CriterionDraft,
    ItemDraft,
    PostDetailDraft,
    ProfileDraft,
    SectionDraft,
    SkillDraft,
)
from profiles.editor import formsets, shown
from profiles.editor.fetched_fields import fetched_names, use_fetched
from profiles.limits import (
    MAX_FORMS,
    MAX_ORDER,
    MAX_ROWS,
    check_declared_forms,
    check_formset_rows,
    order_validators,
)
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
    WelshLevel,
)
from profiles.welsh import translated_fields

# The post fields the editor shows in English: the profile's content fields (draft), but the
# Welsh ones (below, for a Welsh force) and the precision a PartialDateField keeps itself.
WELSH_ONLY = {
    *(f"{name}_cy" for name in translated_fields(RoleProfile)),
    "welsh_sources",
    "welsh_category",
    "welsh_level",
}
EDITOR_FIELDS = [
    name for name in PROFILE_FIELDS if name not in WELSH_ONLY and not name.endswith("_precision")
]
# A Welsh force edits each printed text in English and Welsh side by side, and records
# the post's need for Welsh (profiles.welsh).
WELSH_PROFILE_FIELDS = [
    *(f"{name}_cy" for name in translated_fields(RoleProfile) if name in EDITOR_FIELDS),
    "welsh_category",
    "welsh_level",
]
# Review dates are given as a month and a year, with an optional day (profiles.dates,
# PARTIAL_DATE_FIELDS); the other dates as a day.
DAY_FIELDS = [name for name in DATE_FIELDS if name not in PARTIAL_DATE_FIELDS]


def choices_of(queryset, blank=True):
    """Choices for a select, read once and shared by every row of a formset."""
    choices = [(obj.pk, str(obj)) for obj in queryset]
    return [("", "---------"), *choices] if blank else choices


def by_pk(objects):
    """{str(pk): object}, in order: what a fetched field validates a post against."""
    return {str(obj.pk): obj for obj in objects}


class ProfileForm(forms.ModelForm):
    date_reviewed = PartialDateField(label=_("Date reviewed"))
    review_due = PartialDateField(label=_("Review due"))
    new_grade = forms.CharField(
        max_length=Grade._meta.get_field("code").max_length,
        required=False,
        label=_("Or a new grade"),
        help_text=_("A grade your force does not have yet, as you write it: e.g. SC4."),
    )

    class Meta:
        model = RoleProfile
        fields = EDITOR_FIELDS + WELSH_PROFILE_FIELDS
        # The interface's words for the fields (the force's printed labels win where it has
        # them: profiles.editor_page.field_groups).
        labels = {
            "title": _("Title"),
            "reference_code": _("Reference code"),
            "job_evaluation_ref": _("Job evaluation reference"),
            "post_number": _("Post number"),
            "grade": _("Grade"),
            "grade_to": _("Grade to"),
            "grade_note": _("Grade note"),
            "job_family": _("Job family"),
            "service_area": _("Service area"),
            "business_area": _("Business area"),
            "department": _("Department"),
            "location": _("Location"),
            "reports_to": _("Reports to"),
            "people_responsibility": _("People responsibility"),
            "number_of_posts": _("Number of posts"),
            "working_arrangement": _("Working arrangement"),
            "officer_or_staff": _("Officer or staff"),
            "home_office_function": _("Home Office function code"),
            "limited_duties_category": _("Limited duties category"),
            "section_name": _("Section"),
            "internal_contacts": _("Internal contacts"),
            "external_contacts": _("External contacts"),
            "purpose": _("Purpose"),
            "vetting_level": _("Vetting level"),
            "framework": _("Framework"),
            "prepared_by": _("Prepared by"),
            "prepared_on": _("Prepared on"),
            "approved_by": _("Approved by"),
            "approved_on": _("Approved on"),
            "evaluation_panel": _("Evaluation panel"),
            "evaluation_panel_on": _("Evaluation panel on"),
            "welsh_category": _("Welsh language category"),
            "welsh_level": _("Welsh language level"),
        }
        help_texts = {
            "reference_code": _("For example C3932."),
            "job_evaluation_ref": _("For example JE 1537."),
            "grade_to": _("Top of the grade range when the post progresses, e.g. LC5."),
            "grade_note": _("Printed after the grade, e.g. (non supervisory)."),
            "people_responsibility": _("Supervisory or staff responsibility, e.g. None."),
            "working_arrangement": _("Fixed, flexible or field."),
            "officer_or_staff": _(
                "Whether the post is for a police officer, police staff or either."
            ),
            "home_office_function": _("For example 43."),
            "limited_duties_category": _("For example Category B, or To be confirmed."),
            "section_name": _("The unit or section the post sits in."),
            "internal_contacts": _("Who the post holder deals with inside the force."),
            "external_contacts": _("Who the post holder deals with outside the force."),
            "purpose": _("Why the post exists."),
            "framework": _("The competency framework the behaviours come from."),
            "welsh_category": _("Required to publish a profile of a Welsh force."),
            "welsh_level": _("In the force's own level definitions."),
        }
        widgets = {
            **{name: forms.DateInput(attrs={"type": "date"}) for name in DAY_FIELDS},
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "internal_contacts": forms.Textarea(attrs={"rows": 2}),
            "external_contacts": forms.Textarea(attrs={"rows": 2}),
            "purpose_cy": forms.Textarea(attrs={"rows": 4}),
            "internal_contacts_cy": forms.Textarea(attrs={"rows": 2}),
            "external_contacts_cy": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.force = force
        grades = Grade.objects.filter(force=force)
        self.fields["grade"].queryset = grades
        self.fields["grade_to"].queryset = grades
        if force.welsh_language:
            self.fields["welsh_level"].queryset = WelshLevel.objects.filter(force=force)
            self.fields["welsh_level"].label_from_instance = welsh.level_choice
        bilingual(self, force.welsh_language)
        for name in DAY_FIELDS:
            self.fields[name].widget.format = "%Y-%m-%d"
        for name in PARTIAL_DATE_FIELDS:
            self.initial[name] = PartialDate(
                getattr(self.instance, name), getattr(self.instance, f"{name}_precision")
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
            self.add_error("new_grade", _("Choose a grade or type a new one, not both."))
        return cleaned_data

    def save(self, commit=True):
        code = self.cleaned_data.get("new_grade")
        if code:
            # Only ever a grade of the profile's own force; an existing code is reused.
            self.instance.grade = add_grade(self.force, code)
        return super().save(commit)


def add_grade(force, code):
    """The force's grade with this code, created if it has none (HR editors add grades)."""
    grades = Grade.objects.filter(force=force)
    existing = grades.filter(code__iexact=code).first()
    if existing is not None:
        return existing
    # After the force's own grades, which keep their order.
    last = grades.aggregate(last=Max("order"))["last"] or 0
    return Grade.objects.create(force=force, code=code, order=min(last + 1, MAX_ORDER))


def bilingual(form, welsh_force):
    """A Welsh force's form shows each text's Welsh right after it; others have no Welsh."""
    names = list(form.fields)
    for name in names:
        english = name[: -len(welsh.SUFFIX)]
        if not name.endswith(welsh.SUFFIX) or english not in form.fields:
            continue
        if not welsh_force:
            del form.fields[name]
            continue
        form.fields[name].widget.attrs["lang"] = welsh.WELSH
        label_welsh(form, name)
    if not welsh_force:
        for name in ("welsh_category", "welsh_level"):
            form.fields.pop(name, None)
        return
    order = [n for n in names if not n.endswith(welsh.SUFFIX) or n[:-3] not in names]
    for name in names:
        if name.endswith(welsh.SUFFIX) and name[:-3] in order:
            order.insert(order.index(name[:-3]) + 1, name)
    form.order_fields(order)


def label_welsh(form, name):
    """Label a Welsh field after its English one, saying when it needs translation."""
    english = name[: -len(welsh.SUFFIX)]
    needs = bool(form.instance.pk) and welsh.needs_translation(form.instance, english)
    welsh.label_twin(form.fields[name], form.fields[english].label, needs)


class RowForm(forms.ModelForm):
    """A formset row; its order number alone does not make a blank row worth saving.

    `welsh`: the profile's force is Welsh, so its texts are edited in Welsh too; `choices`:
    the options of its selects, read once for the page (Choices).
    """

    def __init__(self, *args, welsh=False, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        bilingual(self, welsh)
        # Rows repeat: the help texts are said once, at the top of each part.
        for field in self.fields.values():
            field.help_text = ""
        if "weighting" in self.fields:
            self.fields["weighting"].label = _("Weighting (%)")
        if choices is not None:
            choices.apply_form(self)
        self.initial.update(self.initial_of(self.instance))

    @classmethod
    def initial_of(cls, row):
        """Initial values the form gives beyond the row's own fields (profiles.editor.shown
        gives them too)."""
        return {}

    def has_changed(self):
        return bool(set(self.changed_data) - {"ORDER"})

    def _post_clean(self):
        # A saved row posted with the values it has (most rows of a save) is left as it is:
        # its fields are cleaned all the same and the rules see it in the draft, but the
        # model's own checks of the instance (Model.full_clean, unique checks), which it
        # passed when it was written, are not made again. A new or changed row gets them all.
        if self.instance.pk is not None and not self.has_changed():
            return
        super()._post_clean()

    def _get_validation_exclusions(self):
        # A value checked against the objects the page fetched exists: the model's own
        # check of a foreign key would be one more query per row.
        return super()._get_validation_exclusions() | fetched_names(self)


class PostDetailForm(RowForm):
    class Meta:
        model = PostDetail
        fields = ["label", "value", "label_cy", "value_cy"]
        labels = {
            "label": _("Label"),
            "value": _("Value"),
        }
        widgets = {
            "value": forms.Textarea(attrs={"rows": 1}),
            "value_cy": forms.Textarea(attrs={"rows": 1}),
        }


class SectionForm(RowForm):
    class Meta:
        model = Section
        fields = ["kind", "heading", "intro", "weighting", "heading_cy", "intro_cy"]
        labels = {
            "kind": _("Kind"),
            "heading": _("Heading"),
            "intro": _("Intro"),
            "weighting": _("Weighting"),
        }
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 1}),
            "intro_cy": forms.Textarea(attrs={"rows": 1}),
            "weighting": forms.NumberInput(attrs={"class": "js-section-weighting"}),
        }


class ItemForm(RowForm):
    class Meta:
        model = Item
        fields = ["subheading", "text", "weighting", "text_cy"]
        labels = {
            "subheading": _("Subheading"),
            "text": _("Text"),
        }
        # The subheading is typed once per group; the page copies it to each item.
        widgets = {
            "subheading": forms.HiddenInput(attrs={"class": "js-subheading js-group-value"}),
            "text": forms.Textarea(attrs={"rows": 1}),
            "text_cy": forms.Textarea(attrs={"rows": 1}),
            "weighting": forms.NumberInput(attrs={"class": "js-item-weighting"}),
        }


class CriterionForm(RowForm):
    # Disability Confident: ticked as the rule has it (profiles.rules.is_minimum); a box the
    # editor ticks or clears records the force's own mark, one left alone keeps what was
    # stored (for a new criterion: the rule, essential and assessed at application).
    minimum = forms.BooleanField(
        required=False, label=_("Minimum criterion (Disability Confident)")
    )

    class Meta:
        model = Criterion
        fields = [
            "requirement",
            "minimum",
            "category",
            "heading",
            "text",
            "methods",
            "method_note",
            "shortlisting_code",
            "row",
            "text_cy",
            "method_note_cy",
        ]
        labels = {
            "requirement": _("Requirement"),
            "category": _("Category"),
            "heading": _("Heading"),
            "text": _("Text"),
            "methods": _("Methods"),
            "method_note": _("Method note"),
            "shortlisting_code": _("Shortlisting code"),
            "row": _("Row"),
        }
        # The category and its printed heading are chosen once per group of criteria; the
        # page copies them to each criterion of the group, as it does items' subheadings.
        widgets = {
            "category": forms.HiddenInput(attrs={"class": "js-group-value"}),
            "heading": forms.HiddenInput(attrs={"class": "js-group-value"}),
            "text": forms.Textarea(attrs={"rows": 1}),
            "text_cy": forms.Textarea(attrs={"rows": 1}),
            "methods": forms.CheckboxSelectMultiple,
        }

    @classmethod
    def initial_of(cls, criterion):
        if criterion.pk is None:
            return {}
        # The methods come prefetched with the editor's rows.
        names = [method.name for method in criterion.methods.all()]
        return {"minimum": rules.is_minimum(criterion.requirement, criterion.minimum, names)}

    def clean_minimum(self):
        if "minimum" not in self.changed_data:
            return self.instance.minimum
        return self.cleaned_data["minimum"]


class BehaviourForm(RowForm):
    class Meta:
        model = Behaviour
        fields = ["level", "methods", "method_note", "for_pdr", "method_note_cy"]
        labels = {
            "level": _("Level"),
            "methods": _("Methods"),
            "method_note": _("Method note"),
            "for_pdr": _("For PDR"),
        }
        widgets = {"methods": forms.CheckboxSelectMultiple}


class SkillForm(RowForm):
    class Meta:
        model = SkillRequirement
        fields = ["level", "for_pdr"]
        labels = {
            "level": _("Level"),
            "for_pdr": _("For PDR"),
        }


class Prefetched:
    """A formset over rows already fetched with the whole profile (no query of its own).

    Bound to a post, it first checks that the post describes exactly these rows
    (profiles.limits.check_formset_rows); `rows_must_match=False` checks only its counts,
    for a post known to be stale.
    """

    def __init__(self, *args, rows=None, rows_must_match=True, **kwargs):
        self._rows = rows
        self._rows_by_pk = None if rows is None else by_pk(rows)
        super().__init__(*args, **kwargs)
        if self.is_bound:
            check_formset_rows(self.data, self.prefix, rows if rows_must_match else None)

    def get_queryset(self):
        if self._rows is not None:
            return self._rows
        return super().get_queryset()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if self._rows_by_pk is not None:
            # A posted row id is one of the rows fetched (check_formset_rows), not a query.
            use_fetched(form.fields[self._pk_field.name], self._rows_by_pk)
        form.fields["ORDER"].label = _("Position")
        form.fields["ORDER"].validators.extend(order_validators)
        # Rows are moved with buttons or by dragging; the page renumbers them.
        form.fields["ORDER"].widget = forms.HiddenInput(attrs={"class": "js-order"})
        form.fields["DELETE"].label = _("Remove")


class EditorFormSet(Prefetched, formsets.PartFormSet):
    """A part of the editor: it validates its rows; ProfileEditor checks the rules."""


def factory(model, form):
    return inlineformset_factory(
        RoleProfile if model is not Item else Section,
        model,
        form=form,
        formset=EditorFormSet,
        extra=1,
        can_order=True,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_FORMS,
    )


PostDetailFormSet = factory(PostDetail, PostDetailForm)
SectionFormSet = factory(Section, SectionForm)
ItemFormSet = factory(Item, ItemForm)
CriterionFormSet = factory(Criterion, CriterionForm)
BehaviourFormSet = factory(Behaviour, BehaviourForm)
SkillFormSet = factory(SkillRequirement, SkillForm)

# prefix → (formset class, title, the draft part and its row); items have the prefix
# "<section prefix>-items".
PARTS = {
    "details": (PostDetailFormSet, "Post details", "post_details", PostDetailDraft),
    "sections": (SectionFormSet, "Sections", "sections", SectionDraft),
    "criteria": (CriterionFormSet, "Criteria", "criteria", CriterionDraft),
    "behaviours": (BehaviourFormSet, "Behaviours", "behaviours", BehaviourDraft),
    "skills": (SkillFormSet, "Skills", "skills", SkillDraft),
}


def blank_row(formset, index):
    """A blank row of `formset` at position `index`: its empty form, named for that position."""
    form = formset.empty_form
    form.prefix = formset.add_prefix(index)
    return form


def row_kwargs(profile, choices):
    """The row forms' keyword arguments: whether they edit Welsh too, and the options."""
    return {"welsh": profile.force.welsh_language, "choices": choices}


def item_prefix(section_form):
    return f"{section_form.prefix}-items"


POSTED_LEVEL = re.compile(r"behaviours-\d+-level")


class Choices:
    """The options of every select in the editor, each read once."""

    def __init__(self, profile, data=None):
        framework_id = profile.framework_id
        levels = list(
            CompetencyLevel.objects.filter(competency__framework_id=framework_id).select_related(
                "competency"
            )
        )
        skill_levels = list(SkillLevel.objects.select_related("skill"))
        methods = list(AssessmentMethod.objects.all())
        self.levels, self.levels_by_pk = choices_of(levels), by_pk(levels)
        self.skill_levels, self.skill_levels_by_pk = choices_of(skill_levels), by_pk(skill_levels)
        self.methods, self.methods_by_pk = choices_of(methods, blank=False), by_pk(methods)
        # A post may name levels of another framework (the profile's framework changed in
        # the same post, or a tampered one): read those in one query, for the rules to judge.
        posted = {
            value
            for name, value in (data.items() if data is not None else ())
            if POSTED_LEVEL.fullmatch(name) and isinstance(value, str) and value.isdigit()
        }
        if set(posted) - set(self.levels_by_pk):
            others = CompetencyLevel.objects.filter(pk__in=set(posted) - set(self.levels_by_pk))
            self.levels_by_pk = {**self.levels_by_pk, **by_pk(others.select_related("competency"))}

    def apply_form(self, form):
        fields = form.fields
        if "methods" in fields:
            share_choices(fields["methods"], self.methods)
            use_fetched(fields["methods"], self.methods_by_pk)
        if isinstance(form, BehaviourForm):
            # Any level may be posted; the rules say when it is not of the profile's framework.
            share_choices(fields["level"], self.levels)
            use_fetched(fields["level"], self.levels_by_pk)
        if isinstance(form, SkillForm):
            share_choices(fields["level"], self.skill_levels)
            use_fetched(fields["level"], self.skill_levels_by_pk)


def share_choices(field, choices):
    """Give a row's select the option list every row shares, as it is: the `choices` setter
    would copy (normalise) it for each row, most of the cost of building a long editor.
    `choices` is a flat list of (value, label) pairs, already what normalising gives."""
    field._choices = field.widget.choices = choices


def fetch_for_editor(profile):
    """The profile and every child the editor shows, in a fixed number of queries."""
    return (
        # The post fields' references: the publication checklist's draft (profiles.checklist)
        # reads them, and the NOS units once it is shown (not when a post is refused).
        RoleProfile.objects.select_related(
            "force__default_vetting_level",
            "grade",
            "grade_to",
            "vetting_level",
            "framework",
            "welsh_level",
        )
        .prefetch_related(*EDITOR_PREFETCH)
        .get(pk=profile.pk)
    )


class ProfileEditor:
    """Every form of the editor page, validated and saved as one."""

    def __init__(self, profile, data=None, rows_must_match=True):
        """Bound to `data`, raises TamperedPost unless it describes the profile's rows."""
        if data is not None:
            check_declared_forms(data)
        self.profile = profile
        self.data = data
        self.choices = Choices(profile, data)
        self.shown = shown.Shown()
        self.form = ProfileForm(data, instance=profile, force=profile.force, prefix="profile")
        self.formsets = {}
        for prefix, (formset_class, *_rest) in PARTS.items():
            related = getattr(profile, formset_class.fk.remote_field.related_name)
            formset = formset_class(
                data,
                instance=profile,
                prefix=prefix,
                rows=list(related.all()),
                rows_must_match=rows_must_match,
                form_kwargs=row_kwargs(profile, self.choices),
            )
            self.formsets[prefix] = formset
        self.item_formsets = {}
        for section_form in self.forms(self.formsets["sections"]):
            section = section_form.instance
            items = list(section.items.all()) if section.pk else []
            self.item_formsets[section_form.prefix] = ItemFormSet(
                data,
                instance=section,
                prefix=item_prefix(section_form),
                rows=items,
                rows_must_match=rows_must_match,
                form_kwargs=row_kwargs(profile, self.choices),
            )
        self.profile_errors = []

    def forms(self, formset):
        """The formset's forms to print; unbound (the page as opened), its rows without a
        form each (profiles.editor.shown), printed the same."""
        if formset.is_bound:
            return formset.forms
        return self.shown.rows(formset)

    def parts(self):
        """(prefix, title, formset) for the template, in page order."""
        return [(prefix, title, self.formsets[prefix]) for prefix, (_, title, *_) in PARTS.items()]

    def sections(self):
        """(section form, its item formset) pairs, in the order they are shown."""
        sections = self.forms(self.formsets["sections"])
        return [(form, self.item_formsets[form.prefix]) for form in sections]

    def is_valid(self):
        # The profile form first: the draft takes the post fields from what it puts on the
        # instance (the framework the behaviours are checked against).
        valid = self.form.is_valid()
        valid = all([formset.is_valid() for formset in self.formsets.values()]) and valid
        sections = self.formsets["sections"]
        items_valid = all(
            [
                self.item_formsets[form.prefix].is_valid()
                for form in sections.forms
                if not sections.is_deleted(form)
            ]
        )
        for form in sections.forms:
            # Items typed under a new section left blank would otherwise be dropped.
            if (
                form.instance.pk is None
                and not form.has_changed()
                and self.item_formsets[form.prefix].has_changed()
            ):
                form.add_error("kind", _("Choose the kind of section for these items."))
                valid = False
        # The rules are checked on the rows that validated, so that a broken rule is said
        # together with the field errors; while a part has an invalid row its rules wait,
        # and the profile's totals wait for every row.
        everything = valid and items_valid
        errors = [
            error
            for error in rules.check_profile(self.draft())
            if everything or self._checkable(error.location)
        ]
        self.profile_errors = self.report(errors)
        return everything and not errors

    @staticmethod
    def _rows(formset):
        """The forms of the rows to save that validated, in order: the draft's rows."""
        return [form for form in formset.kept_forms() if not form.errors]

    def _checkable(self, location):
        """Whether the rows an error at `location` is about all validated."""
        part = next((p for p, (*_, name, _row) in PARTS.items() if name == location[0]), None)
        if part is None or len(location) < 3 or not self.formsets[part].is_valid():
            return False
        if part != "sections":
            return True
        section = self._rows(self.formsets["sections"])[location[1]]
        return self.item_formsets[section.prefix].is_valid()

    @staticmethod
    def _said_with_items(error, at):
        location = error.location
        return location in ((*at, "weighting"), at) or location[:3] == (*at, "items")

    def draft(self):
        """The profile as this save would leave it, of the rows that validated (its NOS
        units, which the editor does not show and no rule reads, left out)."""
        parts = {}
        for prefix, (_formset, _title, part, row_class) in PARTS.items():
            forms = self._rows(self.formsets[prefix])
            if prefix == "sections":
                parts[part] = [
                    SectionDraft.from_data(
                        form.cleaned_data,
                        items=[
                            ItemDraft.from_data(item.cleaned_data)
                            for item in self._rows(self.item_formsets[form.prefix])
                        ],
                    )
                    for form in forms
                ]
            else:
                parts[part] = [row_class.from_data(form.cleaned_data) for form in forms]
        draft = replace(ProfileDraft.from_profile(self.form.instance, children=False), **parts)
        new_grade = getattr(self.form, "cleaned_data", {}).get("new_grade")
        if new_grade and draft.grade is None:
            # A grade typed into "Or a new grade" counts before it is saved (and created).
            draft.fields["grade"] = Grade(force=self.profile.force, code=new_grade)
        return draft

    def report(self, errors):
        """Put each error next to its field; returns those about the whole profile."""
        # Rows are taken before any error is added: a row given an error stays its row.
        rows = {prefix: self._rows(formset) for prefix, formset in self.formsets.items()}
        above = formsets.report(
            errors, [], (), general=[("sections",), ("status",)], field_forms=[self.form]
        )
        for index, form in enumerate(rows["sections"]):
            # A section's weighting that its items do not add up to is said with the items,
            # next to their live total.
            items = self.item_formsets[form.prefix]
            at = ("sections", index)
            said = formsets.report(
                errors, self._rows(items), (*at, "items"), general=[(*at, "weighting"), at]
            )
            items.non_form_errors().extend(said)
            errors = [error for error in errors if not self._said_with_items(error, at)]
        for prefix, (_formset, _title, part, _row) in PARTS.items():
            formsets.report(errors, rows[prefix], (part,))
        return [error.message for error in above]


class ImportedTitleForm(forms.ModelForm):
    """The title of an imported profile, corrected on its review page."""

    class Meta:
        model = RoleProfile
        fields = ["title"]
        labels = {"title": "Job title"}
