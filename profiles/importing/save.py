"""Turn a ParsedProfile into a draft RoleProfile of a force: the one conversion function.

Values are matched against what exists, never invented: grades against the force's
grades (a missing one is created only when an administrator imports), vetting levels,
competencies, levels, skills and assessment methods against the national data. A value
that matches nothing is kept as a free post-detail row or in the notes, with a warning.
The result is a `profiles.draft.ProfileDraft`, checked by `rules.check_profile` and written
by `services.copying.create_from_draft`, as every other new profile is.

It runs past 400 lines because each field's matching (dates, grades, vetting, criteria,
behaviours, skills) and the fallback that keeps what matched nothing are one conversion,
read in the order a profile is built.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from competencies.models import Competency, Framework, SkillLevel
from profiles import welsh
from profiles.dates import parse_partial_date
from profiles.draft import (
    DATE_FIELDS,
    PROFILE_FIELDS,
    BehaviourDraft,
    CriterionDraft,
    ItemDraft,
    NosUnitDraft,
    PostDetailDraft,
    ProfileDraft,
    SectionDraft,
    SkillDraft,
)
from profiles.importing.result import ParsedItem, ParsedSection
from profiles.importing.vocabulary import Vocabulary, norm, officer_or_staff_of
from profiles.limits import GRADE_CODE_LENGTH
from profiles.models import (
    AssessmentMethod,
    CriterionCategory,
    Force,
    Grade,
    RoleProfile,
    SectionKind,
    Status,
)
from profiles.printing import styles
from profiles.services import copying
from vetting.models import VettingLevel

NOTES_HEADING = "Imported text not placed"
TEXT_FIELDS = (
    "reference_code",
    "job_evaluation_ref",
    "post_number",
    "job_family",
    "service_area",
    "business_area",
    "department",
    "location",
    "reports_to",
    "people_responsibility",
    "working_arrangement",
    "prepared_by",
    "approved_by",
    "evaluation_panel",
    "home_office_function",
)


def field_labels(force):
    """The force's own label of each field (styles.resolve, as its PDF prints them)."""
    labels = dict(styles.style_of(force)["labels"])
    for name in DATE_FIELDS:
        labels.setdefault(name, name.replace("_", " ").capitalize())
    return labels


@dataclass
class Saved:
    profile: RoleProfile
    warnings: list[str] = field(default_factory=list)


def vocabulary_for(force):
    """The names the parser matches, read from the database (national data and the force)."""
    return Vocabulary(
        competencies=list(Competency.objects.values_list("name", flat=True)),
        clusters=list(
            Competency.objects.exclude(cluster=None).values_list("cluster__name", flat=True)
        ),
        values=list(Framework.objects.values_list("values__name", flat=True).exclude(values=None)),
        skills=list(SkillLevel.objects.values_list("skill__name", flat=True)),
        methods=list(AssessmentMethod.objects.values_list("name", flat=True)),
        vetting=list(VettingLevel.objects.values_list("code", "name")),
        grades=list(force.grades.values_list("code", "name")) if force.pk else [],
        forces=[force.name, *Force.objects.exclude(pk=force.pk).values_list("name", flat=True)],
    )


def squash(text):
    return norm(text).replace(" ", "")


def match_grade(grades, text):
    key = squash(text)
    if not key:
        return None
    for grade in grades:
        if key in (squash(grade.code), squash(grade.name)):
            return grade
    if key.isdigit():
        for grade in grades:
            for name in (grade.code, grade.name):
                if re.fullmatch(r"[a-z ]*?" + key, norm(name)) and norm(name) != key:
                    return grade
    return None


def split_grade(text):
    """(codes, note) of a grade as written: "LC 4/5 (With progression)" -> (["LC 4", "LC 5"], …)."""
    note = ""
    found = re.search(r"\(.*\)\s*$", text)
    if found:
        note, text = found.group(0).strip(), text[: found.start()].strip()
    ranged = re.fullmatch(r"([A-Za-z]*\s*)(\d+)\s*[/–-]\s*(\d+)", text)
    if ranged:
        prefix = ranged.group(1)
        return [f"{prefix}{ranged.group(2)}", f"{prefix}{ranged.group(3)}"], note
    return [text], note


def match_vetting(levels, text):
    inside = re.search(r"\(([^)]+)\)", text)
    candidates = [inside.group(1)] if inside else []
    candidates += [text, re.sub(r"\(.*?\)", "", text)]
    for candidate in candidates:
        key = squash(candidate.replace("Police ", ""))
        for level in levels:
            if key and key in (squash(level.code), squash(level.name)):
                return level
    return None


def match_methods(methods, text):
    """(AssessmentMethods, note): the named methods, and the text if some part matched none."""
    by_name = {norm(method.name): method for method in methods}
    found, unknown = [], False
    for part in re.split(r"[/,;&]|\band\b", text):
        if not part.strip():
            continue
        method = by_name.get(norm(part)) or _one_method_like(by_name, norm(part))
        if method is None:
            unknown = True
        elif method not in found:
            found.append(method)
    return found, (text.strip()[:300] if unknown else "")


def _one_method_like(by_name, key):
    """The one method a short form names ("Application" -> Application Form, "Online test")."""
    if not key:
        return None
    alike = [
        method
        for name, method in by_name.items()
        if name.startswith(key + " ") or name in (key + "s", key + " s")
    ]
    return alike[0] if len(alike) == 1 else None


def choose_framework(parsed):
    names = {norm(b.competency) for b in parsed.behaviours}
    if names:
        best, best_count = None, 0
        for framework in Framework.objects.prefetch_related("competencies"):
            count = len(names & {norm(c.name) for c in framework.competencies.all()})
            if count > best_count:
                best, best_count = framework, count
        return best
    if parsed.skills:
        return Framework.objects.filter(skills__isnull=False).first()
    return None


def level_for(competency, text, indicators):
    levels = list(competency.levels.all())
    number = re.search(r"\d", text or "")
    if number:
        return next((lv for lv in levels if lv.number == int(number.group())), None)
    if indicators and levels:
        said = set(norm(" ".join(indicators)).split())

        def overlap(level):
            return len(said & set(norm(" ".join(i.text for i in level.indicators.all())).split()))

        return max(levels, key=overlap)
    return next((lv for lv in levels if lv.number == 1), levels[0] if levels else None)


def decimal_or_none(text):
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def save_imported(
    force, parsed, *, user=None, create_grades=False, fallback_title="Imported profile"
):
    """Create the draft profile of `parsed` in one transaction and check it with the rules.

    Raises ValidationError (nothing saved) if the result breaks a domain rule.
    """
    warnings = []
    fields = dict(parsed.fields)
    details = list(parsed.post_details)
    notes = list(parsed.notes)

    labels = field_labels(force)

    def keep_as_detail(name, value, why):
        label = labels.get(name) or name.replace("_", " ").capitalize()
        details.append((label, value))
        warnings.append(f"{label} “{value}” {why}; kept as a post detail.")

    with transaction.atomic():
        title = (fields.pop("title", "") or fallback_title).strip()
        if len(title) > 200:
            notes.insert(0, title)
            title = title[:200]
        profile = RoleProfile(
            force=force, title=title, slug=copying.unique_slug(force, title), status=Status.DRAFT
        )
        purpose = fields.pop("purpose", "")
        profile.purpose = purpose
        for name in TEXT_FIELDS:
            value = fields.pop(name, "").strip()
            limit = RoleProfile._meta.get_field(name).max_length
            if len(value) > limit:
                keep_as_detail(name, value, "is too long for its field")
            else:
                setattr(profile, name, value)
        for name in DATE_FIELDS:
            value = fields.pop(name, "").strip()
            if value:
                try:
                    day, precision = parse_partial_date(value, written=True)
                except ValidationError:
                    day, precision = None, None
                    keep_as_detail(name, value, "is not a date")
                setattr(profile, name, day)
                # A review date keeps the precision it was written with ("February 2023").
                if precision and hasattr(profile, f"{name}_precision"):
                    setattr(profile, f"{name}_precision", precision)
        officer_or_staff = fields.pop("officer_or_staff", "").strip()
        if officer_or_staff:
            profile.officer_or_staff = officer_or_staff_of(officer_or_staff) or ""
        posts = fields.pop("number_of_posts", "").strip()
        if posts.isdigit():
            profile.number_of_posts = int(posts)
        elif posts:
            keep_as_detail("number_of_posts", posts, "is not a number")

        grade_text = fields.pop("grade", "").strip()
        if grade_text:
            grades = list(force.grades.all())
            codes, note = split_grade(grade_text)
            matched = [match_grade(grades, code) for code in codes]
            if not all(matched) and match_grade(grades, grade_text):
                matched, note = [match_grade(grades, grade_text)], ""
            if not all(matched) and create_grades:
                matched = [
                    grade
                    or Grade.objects.get_or_create(force=force, code=code[:GRADE_CODE_LENGTH])[0]
                    for grade, code in zip(matched, codes, strict=True)
                ]
                warnings.append(f"Created grade {', '.join(codes)} for {force}.")
            if all(matched):
                profile.grade = matched[0]
                profile.grade_to = matched[1] if len(matched) > 1 else None
                profile.grade_note = note[:120]
            else:
                keep_as_detail("grade", grade_text, f"matches none of {force}'s grades")

        vetting_text = fields.pop("vetting_level", "").strip()
        if vetting_text:
            level = match_vetting(list(VettingLevel.objects.all()), vetting_text)
            if level is not None:
                profile.vetting_level = level
            elif "vetting_level" not in parsed.derived:
                keep_as_detail("vetting_level", vetting_text, "matches no national vetting level")
        for name, value in fields.items():
            if value:
                keep_as_detail(name, value, "has no field of its own")

        profile.framework = choose_framework(parsed)
        # the post fields are checked on an unsaved profile; create_from_draft writes it
        profile.full_clean(exclude=["slug"], validate_unique=False)

        sections = list(parsed.sections)
        methods = list(AssessmentMethod.objects.all())
        behaviours, skills = [], []
        if parsed.behaviours:
            competencies = (
                {
                    norm(c.name): c
                    for c in profile.framework.competencies.prefetch_related("levels__indicators")
                }
                if profile.framework
                else {}
            )
            for parsed_behaviour in parsed.behaviours:
                competency = competencies.get(norm(parsed_behaviour.competency))
                level = competency and level_for(
                    competency, parsed_behaviour.level, parsed_behaviour.indicators
                )
                if level is None:
                    notes.append(parsed_behaviour.competency)
                    notes.extend(parsed_behaviour.indicators)
                    warnings.append(
                        f"Behaviour “{parsed_behaviour.competency}” is not in {profile.framework}."
                    )
                    continue
                behaviours.append((level, parsed_behaviour))
        for parsed_skill in parsed.skills:
            level = SkillLevel.objects.filter(
                skill__name__iexact=parsed_skill.name.strip(),
                name__iexact=parsed_skill.level.strip(),
            ).first()
            if level is None:
                notes.append(
                    " ".join(
                        filter(
                            None, [parsed_skill.name, parsed_skill.level, parsed_skill.description]
                        )
                    )
                )
                warnings.append(f"Skill “{parsed_skill.name}” is not in the national frameworks.")
                continue
            skills.append((level, parsed_skill))
        if parsed.values:
            values = next((s for s in sections if s.kind == "values"), None)
            if values is None:
                values = ParsedSection("values", "Values")
                sections.append(values)
            values.items.extend(ParsedItem(value) for value in parsed.values)
        if notes:
            sections.append(
                ParsedSection("notes", NOTES_HEADING, items=[ParsedItem(n) for n in notes])
            )

        criteria = []
        for parsed_criterion in parsed.criteria:
            found, note = match_methods(methods, parsed_criterion.methods)
            category = getattr(parsed_criterion, "category", "other")
            criteria.append(
                CriterionDraft(
                    requirement=parsed_criterion.requirement,
                    category=category if category in CriterionCategory.values else "other",
                    text=parsed_criterion.text,
                    heading=parsed_criterion.heading[:200],
                    methods=found,
                    method_note=note,
                    shortlisting_code=parsed_criterion.shortlisting_code[:10],
                    row=parsed_criterion.row,
                )
            )
        draft = ProfileDraft(
            fields={name: getattr(profile, name) for name in PROFILE_FIELDS},
            post_details=[
                PostDetailDraft(label=label[:200] or "Detail", value=value)
                for label, value in details
            ],
            sections=[
                SectionDraft(
                    kind=section.kind if section.kind in SectionKind.values else "notes",
                    heading=section.heading[:200],
                    intro="\n\n".join(section.intro),
                    weighting=decimal_or_none(section.weighting),
                    items=[
                        ItemDraft(
                            text=item.text,
                            subheading=item.subheading[:200],
                            weighting=decimal_or_none(item.weighting),
                        )
                        for item in section.items
                    ],
                )
                for section in sections
            ],
            criteria=criteria,
            behaviours=[
                BehaviourDraft(level=level, methods=found, method_note=note)
                for level, parsed_behaviour in behaviours
                for found, note in [match_methods(methods, parsed_behaviour.methods)]
            ],
            skills=[
                SkillDraft(level=level, for_pdr=norm(skill.for_pdr) in ("yes", "y", "true"))
                for level, skill in skills
            ],
            nos_units=[
                NosUnitDraft(code=code[:40], name=name[:200], description=text)
                for code, name, text in parsed.nos_units
            ],
        )
        stated = [c.text for c in criteria] + [v for _, v in details] + notes
        stated += [item.text for section in sections for item in section.items]
        draft.fields["welsh_category"] = welsh.stated_category(stated)
        level = welsh.stated_level(stated)
        draft.fields["welsh_level"] = (
            force.welsh_levels.filter(level=level).first() if level else None
        )
        try:
            profile = copying.create_from_draft(
                force, draft, user=user, slug=profile.slug, comment="Imported."
            )
        except copying.DraftRefused as error:
            raise ValidationError(
                [f"The imported profile breaks a rule: {message}" for message in error.messages]
            ) from error
    return Saved(profile, warnings)
