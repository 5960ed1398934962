"""A force's house style as data: named layouts, their options, and the parts of a document.

A named layout (`Force.layout`) is a full set of options; a force's `HouseStyle` row
overrides any of them (blank means "as the layout") and holds the force's own words
for headings and field labels. One set of templates (`templates/pdf/document.html`
and its blocks under `templates/pdf/blocks/`) prints every style: `document_parts()`
turns a profile's context and a style into the ordered, numbered parts those
templates print.

It runs past 400 lines because the six named layouts are data (their options written out
in full), not logic.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

# Each option: its choices (value, what it looks like). The first layout below is the default.
OPTIONS = {
    "masthead": [
        ("title", _("Profile title, with reference and grade beneath")),
        ("document", _("Document title and force name")),
        ("document_and_reference", _("Document title, then reference, grade and title")),
    ],
    "headings": [
        ("plain", _("Plain headings")),
        ("numbered", _("Numbered headings (1, 2, 3 …)")),
        ("lettered", _("Lettered headings (A, B, C …)")),
    ],
    "heading_look": [
        ("rule", _("Underlined")),
        ("band", _("White on a band of the main colour")),
        ("caps", _("Capitals, underlined in the main colour")),
        ("plain", _("Bold, no line")),
        ("box", _("Each part boxed, as a form")),
    ],
    "colons": [
        ("none", _("No colons")),
        ("labels", _("Colons after field labels")),
        ("labels_and_headings", _("Colons after field labels and headings")),
    ],
    "post_details": [
        ("table", _("A table of label and value")),
        ("grid", _("A grid, two fields a row")),
    ],
    "key_facts": [
        ("details", _("Rows of the post details")),
        ("after_requirements", _("Their own table after the entry requirements")),
    ],
    "purpose": [
        ("heading", _("Under its own heading")),
        ("row", _("A row of the post details")),
    ],
    "sections": [
        ("headed", _("Each under its heading")),
        ("form", _("Form rows; dimensions side by side; grouped lists nested")),
    ],
    "items": [
        ("bullets", _("Bulleted lists")),
        ("numbered", _("Numbered lists")),
        ("paragraphs", _("Paragraphs")),
        ("run_in", _("Each subheading run into its first item, the rest bulleted")),
    ],
    "responsibilities": [
        ("table", _("A numbered table")),
        ("weighted_table", _("A table with each responsibility's weighting")),
        ("bullets", _("A bulleted list")),
        ("numbered", _("A numbered list")),
    ],
    "criteria": [
        ("grouped", _("Lists grouped as essential and desirable")),
        ("table", _("An essential / desirable table with methods")),
        ("assessed", _("Each category with its method of assessment")),
        ("by_requirement", _("Essential, then desired, by category")),
    ],
    "behaviours": [
        ("list", _("Each behaviour with its level and indicators")),
        ("paragraphs", _("Each behaviour as a paragraph")),
        ("table", _("A table by cluster with level and method")),
        ("assessed", _("Each behaviour with its method beside its indicators")),
    ],
    "values": [("list", _("A list with descriptions")), ("table", _("A table of names"))],
    "skills": [("table", _("A table")), ("list", _("A list"))],
    "vetting": [
        ("statement", _("The level, with the force's vetting texts")),
        ("texts", _("Only the force's vetting texts")),
    ],
}
FLAGS = {
    "uppercase_title": _("Document title in capitals"),
    "title_in_header": _("Document title in the running header"),
    "show_empty": _("Print the skills and NOS tables even when empty"),
}

# The parts a document can have, in the default order.
BLOCKS = {
    "masthead": _("Title"),
    "post_details": _("Post details"),
    "purpose": _("Purpose"),
    "sections": _("Sections (responsibilities, tasks, requirements …)"),
    "behaviours": _("Behaviours (when no section holds them)"),
    "values": _("Values"),
    "criteria": _("Criteria"),
    "shortlisting": _("Shortlisting table"),
    "closing_sections": _("Closing sections (behaviours, notes, progression …)"),
    "reviewed": _("Date reviewed line"),
    "skills": _("Skills"),
    "nos": _("NOS units"),
    "vetting": _("Vetting"),
    "end_texts": _("Force texts placed at the end"),
    "authorisation": _("Authorisation"),
}

DEFAULT_BLOCKS = list(BLOCKS)

LAYOUTS = {
    "default": {
        "blocks": DEFAULT_BLOCKS,
        "masthead": "title",
        "headings": "plain",
        "heading_look": "rule",
        "colons": "none",
        "post_details": "table",
        "key_facts": "details",
        "purpose": "heading",
        "sections": "headed",
        "items": "bullets",
        "responsibilities": "table",
        "criteria": "grouped",
        "behaviours": "list",
        "values": "list",
        "skills": "table",
        "vetting": "statement",
        "uppercase_title": False,
        "title_in_header": False,
        "show_empty": False,
    },
}
LAYOUTS["shortlisting_form"] = {
    **LAYOUTS["default"],
    "blocks": [
        "masthead",
        "purpose",
        "sections",
        "post_details",
        "criteria",
        "vetting",
        "behaviours",
        "values",
        "shortlisting",
        "closing_sections",
        "skills",
        "nos",
        "end_texts",
        "authorisation",
    ],
    "masthead": "document_and_reference",
    "heading_look": "band",
    "items": "numbered",
    "responsibilities": "numbered",
    "show_empty": True,
}
CLOSING = ["closing_sections", "values", "skills", "vetting", "end_texts", "authorisation"]
LAYOUTS["key_facts_form"] = {
    **LAYOUTS["default"],
    "blocks": ["masthead", "post_details", "sections", "behaviours", "criteria", *CLOSING],
    "masthead": "document",
    "uppercase_title": True,
    "title_in_header": True,
    "colons": "labels",
    "key_facts": "after_requirements",
    "purpose": "row",
    "sections": "form",
    "responsibilities": "bullets",
    "behaviours": "paragraphs",
    "vetting": "texts",
}
LAYOUTS["weighted_table"] = {
    **LAYOUTS["default"],
    "blocks": ["masthead", "post_details", "purpose", "sections", "criteria", *CLOSING],
    "masthead": "document",
    "uppercase_title": True,
    "heading_look": "caps",
    "post_details": "grid",
    "responsibilities": "weighted_table",
    "criteria": "assessed",
    "behaviours": "assessed",
    "skills": "list",
    "vetting": "texts",
}
LAYOUTS["criteria_tables"] = {
    **LAYOUTS["default"],
    "blocks": [
        "masthead",
        "post_details",
        "purpose",
        "sections",
        "behaviours",
        "values",
        "criteria",
        "reviewed",
        "closing_sections",
        "skills",
        "vetting",
        "end_texts",
        "authorisation",
    ],
    "masthead": "document",
    "uppercase_title": True,
    "heading_look": "plain",
    "colons": "labels_and_headings",
    "items": "run_in",
    "responsibilities": "bullets",
    "criteria": "table",
    "behaviours": "table",
    "values": "table",
    "skills": "list",
    "vetting": "texts",
}
LAYOUTS["lettered_form"] = {
    **LAYOUTS["default"],
    "blocks": [
        "masthead",
        "post_details",
        "purpose",
        "sections",
        "criteria",
        "behaviours",
        "skills",
        "closing_sections",
        "vetting",
        "end_texts",
        "authorisation",
    ],
    "masthead": "document",
    "headings": "lettered",
    "heading_look": "box",
    "colons": "labels_and_headings",
    "post_details": "grid",
    "items": "paragraphs",
    "responsibilities": "bullets",
    "criteria": "by_requirement",
    "skills": "list",
    "vetting": "texts",
}

# Every heading and field label a document prints, in the default layout's words. A force
# writes its own in its house style's labels; a blank label leaves that heading out.
DEFAULT_LABELS = {
    "title": "Job title",
    "reference_code": "Reference",
    "job_evaluation_ref": "Job evaluation reference",
    "post_number": "Post number",
    "grade": "Grade",
    "job_family": "Job family",
    "service_area": "Service area",
    "business_area": "Business area",
    "department": "Department",
    "location": "Location",
    "reports_to": "Reports to",
    "people_responsibility": "Supervisory responsibility",
    "number_of_posts": "Number of posts",
    "working_arrangement": "Working arrangement",
    "officer_or_staff": "Officer or staff",
    "home_office_function": "Home Office function code",
    "limited_duties_category": "Limited duties category",
    "section_name": "Section",
    "internal_contacts": "Internal contacts",
    "external_contacts": "External contacts",
    "purpose": "Purpose",
    "vetting_level": "Vetting level",
    "date_reviewed": "Date reviewed",
    "review_due": "Review due",
    "prepared_by": "Prepared by",
    "approved_by": "Approved by",
    "evaluation_panel": "Evaluation panel",
    "date": "Date",
    "methods": "Method of assessment",
    "essential": "Essential criteria",
    "desirable": "Desirable criteria",
    "authorisation": "Authorisation details",
    "behaviours": "Behaviours",
    "values": "Values",
    "skills": "Skills",
    "post_details": "Post details",
    "criteria": "Person specification",
    "shortlisting": "Shortlisting",
    "nos": "NOS",
}


def parse_blocks(text):
    """A block order written as names separated by commas or spaces; ValidationError if unknown."""
    names = [name for name in text.replace(",", " ").split() if name]
    unknown = [name for name in names if name not in BLOCKS]
    if unknown:
        raise ValidationError(
            "Unknown part %(names)s; choose from: %(known)s.",
            params={"names": ", ".join(unknown), "known": ", ".join(BLOCKS)},
        )
    if len(set(names)) != len(names):
        raise ValidationError("Name each part once.")
    return names


def check_labels(labels):
    """Labels are a mapping of known names to text."""
    if not isinstance(labels, dict):
        raise ValidationError("Labels map a field or heading name to its printed text.")
    unknown = sorted(name for name in labels if name not in DEFAULT_LABELS)
    if unknown:
        raise ValidationError(
            "Unknown label %(names)s; choose from: %(known)s.",
            params={"names": ", ".join(unknown), "known": ", ".join(DEFAULT_LABELS)},
        )
    if not all(isinstance(text, str) for text in labels.values()):
        raise ValidationError("Each label is text.")


def resolve(layout, house_style=None, label_overrides=None):
    """The options a force prints with: its named layout, overridden by its house style.

    `label_overrides` (Force.label_overrides) rename fields over the house style's labels.
    """
    style = dict(LAYOUTS.get(layout, LAYOUTS["default"]))
    style["layout"] = layout if layout in LAYOUTS else "default"
    labels = {}
    if house_style is not None:
        for name in OPTIONS:
            value = getattr(house_style, name)
            if value:
                style[name] = value
        for name in FLAGS:
            value = getattr(house_style, name)
            if value is not None:
                style[name] = value
        if house_style.blocks.strip():
            style["blocks"] = parse_blocks(house_style.blocks)
        labels = dict(house_style.labels or {})
    style["labels"] = {**DEFAULT_LABELS, **labels, **(label_overrides or {})}
    # A field the force names is on its form, so it is printed even blank (BTP's post number).
    style["own_labels"] = set(labels)
    colons = style["colons"]
    style["label_colon"] = ":" if colons != "none" else ""
    style["heading_colon"] = ":" if colons == "labels_and_headings" else ""
    return style


def style_of(force):
    """The resolved style of a force whose house_style was fetched with it (or is absent)."""
    try:
        house_style = force.house_style
    except ObjectDoesNotExist:
        house_style = None
    return resolve(force.layout, house_style, force.label_overrides)


def _letter(number):
    return chr(ord("A") + number - 1) if 1 <= number <= 26 else str(number)


def _paragraphs(text):
    return [part.strip() for part in (text or "").split("\n\n") if part.strip()]


def _introduced(heading, intro, style):
    """A part's heading and intro; a boxed form prints the intro's first paragraph as a hint."""
    paragraphs = _paragraphs(intro)
    hint = ""
    if style["heading_look"] == "box" and paragraphs:
        hint, paragraphs = paragraphs[0], paragraphs[1:]
    return {"heading": heading, "hint": hint, "paragraphs": paragraphs}


def _empty(section):
    # "The post holder must:" with nothing after it says nothing: a section whose intro
    # leads in to items it does not have is left out. Behaviours and values sections
    # print the profile's behaviours and values rather than items.
    if section["items"] or section["kind"] in ("behaviours", "values"):
        return False
    return section["intro"].strip().endswith(":")


def _split_standards(standards, heading):
    """A force text headed as the part it sits in introduces that part instead of repeating it."""
    for index, standard in enumerate(standards):
        if heading and standard.heading.strip().casefold() == heading.strip().casefold():
            return standard.body, [*standards[:index], *standards[index + 1 :]]
    return "", standards


def _hidden_fields(style):
    """Fields printed elsewhere than the post details: in the title block or a line of their own."""
    hidden = set()
    if style["masthead"] in ("title", "document_and_reference"):
        hidden |= {"title", "reference_code"}
    if "reviewed" in style["blocks"]:
        hidden.add("date_reviewed")
    return hidden


def _detail_rows(context, style):
    hidden = _hidden_fields(style)
    rows = [row for row in context["grid"] if row["name"] not in hidden]
    if style["key_facts"] == "details":
        rows += [{"label": d.label, "value": d.value} for d in context["post_details"]]
    purpose = context["profile"].purpose
    if style["purpose"] == "row" and purpose:
        rows.append({"label": style["labels"]["purpose"], "value": purpose})
    return rows


def _key_facts_place(parts):
    """Key facts follow the entry requirements, else the last section, else the post details."""
    sections = [i for i, part in enumerate(parts) if part["block"] == "section"]
    for index in sections:
        if parts[index]["section"]["kind"] == "requirements":
            return index + 1
    if sections:
        return sections[-1] + 1
    details = [i for i, part in enumerate(parts) if part["block"] == "post_details"]
    return details[0] + 1 if details else len(parts)


def document_parts(context, style):
    """The parts the document prints, in order, each with its heading, number and intro."""
    labels = style["labels"]
    sections_by_kind = context["sections_by_kind"]
    standards = context["standard_by_placement"]
    parts = []

    def add(block, heading="", intro="", **extra):
        parts.append({"block": block, **_introduced(heading, intro, style), **extra})

    for block in style["blocks"]:
        if block == "masthead":
            add(block)
        elif block == "post_details":
            rows = _detail_rows(context, style)
            if rows:
                add(block, labels["post_details"], rows=rows)
        elif block == "purpose":
            if style["purpose"] == "heading" and context["profile"].purpose:
                add(block, labels["purpose"])
        elif block in ("sections", "closing_sections"):
            key = "sections_before_criteria" if block == "sections" else "sections_after_criteria"
            for section in context[key]:
                if not _empty(section):
                    add("section", section["heading"], section["intro"], section=section)
        elif block == "behaviours":
            if context["behaviours"] and not sections_by_kind["behaviours"]:
                add(block, labels["behaviours"])
        elif block == "values":
            if context["values"] and standards["values"] and not sections_by_kind["values"]:
                add(block, labels["values"])
        elif block == "criteria":
            if context["criteria"]:
                intro, others = _split_standards(standards["criteria"], labels["criteria"])
                codes_in_table = "shortlisting" in style["blocks"]
                add(
                    block,
                    labels["criteria"],
                    intro,
                    standards=others,
                    codes_in_table=codes_in_table,
                )
        elif block == "shortlisting":
            if context["shortlisting"]:
                intro, others = _split_standards(standards["shortlisting"], labels["shortlisting"])
                add(block, labels["shortlisting"], intro, standards=others)
        elif block == "reviewed":
            reviewed = [row for row in context["grid"] if row["name"] == "date_reviewed"]
            if reviewed and reviewed[0]["value"]:
                add(block, value=reviewed[0]["value"])
        elif block == "skills":
            if context["skills"] or style["show_empty"]:
                add(block, labels["skills"])
        elif block == "nos":
            if context["nos_units"] or style["show_empty"]:
                add(block, labels["nos"])
        elif block == "vetting":
            if context["vetting"]:
                add(block)
        elif block == "end_texts":
            if standards["end"]:
                add(block)
        elif block == "authorisation":
            if context["authorisation"]:
                add(block, labels["authorisation"])
    if style["key_facts"] == "after_requirements" and context["post_details"]:
        parts.insert(_key_facts_place(parts), {**_introduced("", "", style), "block": "key_facts"})
    number = 0
    for part in parts:
        part["template"] = f"pdf/blocks/{part['block']}.html"
        part["number"] = ""
        if part["heading"] and style["headings"] != "plain":
            number += 1
            part["number"] = _letter(number) if style["headings"] == "lettered" else str(number)
    return parts
