"""What a draft still lacks for publication, shown on the draft itself as a checklist.

It is `rules.check_profile(draft, publishing=True)`, the check that refuses a submission,
run on the profile as saved. The read page and the editor fetch the profile with every row
and reference the draft reads, so the checklist issues no query of its own. Beside the
editor it is checked again, as the user types, on the unsaved input (`draft_checklist`).
"""

from profiles import rules, wording
from profiles.draft import ProfileDraft

# Checklist rows: a label and which rule errors (by the first part of their location) it holds.
ROWS = [
    ("A grade", {"grade"}),
    ("A vetting level", {"vetting_level"}),
    ("At least one responsibility", {"status"}),
    ("Weightings that add up", {"sections"}),
]


def publication_checklist(profile):
    """[{"label", "done", "problems"}]: grade, vetting level, a responsibility, weightings,
    and any other rule a submission would refuse (shortlisting codes, behaviour levels)."""
    return draft_checklist(ProfileDraft.from_profile(profile), profile.force)


def draft_checklist(draft, force=None):
    """The checklist of a ProfileDraft, such as the editor's unsaved input
    (profiles.forms.ProfileEditor.draft: the rows that validate), and last the wording advice
    (profiles.wording, with the force's own words), which never blocks publication."""
    errors = rules.check_profile(draft, publishing=True)
    rows, said = [], set()
    for label, where in ROWS:
        problems = [
            error.message for error in errors if error.location[:1] in {(w,) for w in where}
        ]
        said.update(where)
        rows.append(label_row(label, problems))
    others = [error.message for error in errors if error.location[:1] not in {(w,) for w in said}]
    if others:
        rows.append(label_row("Every other rule", others))
    extra_words = wording.parse_extra_words(force.flagged_words if force else "")
    advice = [
        f"{finding.label}: “{finding.word}”, {finding.why}."
        for finding in wording.findings(draft, extra_words)
    ]
    rows.append({**label_row("Wording", advice), "advisory": True})
    return rows


def label_row(label, problems):
    return {"label": label, "done": not problems, "problems": list(dict.fromkeys(problems))}
