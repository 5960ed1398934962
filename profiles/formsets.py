"""Inline formsets that apply the domain rules to data not yet saved.

The admin and the browser editor both use these, so a rule is checked the same way
wherever a profile is edited.
"""

from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet

from profiles import rules
from profiles.models import SectionKind, Status


def check_still_publishable(profile, responsibility_count):
    """A published profile keeps at least one responsibility.

    Its grade and vetting level are the profile form's to check; this is about what
    the submitted sections or items would leave.
    """
    if profile is None or profile.status != Status.PUBLISHED:
        return
    try:
        rules.check_publishable(profile.grade, profile.vetting_level, responsibility_count)
    except ValidationError as error:
        if "status" in error.error_dict:
            raise ValidationError(error.error_dict["status"]) from None


class RuleFormSet(BaseInlineFormSet):
    def kept_forms(self):
        """Every form that will be saved (not empty, not deleted)."""
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]

    def kept_data(self):
        return [form.cleaned_data for form in self.kept_forms()]


class ItemFormSet(RuleFormSet):
    """Items of one section: their weightings add up to the section's total.

    Build it before validating the section's own form: the section then leaves the
    check to this formset, which sees the items as submitted rather than as saved.
    An editor that changes every section in one form sets `check_profile` False and
    checks the profile's total across the posted sections itself, since the saved
    sibling sections this check reads may be changing in the same request.
    """

    check_profile = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.items_checked_by_formset = True

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        section = self.instance
        weightings = [data.get("weighting") for data in self.kept_data()]
        rules.check_section_weightings(
            section.heading or section.get_kind_display(), section.weighting, weightings
        )
        if self.check_profile and section.profile_id:
            others = section.profile.sections.exclude(pk=section.pk).prefetch_related("items")
            rules.check_profile_weighting(
                [other.total() for other in others]
                + [rules.section_total(section.weighting, weightings)]
            )
            responsibilities = sum(
                len(other.items.all())
                for other in others
                if other.kind == SectionKind.RESPONSIBILITIES
            )
            if section.kind == SectionKind.RESPONSIBILITIES:
                responsibilities += len(weightings)
            check_still_publishable(section.profile, responsibilities)


class SectionFormSet(RuleFormSet):
    """Sections of one profile: together they never exceed 100 %, and a published
    profile keeps a section of responsibilities."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        totals = []
        responsibilities = 0
        for data in self.kept_data():
            section = data.get("id")
            items = list(section.items.all()) if section else []
            totals.append(rules.section_total(data.get("weighting"), [i.weighting for i in items]))
            if data.get("kind") == SectionKind.RESPONSIBILITIES:
                responsibilities += len(items)
        rules.check_profile_weighting(totals)
        # The profile's own clean() refuses to publish a profile without responsibilities
        # saved; this catches sections that would take the saved ones away.
        profile = self.instance
        if profile.status == Status.PUBLISHED and profile.pk and profile.responsibility_count():
            check_still_publishable(profile, responsibilities)


class CriterionFormSet(RuleFormSet):
    """Criteria of one profile: shortlisting codes are unique."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        forms = self.kept_forms()
        codes = [form.cleaned_data.get("shortlisting_code", "") for form in forms]
        try:
            rules.check_unique_shortlisting_codes(codes)
        except ValidationError as error:
            # Show the message next to every use of a repeated code.
            repeated = set(rules.repeated_shortlisting_codes(codes))
            for form, code in zip(forms, codes, strict=True):
                if rules.shortlisting_code_key(code) in repeated:
                    form.add_error("shortlisting_code", error)


class BehaviourFormSet(RuleFormSet):
    """Behaviours of one profile: each level belongs to the profile's framework."""

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or self._should_delete_form(form):
                continue
            try:
                rules.check_behaviour_level(self.instance.framework, data.get("level"))
            except ValidationError as error:
                form.add_error("level", error)
