"""What a draft still lacks for publication, shown on the draft itself as a checklist.

Computed by the same rule functions that refuse a submission (profiles.rules), on the
profile as saved and already fetched with its sections and items: no query of its own.
"""

from django.core.exceptions import ValidationError

from profiles import rules


def publication_checklist(profile):
    """[{"label", "done", "problems"}] for grade, vetting level, responsibilities, weightings.

    `profile` has its sections and their items prefetched; its grade and vetting level
    are read by id, so they need not be joined.
    """
    sections = list(profile.sections.all())
    responsibilities = profile.responsibility_count()
    missing = {}
    try:
        # An id stands for the object: the rule asks only whether one is set.
        rules.check_publishable(profile.grade_id, profile.vetting_level_id, responsibilities)
    except ValidationError as error:
        missing = {field: errors[0].message for field, errors in error.error_dict.items()}
    weighting_problems = []
    for section in sections:
        try:
            section.check_weightings()
        except ValidationError as error:
            weighting_problems.extend(error.messages)
    try:
        rules.check_profile_weighting([section.total() for section in sections])
    except ValidationError as error:
        weighting_problems.extend(error.messages)
    rows = [
        ("A grade", [missing["grade"]] if "grade" in missing else []),
        ("A vetting level", [missing["vetting_level"]] if "vetting_level" in missing else []),
        ("At least one responsibility", [missing["status"]] if "status" in missing else []),
        ("Weightings that add up", weighting_problems),
    ]
    return [
        {"label": label, "done": not problems, "problems": problems} for label, problems in rows
    ]


def ready_to_publish(checklist):
    return all(row["done"] for row in checklist)
