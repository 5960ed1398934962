"""Domain rules for role profiles, one function each.

Every rule takes plain values so that the model's clean(), the admin, the browser
editor and the fixture loader can all call the same function, whether the data is
saved yet or still in a form. Each raises ValidationError with a message a person
understands.
"""

from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError

FULL_TIME = Decimal(100)


def _fmt(value):
    return f"{Decimal(value).normalize():f} %"


def section_total(declared, weightings):
    """What a section contributes to the profile: its declared total, else its items' sum."""
    weighted = [w for w in weightings if w is not None]
    if declared is not None:
        return Decimal(declared)
    return sum(weighted, Decimal(0))


def check_section_weightings(heading, declared, weightings):
    """The weightings of a section's items add up to the section's declared total."""
    weighted = [Decimal(w) for w in weightings if w is not None]
    if declared is None or not weighted:
        return
    total = sum(weighted, Decimal(0))
    if total != Decimal(declared):
        raise ValidationError(
            f"The weightings in “{heading}” add up to {_fmt(total)}, "
            f"but the section’s total is {_fmt(declared)}.",
            code="section_weighting",
        )


def check_profile_weighting(section_totals):
    """A profile's weightings never exceed 100 % of the post holder's time."""
    total = sum((Decimal(t) for t in section_totals), Decimal(0))
    if total > FULL_TIME:
        raise ValidationError(
            f"The sections of this profile are weighted {_fmt(total)} in all; "
            f"they may not exceed {_fmt(FULL_TIME)}.",
            code="profile_weighting",
        )


def check_behaviour_level(framework, level):
    """A behaviour's level belongs to the profile's framework."""
    if level is None:
        return
    if framework is None:
        raise ValidationError(
            "Choose the profile’s competency framework before adding behaviours.",
            code="behaviour_without_framework",
        )
    if level.competency.framework_id != framework.pk:
        raise ValidationError(
            f"“{level}” is not part of {framework}, the framework of this profile.",
            code="behaviour_framework",
        )


def shortlisting_code_key(code):
    """Codes that differ only in case or surrounding spaces are the same code."""
    return (code or "").strip().upper()


def repeated_shortlisting_codes(codes):
    counts = Counter(shortlisting_code_key(code) for code in codes)
    return sorted(code for code, n in counts.items() if code and n > 1)


def check_unique_shortlisting_codes(codes):
    """Shortlisting codes (EE2, EA1 …) are unique within a profile."""
    repeated = repeated_shortlisting_codes(codes)
    if repeated:
        raise ValidationError(
            f"Shortlisting code {', '.join(repeated)} is used more than once in this profile.",
            code="duplicate_shortlisting_code",
        )


def check_publishable(grade, vetting_level, responsibility_count):
    """A published profile has a grade, a vetting level and at least one responsibility."""
    errors = {}
    if grade is None:
        errors["grade"] = ValidationError("A published profile needs a grade.", code="publish")
    if vetting_level is None:
        errors["vetting_level"] = ValidationError(
            "A published profile needs a vetting level.", code="publish"
        )
    if not responsibility_count:
        errors["status"] = ValidationError(
            "A published profile needs at least one responsibility.", code="publish"
        )
    if errors:
        raise ValidationError(errors)


def check_label_overrides(overrides, known):
    """A force renames only fields that are printed, each to some words."""
    if not isinstance(overrides, dict):
        raise ValidationError(
            'Give the labels as {"field name": "label"}, e.g. {"reports_to": "Reporting to"}.',
            code="label_overrides",
        )
    unknown = sorted(name for name in overrides if name not in known)
    if unknown:
        raise ValidationError(
            f"No printed field is called {', '.join(unknown)}; "
            f"the fields are {', '.join(sorted(known))}.",
            code="label_overrides",
        )
    blank = sorted(
        name for name, label in overrides.items() if not isinstance(label, str) or not label.strip()
    )
    if blank:
        raise ValidationError(
            f"Give {', '.join(blank)} a label of some words.", code="label_overrides"
        )
