"""The parts of a profile a vacancy advert carries, as clean HTML and as plain text.

Built from document_context, so the advert says what the profile says: title, grade,
purpose, main responsibilities, essential and desirable criteria (minimum criteria marked,
profiles.printing.shortlisting.is_minimum), vetting level, the Welsh language requirement where
there is one, and the force's equal-opportunities statement.
"""

import textwrap

from django.template.loader import render_to_string

from profiles.models import Requirement, SectionKind
from profiles.printing.document import document_context
from profiles.printing.shortlisting import is_minimum

# The standard section (profiles.StandardSection.key) that holds a force's statement.
EQUAL_OPPORTUNITIES_KEY = "equal-opportunities"
DISABILITY_CONFIDENT = (
    "We are a Disability Confident employer: an applicant with a disability who meets the "
    "minimum criteria (marked *) is offered an interview."
)


def _paragraphs(text):
    return [part.strip() for part in (text or "").split("\n\n") if part.strip()]


def _equal_opportunities(standard_sections):
    for standard in standard_sections:
        if standard.key == EQUAL_OPPORTUNITIES_KEY or "equal opportunit" in (
            f"{standard.heading} {standard.key.replace('-', ' ')}".casefold()
        ):
            return _paragraphs(standard.body)
    return []


def advert(profile):
    """The advert's parts: plain values a template or the text writer prints."""
    context = document_context(profile)
    profile = context["profile"]
    grade = next((row["value"] for row in context["grid"] if row["name"] == "grade"), "")
    responsibilities = [
        item.text
        for section in context["sections_by_kind"][SectionKind.RESPONSIBILITIES]
        for item in section["items"]
        if item.text
    ]
    criteria = {Requirement.ESSENTIAL: [], Requirement.DESIRABLE: []}
    for criterion in context["criteria"]:
        criteria[criterion.requirement].append(
            {"text": criterion.text, "minimum": is_minimum(criterion)}
        )
    welsh = [c.text for c in context["criteria"] if "welsh" in c.text.casefold()]
    vetting = context["vetting"]
    return {
        "profile": profile,
        "force": context["force"],
        "labels": context["labels"],
        "title": profile.title,
        "grade": grade,
        "purpose": _paragraphs(profile.purpose),
        "responsibilities": responsibilities,
        "essential": criteria[Requirement.ESSENTIAL],
        "desirable": criteria[Requirement.DESIRABLE],
        "has_minimum": any(c["minimum"] for c in criteria[Requirement.ESSENTIAL]),
        "disability_confident": DISABILITY_CONFIDENT,
        "vetting": f"{vetting.name} ({vetting.code})" if vetting else "",
        "welsh": welsh
        or (["Welsh language skills are required."] if context["force"].welsh_language else []),
        "equal_opportunities": _equal_opportunities(context["standard_sections"]),
    }


def render_html(parts):
    """The advert as a clean HTML fragment: headings, paragraphs and lists, nothing else."""
    return render_to_string("profiles/advert_body.html", parts).strip()


def _bullets(lines, width=88):
    return [
        textwrap.fill(line, width=width, initial_indent="- ", subsequent_indent="  ")
        for line in lines
    ]


def render_text(parts):
    """The advert as plain text, for recruitment systems that take no markup."""
    out = [parts["title"]]
    if parts["grade"]:
        out.append(f"{parts['labels']['grade']}: {parts['grade']}")
    out.append(parts["force"].name)

    def block(heading, lines):
        if lines:
            out.extend(["", heading, *lines])

    block("About the role", [textwrap.fill(p, 88) for p in parts["purpose"]])
    block("Main responsibilities", _bullets(parts["responsibilities"]))
    block(
        "Essential criteria",
        _bullets(c["text"] + (" *" if c["minimum"] else "") for c in parts["essential"]),
    )
    block("Desirable criteria", _bullets(c["text"] for c in parts["desirable"]))
    if parts["has_minimum"]:
        out.extend(["", textwrap.fill(parts["disability_confident"], 88)])
    block("Vetting", [parts["vetting"]] if parts["vetting"] else [])
    block("Welsh language", _bullets(parts["welsh"]))
    block("Equal opportunities", [textwrap.fill(p, 88) for p in parts["equal_opportunities"]])
    return "\n".join(out) + "\n"
