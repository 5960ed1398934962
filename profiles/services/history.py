"""Versions of a role profile: what django-reversion records, and how two versions compare.

A profile is registered with reversion following all its children, so a revision holds the
whole profile. Two versions are compared as snapshots, the plain-data form of a profile that
profiles.services.copying reads (`snapshot_from_version`) and applies.
"""

import difflib
import re
from decimal import Decimal

import reversion
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from reversion.models import Version

from competencies.models import CompetencyLevel, Framework, SkillLevel
from profiles.draft import CHILDREN, CONTENT_FIELDS
from profiles.models import (
    AssessmentMethod,
    AuditEntry,
    Behaviour,
    Criterion,
    Grade,
    Item,
    NosUnit,
    PostDetail,
    RoleProfile,
    Section,
    SkillRequirement,
    Status,
    WelshLevel,
)
from vetting.models import VettingLevel

# Derived or private columns that a version does not need to carry.
NOT_VERSIONED = ("search_text", "search_vector")

reversion.register(RoleProfile, follow=tuple(CHILDREN), exclude=NOT_VERSIONED)
reversion.register(Section, follow=("items",))
for model in (PostDetail, Item, Criterion, Behaviour, SkillRequirement, NosUnit):
    reversion.register(model)


# Comparing two snapshots -------------------------------------------------------------------

LOOKUPS = {
    "grade_id": Grade,
    "grade_to_id": Grade,
    "vetting_level_id": VettingLevel,
    "framework_id": Framework,
    "welsh_level_id": WelshLevel,
}


def _labels(snapshots):
    """Names for the ids in the snapshots, a fixed number of queries whatever their size."""
    wanted = {model: set() for model in (Grade, VettingLevel, Framework, WelshLevel)}
    levels, skill_levels, methods = set(), set(), set()
    for snapshot in snapshots:
        for attname, model in LOOKUPS.items():
            if snapshot["fields"].get(attname):
                wanted[model].add(snapshot["fields"][attname])
        for row in snapshot["behaviours"]:
            levels.add(row["level_id"])
            methods.update(row.get("methods", []))
        for row in snapshot["criteria"]:
            methods.update(row.get("methods", []))
        for row in snapshot["skills"]:
            skill_levels.add(row["level_id"])
    labels = {model: model.objects.in_bulk(pks) for model, pks in wanted.items()}
    labels[CompetencyLevel] = CompetencyLevel.objects.select_related("competency").in_bulk(levels)
    labels[SkillLevel] = SkillLevel.objects.select_related("skill").in_bulk(skill_levels)
    labels[AssessmentMethod] = AssessmentMethod.objects.in_bulk(methods)
    return labels


def _show(value, choices=None):
    if value is None or value == "":
        return ""
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _profile_lines(snapshot, labels, field_labels):
    rows = []
    for field in CONTENT_FIELDS:
        if field.name == "welsh_sources":
            continue  # bookkeeping of the Welsh (profiles.welsh), not content to compare
        value = snapshot["fields"].get(field.attname)
        if field.attname in LOOKUPS:
            value = labels[LOOKUPS[field.attname]].get(value, "")
        label = field_labels.get(field.name) or capfirst(field.verbose_name)
        rows.append((label, _show(value, field.choices)))
    return rows


def _methods(row, labels):
    names = [str(labels[AssessmentMethod].get(pk, "")) for pk in row.get("methods", [])]
    return ", ".join(filter(None, [*names, row.get("method_note", "")]))


def _child_lines(snapshot, labels):
    """Each child as one readable line, grouped as the page prints them."""
    groups = {
        "Post details": [f"{row['label']}: {row['value']}" for row in snapshot["post_details"]],
        "Sections and items": [],
        "Criteria": [],
        "Behaviours": [],
        "Skills": [],
        "NOS units": [
            f"{row['code']} {row['name']} {row['description']}".strip()
            for row in snapshot["nos_units"]
        ],
    }
    for row in snapshot["sections"]:
        weighting = f" ({_show(row['weighting'])} %)" if row["weighting"] is not None else ""
        heading = row["heading"] or _show(row["kind"], Section._meta.get_field("kind").choices)
        groups["Sections and items"].append(f"§ {heading}{weighting}")
        if row["intro"]:
            groups["Sections and items"].append(f"    {row['intro']}")
        for item in row["items"]:
            weighting = f" ({_show(item['weighting'])} %)" if item["weighting"] is not None else ""
            subheading = f"{item['subheading']}: " if item["subheading"] else ""
            groups["Sections and items"].append(f"  • {subheading}{item['text']}{weighting}")
    requirement = Criterion._meta.get_field("requirement").choices
    category = Criterion._meta.get_field("category").choices
    for row in snapshot["criteria"]:
        code = f"[{row['shortlisting_code']}] " if row["shortlisting_code"] else ""
        group = row["heading"] or _show(row["category"], category)
        groups["Criteria"].append(
            f"{code}{_show(row['requirement'], requirement)}"
            f"{f', {group}' if group else ''}: {row['text']} — {_methods(row, labels)}"
        )
    for row in snapshot["behaviours"]:
        pdr = " (for PDR)" if row["for_pdr"] else ""
        groups["Behaviours"].append(
            f"{labels[CompetencyLevel].get(row['level_id'], '')}{pdr} — {_methods(row, labels)}"
        )
    for row in snapshot["skills"]:
        pdr = " (for PDR)" if row["for_pdr"] else ""
        groups["Skills"].append(f"{labels[SkillLevel].get(row['level_id'], '')}{pdr}")
    return groups


TOKENS = re.compile(r"(\s+)")


def _inline_diff(old, new):
    """Both texts with the words that differ wrapped in <del> and <ins>; all text escaped."""
    old_words, new_words = TOKENS.split(old), TOKENS.split(new)
    left, right = [], []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = conditional_escape("".join(old_words[i1:i2]))
        new_part = conditional_escape("".join(new_words[j1:j2]))
        if tag == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(format_html("<del>{}</del>", old_part))
        if new_part:
            right.append(format_html("<ins>{}</ins>", new_part))
    return mark_safe("".join(left)), mark_safe("".join(right))  # every part is escaped above


def _line_rows(old_lines, new_lines):
    """Side-by-side rows (change, left, right) for two lists of lines."""
    rows = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(("equal", line, line) for line in old_lines[i1:i2])
            continue
        old_part, new_part = old_lines[i1:i2], new_lines[j1:j2]
        for index in range(max(len(old_part), len(new_part))):
            old = old_part[index] if index < len(old_part) else None
            new = new_part[index] if index < len(new_part) else None
            if old is not None and new is not None:
                rows.append(("changed", *_inline_diff(old, new)))
            elif old is not None:
                rows.append(("removed", old, ""))
            else:
                rows.append(("added", "", new))
    return rows


def compare(old, new, field_labels=None):
    """Field rows and child groups of two snapshots, each marked equal/changed/added/removed.

    `field_labels` (a resolved style's "labels", profiles.printing.styles) names the fields as the
    force prints them; a field without one is named by its model's verbose name.
    """
    labels = _labels([old, new])
    field_labels = field_labels or {}
    fields = []
    for (label, left), (_, right) in zip(
        _profile_lines(old, labels, field_labels),
        _profile_lines(new, labels, field_labels),
        strict=True,
    ):
        if left == right:
            fields.append({"label": label, "change": "equal", "old": left, "new": right})
        else:
            old_html, new_html = _inline_diff(left, right)
            fields.append({"label": label, "change": "changed", "old": old_html, "new": new_html})
    old_groups, new_groups = _child_lines(old, labels), _child_lines(new, labels)
    groups = [
        {"name": name, "rows": _line_rows(old_groups[name], new_groups[name])}
        for name in old_groups
        if old_groups[name] or new_groups[name]
    ]
    for group in groups:
        group["changed"] = any(change != "equal" for change, _, _ in group["rows"])
    return {
        "fields": fields,
        "groups": groups,
        "changed": sum(row["change"] != "equal" for row in fields)
        + sum(change != "equal" for group in groups for change, _, _ in group["rows"]),
    }


def ensure_baseline(profile):
    """Store the profile as it is now if nothing is stored yet, so its first change can be
    compared with what came before (profiles made before history, or by copying)."""
    if Version.objects.get_for_object(profile).exists():
        return
    with reversion.create_revision():
        reversion.add_to_revision(RoleProfile.objects.get(pk=profile.pk))
        reversion.set_comment("As it was before its first recorded change.")


def versions_of(profile):
    """Stored versions of a profile and of every working draft it has had, newest first."""
    ids = {
        profile.pk,
        *AuditEntry.objects.filter(profile=profile).values_list("subject_id", flat=True),
    }
    return (
        Version.objects.get_for_model(RoleProfile)
        .filter(object_id__in=[str(pk) for pk in ids])
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def describe(version, profile):
    """Status, version number and which row (published or working draft) a version holds."""
    data = version.field_dict
    return {
        "status": Status(data["status"]).label,
        "number": data["version"],
        "draft": str(profile.pk) != version.object_id,
    }
