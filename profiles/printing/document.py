"""Turn a role profile into the template context every rendering of it uses.

(Past 400 lines because its first 60 are the context's contract with the templates.)

`document_context(profile)` is the one place that fetches a profile with all its
children (in a fixed number of queries, whatever the profile's size) and shapes
them for templates: the HTML export, the PDF house layouts and the read page.

Context keys (stable; templates rely on them):

- ``profile``: the RoleProfile, with force, grade, grade_to, vetting_level and
  framework already joined.
- ``force``: the profile's Force; ``layout``: its named layout (profiles.models.Layout);
  ``style``: its resolved house style (profiles.printing.styles.resolve); ``parts``: the parts
  the document prints, in order (profiles.printing.styles.document_parts).
- ``document_title``: what the force calls the document ("Job Description" …).
- ``labels``: field name → the force's own label for it ("reports_to": "Reporting to"):
  the force's ``label_overrides``, else the house style's, else the default label.
- ``grid``: the post-detail grid, ``{"name", "label", "value", "force_default"}`` per field
  that has a value (its own, else the force's default: ``force_default`` is then True) or
  that the house style prints even blank; review dates print as written
  ("December 2020" or "14 December 2020"); the common fields (officer or staff, Home
  Office function code, limited duties category, section, internal and external
  contacts) are rows of it.
- ``authorisation``: ``{"name", "label", "value", "date_label", "date"}`` for prepared
  by / approved by / evaluation panel, where set or printed by the house style; dates
  print as review dates do ("2 August 2017"), one format on a page.
- ``post_details``: list of PostDetail (label, value) in order.
- ``sections``: list of section dicts in order, each ``{"section", "kind", "heading",
  "intro", "weighting", "items", "groups"}`` where ``items`` is the list of Items and
  ``groups`` is a list of ``{"subheading", "items"}`` of consecutive items sharing a
  subheading.
- ``sections_before_criteria`` / ``sections_after_criteria``: the sections split as the
  seed documents order them: behaviours, values, additional information, progression
  and notes come after the criteria, everything else before.
- ``sections_by_kind``: SectionKind value → list of those section dicts (every kind
  present, empty where the profile has none).
- ``criteria``: list of Criterion, ``methods`` prefetched (``criterion.methods.all()``).
- ``criteria_groups``: criteria sharing (requirement, category, heading), groups in
  order of first appearance:
  ``{"requirement", "requirement_label", "category", "label", "criteria"}``; ``label``
  is the force's heading, else the category's name, else "" (an ungrouped criterion is
  printed under Essential / Desirable alone).
- ``criteria_tables``: criteria sharing (category, heading), laid out in
  rows for essential/desirable tables: ``{"category", "label", "rows"}``, each row
  ``{"essential": [...], "desirable": [...], "methods": [...], "method_note",
  "shortlisting_codes"}``; criteria with the same ``row`` number share a row, a
  criterion without one has a row of its own.
- ``shortlisting``: True when any criterion carries a shortlisting code.
- ``behaviours``: list of ``{"behaviour", "competency", "cluster", "level", "indicators",
  "methods", "method_note", "for_pdr"}``; ``behaviour_clusters``: consecutive behaviours
  sharing a cluster, ``{"cluster", "behaviours"}``.
- ``skills``: list of ``{"requirement", "skill", "category", "level", "description",
  "for_pdr"}``.
- ``nos_units``: list of NosUnit.
- ``standard_sections``: the force's StandardSections in order; ``standard_by_placement``:
  placement → list of them (every placement of PLACEMENTS present). Placements the default layout prints: start (under the
  title), responsibilities (after them), behaviours / behaviours_end (around the
  behaviours), values (before the values), criteria / criteria_end (around the
  criteria), shortlisting (before the shortlisting table), vetting (before the vetting
  level), end.
- ``vetting``: the VettingLevel or None (its ``description`` explains who needs it).
- ``values``: the framework's Values in order (empty without a framework).
- ``language``: "en" or "cy", the language the texts are in; ``language_tag``: its HTML
  tag ("en-GB", "cy"); ``untranslated``: in Welsh, how many printed texts had no Welsh and
  were left in English (the checklist names them); ``welsh``: the post's Welsh language
  category and level as a row of ``grid`` (``{"name": "welsh_language", "label", "value"}``),
  or None.
"""

from itertools import groupby

from django.template.loader import render_to_string
from django.utils.formats import date_format

from competencies.models import Value
from profiles import rules, welsh
from profiles.dates import format_partial_date
from profiles.draft import PROFILE_PREFETCH
from profiles.models import (
    CriterionCategory,
    OfficerOrStaff,
    Requirement,
    RoleProfile,
    SectionKind,
    StandardSection,
    WelshCategory,
)
from profiles.printing import styles

# The post-detail grid and the authorisation block: a field is printed when it has a
# value or when the force's house style prints it even blank (BTP's post number).
GRID_FIELDS = [
    "title",
    "reference_code",
    "job_evaluation_ref",
    "post_number",
    "grade",
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
    "vetting_level",
    "date_reviewed",
    "review_due",
]
AUTHORISATION_FIELDS = [
    ("prepared_by", "prepared_on"),
    ("approved_by", "approved_on"),
    ("evaluation_panel", "evaluation_panel_on"),
]


# Section kinds the seed documents print after their criteria.
AFTER_CRITERIA = {
    SectionKind.BEHAVIOURS,
    SectionKind.VALUES,
    SectionKind.ADDITIONAL_INFORMATION,
    SectionKind.PROGRESSION,
    SectionKind.NOTES,
}

# Where the default layout prints a force's standard sections; house layouts may add more.
PLACEMENTS = [
    "start",
    "responsibilities",
    "behaviours",
    "behaviours_end",
    "values",
    "criteria",
    "criteria_end",
    "shortlisting",
    "vetting",
    "end",
]


def _grade_text(profile):
    """The grade, its range and its note; the note prints even without a grade."""
    grade = profile.grade
    text = (grade.name or grade.code) if grade is not None else ""
    if grade is not None and profile.grade_to_id:
        text = f"{text} – {profile.grade_to.name or profile.grade_to.code}"
    return f"{text} {profile.grade_note}".strip()


def _vetting_level(profile):
    """The profile's vetting level, else its force's default (rules.DEFAULTED_FIELDS)."""
    return profile.vetting_level or profile.force.default_vetting_level


def _field_value(profile, name):
    if name == "grade":
        return _grade_text(profile)
    if name == "vetting_level":
        level = _vetting_level(profile)
        return level.code if level is not None else ""
    if name in rules.DEFAULTED_FIELDS and not getattr(profile, name):
        # The force's default, for a profile that states none.
        value = getattr(profile.force, f"default_{name}")
        if name == "officer_or_staff" and value:
            return OfficerOrStaff(value).label
        return value
    if name in ("date_reviewed", "review_due"):
        return format_partial_date(getattr(profile, name), getattr(profile, f"{name}_precision"))
    if name == "officer_or_staff":
        return profile.get_officer_or_staff_display()
    value = getattr(profile, name)
    return "" if value is None else str(value)


def _without_label(value, label):
    """A value that repeats its label ("Grade D" under "Grade") without it: "D"."""
    if label and value.casefold().startswith(label.casefold() + " "):
        return value[len(label) + 1 :]
    return value


def _grid(profile, labels, house):
    fields = {name: getattr(profile, name) for name in rules.DEFAULTED_FIELDS}
    defaulted = set(rules.defaulted(fields, rules.force_defaults(profile.force)))
    return [
        {
            "name": name,
            "label": labels[name],
            "value": _without_label(_field_value(profile, name), labels[name]),
            "force_default": name in defaulted,
        }
        for name in GRID_FIELDS
        if name in house or _field_value(profile, name)
    ]


def field_rows(profile, labels):
    """[(label, value)] of every field the profile has filled, in the force's words."""
    rows = [(row["label"], row["value"]) for row in _grid(profile, labels, house=set())]
    for row in _authorisation(profile, labels, house=set()):
        rows.append((row["label"], row["value"]))
        if row["date"]:
            rows.append((f"{row['label']} ({row['date_label'].lower()})", row["date"]))
    return rows


def _authorisation(profile, labels, house):
    rows = []
    for name, date_name in AUTHORISATION_FIELDS:
        value, on = getattr(profile, name), getattr(profile, date_name)
        if value or on or name in house:
            rows.append(
                {
                    "name": name,
                    "label": labels[name],
                    "value": value,
                    "date_label": labels["date"],
                    # One date format on a page: as a review date given to the day.
                    "date": date_format(on, "j F Y") if on else "",
                }
            )
    return rows


def fetch_profile(pk):
    """The profile and every child it prints, in a fixed number of queries."""
    return (
        RoleProfile.objects.select_related(
            "force__house_style",
            "force__default_vetting_level",
            "grade",
            "grade_to",
            "vetting_level",
            "framework",
            "welsh_level",
        )
        .prefetch_related(*PROFILE_PREFETCH, "behaviours__level__indicators")
        .get(pk=pk)
    )


def _section(section):
    items = list(section.items.all())
    groups = [
        {"subheading": subheading, "items": list(group)}
        for subheading, group in groupby(items, key=lambda item: item.subheading)
    ]
    return {
        "section": section,
        "kind": section.kind,
        "heading": section.heading or section.get_kind_display(),
        "intro": section.intro,
        "weighting": section.weighting,
        "items": items,
        "groups": groups,
        "weighted": any(item.weighting is not None for item in items),
    }


def _criterion_label(criterion):
    if criterion.heading:
        return criterion.heading
    return CriterionCategory(criterion.category).label if criterion.category else ""


def _grouped(criteria, key):
    """Criteria grouped by `key`, groups in order of first appearance."""
    groups = {}
    for criterion in criteria:
        groups.setdefault(key(criterion), []).append(criterion)
    return groups


def _criteria_groups(criteria):
    return [
        {
            "requirement": requirement,
            "requirement_label": Requirement(requirement).label,
            "category": category,
            "label": label,
            "criteria": members,
        }
        for (requirement, category, label), members in _grouped(
            criteria, lambda c: (c.requirement, c.category, _criterion_label(c))
        ).items()
    ]


def _row(members):
    methods = []
    for criterion in members:
        for method in criterion.methods.all():
            if method not in methods:
                methods.append(method)
    return {
        "essential": [c for c in members if c.requirement == Requirement.ESSENTIAL],
        "desirable": [c for c in members if c.requirement == Requirement.DESIRABLE],
        "methods": methods,
        "method_note": next((c.method_note for c in members if c.method_note), ""),
        "shortlisting_codes": [c.shortlisting_code for c in members if c.shortlisting_code],
    }


def _criteria_tables(criteria):
    tables = []
    for (category, label), members in _grouped(
        criteria, lambda c: (c.category, _criterion_label(c))
    ).items():
        rows = [
            _row(in_row)
            for in_row in _grouped(
                members, lambda c: c.row if c.row is not None else -c.pk
            ).values()
        ]
        methods = []
        for row in rows:
            methods += [method for method in row["methods"] if method not in methods]
        tables.append(
            {
                "category": category,
                "label": label,
                "rows": rows,
                # Essential and desirable side by side only where a row pairs them; else
                # one criterion a row, marked, so no row is left half empty.
                "paired": any(row["essential"] and row["desirable"] for row in rows),
                "methods": methods,
                "method_note": next((row["method_note"] for row in rows if row["method_note"]), ""),
                "has_methods": any(row["methods"] or row["method_note"] for row in rows),
            }
        )
    return tables


def _behaviour(behaviour):
    level = behaviour.level
    return {
        "behaviour": behaviour,
        "competency": level.competency,
        "cluster": level.competency.cluster,
        "level": level,
        "indicators": list(level.indicators.all()),
        "methods": list(behaviour.methods.all()),
        "method_note": behaviour.method_note,
        "for_pdr": behaviour.for_pdr,
    }


def _skill(requirement):
    level = requirement.level
    return {
        "requirement": requirement,
        "skill": level.skill,
        "category": level.skill.category,
        "level": level,
        "description": level.description,
        "for_pdr": requirement.for_pdr,
    }


def _in_welsh(profile, force, style, standard_sections, values):
    """Turn the fetched rows' printed texts into their Welsh; the count left in English."""
    style["labels"] = welsh.welsh_labels(
        force, getattr(force, "house_style", None), style["labels"]
    )
    left = 0
    rows = [profile, force, *standard_sections, *values, *profile.post_details.all()]
    for reference in (profile.grade, profile.grade_to, profile.vetting_level):
        if reference is not None:
            rows.append(reference)
    for section in profile.sections.all():
        rows += [section, *section.items.all()]
    for criterion in profile.criteria.all():
        rows += [criterion, *criterion.methods.all()]
    for behaviour in profile.behaviours.all():
        level = behaviour.level
        rows += [behaviour, level, level.competency, level.competency.cluster]
        rows += [*level.indicators.all(), *behaviour.methods.all()]
    for requirement in profile.skills.all():
        rows += [requirement.level, requirement.level.skill]
    rows += list(profile.nos_units.all())
    for row in rows:
        left += len(welsh.in_welsh(row))
    return left


def _welsh_requirement(profile, labels, language):
    """The post's need for Welsh as a row of the post-detail grid, or None."""
    if not profile.welsh_category:
        return None
    in_welsh = language == welsh.WELSH
    category = profile.welsh_category
    value = welsh.CATEGORIES_CY[category] if in_welsh else WelshCategory(category).label
    level = profile.welsh_level
    if level is not None:
        description = (in_welsh and level.description_cy) or level.description
        value = f"{value}. {welsh.LEVEL_WORD[language]} {level.level}: {description}"
    label = labels.get("welsh_language") or welsh.LANGUAGE_LABEL[language]
    return {"name": "welsh_language", "label": label, "value": value}


def document_context(profile, style=None, language="en"):
    """Everything a rendering of `profile` needs; see the module docstring for the keys.

    `style` (profiles.printing.styles.resolve) prints it in a style not yet saved, for a preview;
    `language` "cy" prints its Welsh texts (profiles.welsh).
    """
    profile = fetch_profile(profile.pk)
    force = profile.force
    style = style or styles.style_of(force)
    # A preview prints the force's title and colours as the style page has them, unsaved.
    for name, value in style.get("force", {}).items():
        setattr(force, name, value)
    standard_sections = list(StandardSection.objects.filter(force_id=force.pk))
    values = list(Value.objects.filter(framework_id=profile.framework_id))
    untranslated = 0
    if language == welsh.WELSH:
        style = dict(style)
        untranslated = _in_welsh(profile, force, style, standard_sections, values)
    labels = style["labels"]
    house = style["own_labels"]
    welsh_row = _welsh_requirement(profile, labels, language)
    sections = [_section(section) for section in profile.sections.all()]
    # Every key is present, so a template's lookup of an absent kind never falls through
    # to a dict method ("values", "items").
    sections_by_kind = {kind: [] for kind in SectionKind.values}
    for section in sections:
        sections_by_kind[section["kind"]].append(section)
    criteria = list(profile.criteria.all())
    behaviours = [_behaviour(behaviour) for behaviour in profile.behaviours.all()]
    behaviour_clusters = [
        {"cluster": cluster, "behaviours": list(members)}
        for cluster, members in groupby(behaviours, key=lambda b: b["cluster"])
    ]
    standard_by_placement = {placement: [] for placement in PLACEMENTS}
    for standard in standard_sections:
        standard_by_placement.setdefault(standard.placement, []).append(standard)
    context = {
        "profile": profile,
        "force": force,
        "style": style,
        "layout": style["layout"],
        "document_title": force.document_title,
        "labels": labels,
        "grid": _grid(profile, labels, house) + list(filter(None, [welsh_row])),
        "authorisation": _authorisation(profile, labels, house),
        "post_details": list(profile.post_details.all()),
        "sections": sections,
        "sections_by_kind": sections_by_kind,
        "sections_before_criteria": [s for s in sections if s["kind"] not in AFTER_CRITERIA],
        "sections_after_criteria": [s for s in sections if s["kind"] in AFTER_CRITERIA],
        "criteria": criteria,
        "criteria_groups": _criteria_groups(criteria),
        "criteria_tables": _criteria_tables(criteria),
        "shortlisting": any(c.shortlisting_code for c in criteria),
        "behaviours": behaviours,
        "behaviour_clusters": behaviour_clusters,
        "skills": [_skill(requirement) for requirement in profile.skills.all()],
        "nos_units": list(profile.nos_units.all()),
        "standard_sections": standard_sections,
        "standard_by_placement": standard_by_placement,
        "vetting": _vetting_level(profile),
        "values": values,
        "language": language,
        "language_tag": "cy" if language == welsh.WELSH else "en-GB",
        "untranslated": untranslated,
        "welsh": welsh_row,
    }
    grade = profile.grade
    # The title block's grade: "Grade Scale 4", but never "Grade Grade D".
    context["grade_line"] = (
        f"{labels['grade']} {_without_label(grade.code, labels['grade'])}".strip() if grade else ""
    )
    context["parts"] = styles.document_parts(context, style)
    return context


def render_document_html(profile, template="pdf/document.html"):
    """The profile as one standalone HTML document in its force's house style."""
    return render_to_string(template, document_context(profile))
