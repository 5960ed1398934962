"""Domain rules for role profiles, one function each, and `check_profile` that applies them all.

Every rule takes plain values and raises ValidationError with a message a person understands.
`check_profile(draft)` applies every rule to a profile.draft.ProfileDraft and returns every
error with its code and its location in the draft, e.g. ``("sections", 2, "items", 3,
"weighting")`` or ``("grade",)``. The model's clean(), the admin's and the editor's formsets,
the workflow services, load_force and the importer all build a draft and call it; what they
do with an error is only to say it next to the field its location names.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FULL_TIME = Decimal(100)
# profiles.models.Status.PUBLISHED (the models import this module, not the other way).
PUBLISHED = "published"
# profiles.models.WelshCategory.NOT_NECESSARY
WELSH_NOT_NECESSARY = "not_necessary"
# profiles.models.Requirement.ESSENTIAL
ESSENTIAL = "essential"
# The stages at which a criterion is assessed (profiles.printing.shortlisting prints a sheet per stage).
APPLICATION, INTERVIEW, TEST = "application", "interview", "test"


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
            _(
                "The weightings in “%(heading)s” add up to %(total)s, but the section’s total is %(declared)s."
            )
            % {"heading": heading, "total": _fmt(total), "declared": _fmt(declared)},
            code="section_weighting",
        )


def check_profile_weighting(section_totals):
    """A profile's weightings never exceed 100 % of the post holder's time."""
    total = sum((Decimal(t) for t in section_totals), Decimal(0))
    if total > FULL_TIME:
        raise ValidationError(
            _(
                "The sections of this profile are weighted %(total)s in all; they may not exceed %(full)s."
            )
            % {"total": _fmt(total), "full": _fmt(FULL_TIME)},
            code="profile_weighting",
        )


def check_behaviour_level(framework, level):
    """A behaviour's level belongs to the profile's framework."""
    if level is None:
        return
    if framework is None:
        raise ValidationError(
            _("Choose the profile’s competency framework before adding behaviours."),
            code="behaviour_without_framework",
        )
    if level.competency.framework_id != framework.pk:
        raise ValidationError(
            _("“%(level)s” is not part of %(framework)s, the framework of this profile.")
            % {"level": level, "framework": framework},
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
            _("Shortlisting code %(codes)s is used more than once in this profile.")
            % {"codes": ", ".join(repeated)},
            code="duplicate_shortlisting_code",
        )


def method_stage(name):
    """The stage an assessment method's name says ("Application Form" → application), or None."""
    name = name.casefold()
    if "application" in name:
        return APPLICATION
    if "interview" in name:
        return INTERVIEW
    if "test" in name or "assessment" in name or "exercise" in name:
        return TEST
    return None


def assessment_stages(method_names):
    """The stages methods of these names assess at; none named: at application (shortlisting)."""
    stages = {method_stage(name) for name in method_names} - {None}
    return stages or {APPLICATION}


def is_minimum(requirement, minimum, method_names):
    """A Disability Confident minimum criterion: an essential one as the force marked it
    (`minimum` True or False), else (None) every essential criterion assessed at application."""
    if requirement != ESSENTIAL:
        return False
    if minimum is not None:
        return minimum
    return APPLICATION in assessment_stages(method_names)


def check_minimum(requirement, minimum):
    """Only an essential criterion is marked a minimum criterion."""
    if minimum and requirement != ESSENTIAL:
        raise ValidationError(
            "Only an essential criterion can be a minimum criterion.", code="minimum_desirable"
        )


def check_publishable(grade, vetting_level, responsibility_count):
    """A published profile has a grade, a vetting level and at least one responsibility."""
    errors = {}
    if grade is None:
        errors["grade"] = ValidationError(_("A published profile needs a grade."), code="publish")
    if vetting_level is None:
        errors["vetting_level"] = ValidationError(
            _("A published profile needs a vetting level."), code="publish"
        )
    if not responsibility_count:
        errors["status"] = ValidationError(
            _("A published profile needs at least one responsibility."), code="publish"
        )
    if errors:
        raise ValidationError(errors)


# Fields a force may give a default for (Force.default_<name>): a profile that states none is
# taken to say the force's default. The pages mark it "force default"; the PDF prints it;
# publishing accepts it and writes it into the published profile (services.lifecycle.approve),
# so a later change of the default never changes what was approved.
DEFAULTED_FIELDS = ("vetting_level", "officer_or_staff", "working_arrangement")


def force_defaults(force):
    """{field: the force's default} for each field the force gives a default for."""
    if force is None:
        return {}
    defaults = {name: getattr(force, f"default_{name}") for name in DEFAULTED_FIELDS}
    return {name: value for name, value in defaults.items() if value}


def defaulted(fields, defaults):
    """The names of `fields` that are empty and that the force's `defaults` fill."""
    return [name for name in defaults if fields.get(name) in (None, "")]


def check_welsh_language(welsh_force, category, level):
    """A published profile of a Welsh force records the post's need for Welsh (Welsh
    Language Standards): its category and, unless Welsh is not necessary, its level."""
    if not welsh_force:
        return
    errors = {}
    if not category:
        errors["welsh_category"] = ValidationError(
            _("A published profile of a Welsh force needs its Welsh language category."),
            code="publish",
        )
    if category != WELSH_NOT_NECESSARY and level is None:
        errors["welsh_level"] = ValidationError(
            _("A published profile of a Welsh force needs its Welsh language level."),
            code="publish",
        )
    if errors:
        raise ValidationError(errors)


def check_welsh_level_force(level, force_id):
    """A profile's Welsh level is one of its own force's level definitions."""
    if level is not None and force_id and level.force_id != force_id:
        raise ValidationError(
            _("Welsh level %(level)s is defined by another force.") % {"level": level.level},
            code="welsh_level_force",
        )


def check_grade_force(grade, force_id):
    """A profile's grade belongs to the profile's force."""
    if grade is not None and force_id and grade.force_id != force_id:
        raise ValidationError(
            _("Grade %(grade)s belongs to another force.") % {"grade": grade}, code="grade_force"
        )


# Every rule at once ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleError:
    """One broken rule: what (code), the words for a person, and where in the draft."""

    code: str
    message: str
    location: tuple = ()


def _caught(location, check, *args):
    try:
        check(*args)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return [
                RuleError(item.code, message, (*location, name))
                for name, items in error.error_dict.items()
                for item in items
                for message in item.messages
            ]
        return [
            RuleError(item.code, message, location)
            for item in error.error_list
            for message in item.messages
        ]
    return []


def check_profile(draft, *, publishing=False):
    """Every rule a profile breaks, as RuleErrors; [] when it keeps them all.

    The rules of a published profile apply when the draft is published or, with
    `publishing`, when it is about to be.
    """
    errors = []
    for name in ("grade", "grade_to"):
        errors += _caught((name,), check_grade_force, draft.fields.get(name), draft.force_id)
    errors += _caught(
        ("welsh_level",), check_welsh_level_force, draft.fields.get("welsh_level"), draft.force_id
    )
    totals = []
    for index, section in enumerate(draft.sections):
        weightings = [item.weighting for item in section.items]
        errors += _caught(
            ("sections", index, "weighting"),
            check_section_weightings,
            section.label(),
            section.weighting,
            weightings,
        )
        totals.append(section_total(section.weighting, weightings))
    errors += _caught(("sections",), check_profile_weighting, totals)
    codes = [criterion.shortlisting_code for criterion in draft.criteria]
    repeated = set(repeated_shortlisting_codes(codes))
    if repeated:
        [error] = _caught((), check_unique_shortlisting_codes, codes)
        errors += [
            RuleError(error.code, error.message, ("criteria", index, "shortlisting_code"))
            for index, code in enumerate(codes)
            if shortlisting_code_key(code) in repeated
        ]
    for index, criterion in enumerate(draft.criteria):
        errors += _caught(
            ("criteria", index, "minimum"),
            check_minimum,
            criterion.requirement,
            criterion.minimum,
        )
    for index, behaviour in enumerate(draft.behaviours):
        errors += _caught(
            ("behaviours", index, "level"), check_behaviour_level, draft.framework, behaviour.level
        )
    if publishing or draft.status == PUBLISHED:
        errors += _caught(
            (),
            check_publishable,
            draft.fields.get("grade"),
            draft.fields.get("vetting_level") or draft.defaults.get("vetting_level"),
            draft.responsibility_count(),
        )
        errors += _caught(
            (),
            check_welsh_language,
            draft.welsh,
            draft.fields.get("welsh_category"),
            draft.fields.get("welsh_level"),
        )
    return errors


def messages_of(errors):
    """The errors' messages, each once, in order: for a message that names no field."""
    return list(dict.fromkeys(error.message for error in errors))


def raise_if_any(errors):
    """Raise one ValidationError holding every message (each once), if there are errors."""
    if errors:
        raise ValidationError(
            [ValidationError(message, code=code) for message, code in _unique(errors)]
        )


def _unique(errors):
    seen = {}
    for error in errors:
        seen.setdefault(error.message, error.code)
    return list(seen.items())


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
