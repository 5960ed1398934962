"""What a draft still lacks for publication, shown on the draft itself as a checklist.

It is `rules.check_profile(draft, publishing=True)`, the check that refuses a submission,
run on the profile as saved. The read page and the editor fetch the profile with every row
and reference the draft reads, so the checklist issues no query of its own. Beside the
editor it is checked again, as the user types, on the unsaved input (`draft_checklist`).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from profiles import rules, welsh, wording
from profiles.draft import ProfileDraft

# Checklist rows: a label and which rule errors (by the first part of their location) it holds.
ROWS = [
    (gettext_lazy("A grade"), {"grade"}),
    (gettext_lazy("A vetting level"), {"vetting_level"}),
    (gettext_lazy("At least one responsibility"), {"status"}),
    (gettext_lazy("Weightings that add up"), {"sections"}),
]
# A profile of a Welsh force also records its need for Welsh.
WELSH_ROWS = [
    (gettext_lazy("Welsh language category and level"), {"welsh_category", "welsh_level"}),
]


def publication_checklist(profile):
    """[{"label", "done", "problems"}]: grade, vetting level, a responsibility, weightings,
    and any other rule a submission would refuse (shortlisting codes, behaviour levels)."""
    return draft_checklist(ProfileDraft.from_profile(profile), profile.force)


def draft_checklist(draft, force=None):
    """The checklist of a ProfileDraft, such as the editor's unsaved input
    (profiles.editor.forms.ProfileEditor.draft: the rows that validate), and last the wording advice
    (profiles.wording, with the force's own words), which never blocks publication."""
    errors = rules.check_profile(draft, publishing=True)
    defaulted = rules.defaulted(draft.fields, draft.defaults)
    rows, said = [], set()
    for label, where in ROWS + (WELSH_ROWS if draft.welsh else []):
        problems = [
            error.message for error in errors if error.location[:1] in {(w,) for w in where}
        ]
        said.update(where)
        row = label_row(str(label), problems)
        if "vetting_level" in where and "vetting_level" in defaulted:
            row["note"] = _("force default: %(code)s") % {
                "code": draft.defaults["vetting_level"].code
            }
        rows.append(row)
    others = [error.message for error in errors if error.location[:1] not in {(w,) for w in said}]
    if others:
        rows.append(label_row(_("Every other rule"), others))
    if draft.welsh:
        rows.append(welsh_row(welsh.draft_gaps(draft)))
    extra_words = wording.parse_extra_words(force.flagged_words if force else "")
    advice = [
        f"{finding.label}: “{finding.word}”, {finding.why}."
        for finding in wording.findings(draft, extra_words)
    ]
    rows.append({**label_row(_("Wording"), advice), "advisory": True})
    return rows


def welsh_row(gaps):
    """What a Welsh print lacks, named and counted; it does not stop publication."""
    untranslated, stale = gaps["untranslated"], gaps["stale"]
    counts = [
        ngettext("%(n)s text without Welsh", "%(n)s texts without Welsh", len(untranslated))
        % {"n": len(untranslated)},
        ngettext(
            "%(n)s Welsh text needs translation", "%(n)s Welsh texts need translation", len(stale)
        )
        % {"n": len(stale)},
    ]
    problems = [_("No Welsh: %(where)s") % {"where": where} for where in untranslated]
    problems += [_("Needs translation: %(where)s") % {"where": where} for where in stale]
    row = label_row(_("Welsh for every printed text") + f" ({'; '.join(counts)})", problems)
    row.update(welsh=True, untranslated=len(untranslated), stale=len(stale))
    return row


def label_row(label, problems):
    return {"label": label, "done": not problems, "problems": list(dict.fromkeys(problems))}
