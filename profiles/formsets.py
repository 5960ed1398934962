"""Inline formsets that apply the domain rules to data not yet saved.

The admin and the browser editor both use these, so a rule is checked the same way
wherever a profile is edited.
"""

from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet

from profiles import rules


class RuleFormSet(BaseInlineFormSet):
    def kept_data(self):
        """cleaned_data of every form that will be saved (not empty, not deleted)."""
        return [
            form.cleaned_data
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]


class ItemFormSet(RuleFormSet):
    """Items of one section: their weightings add up to the section's total.

    An editor that changes every section in one form sets `check_profile` False and
    checks the profile's total across the posted sections itself, since the saved
    sibling sections this check reads may be changing in the same request.
    """

    check_profile = True

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


class SectionFormSet(RuleFormSet):
    """Sections of one profile: together they never exceed 100 %."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        totals = []
        for data in self.kept_data():
            section = data.get("id")
            saved_items = [item.weighting for item in section.items.all()] if section else []
            totals.append(rules.section_total(data.get("weighting"), saved_items))
        rules.check_profile_weighting(totals)


class CriterionFormSet(RuleFormSet):
    """Criteria of one profile: shortlisting codes are unique."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rules.check_unique_shortlisting_codes(
            [data.get("shortlisting_code", "") for data in self.kept_data()]
        )


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
