"""What the editor page shows around its forms, so that it reads like the read page.

The profile's fields split into the post-detail grid, the purpose and the review and
authorisation block, labelled with the force's own words; items come grouped under their
subheading and criteria under their category, each typed once per group; the force's
statements sit where the force prints them.
"""

from django.utils.translation import gettext

from profiles import welsh
from profiles.editor import rows as row_html
from profiles.editor.forms import label_welsh
from profiles.models import StandardSection
from profiles.printing import styles
from profiles.printing.document import PLACEMENTS

# The rest of the profile form's fields, whatever they are, join the grid, so a field
# added to the form is never left off the page.
PURPOSE_FIELDS = ["purpose"]
REVIEW_FIELDS = [
    "date_reviewed",
    "review_due",
    "prepared_by",
    "prepared_on",
    "approved_by",
    "approved_on",
    "evaluation_panel",
    "evaluation_panel_on",
]
# Text fields of the grid that take the width of two cells.
WIDE_FIELDS = {
    "title",
    "location",
    "reports_to",
    "people_responsibility",
    "grade_note",
    "internal_contacts",
    "external_contacts",
}
WIDE_FIELDS |= {name + welsh.SUFFIX for name in WIDE_FIELDS}


def field_groups(form, labels):
    """The profile form's bound fields as {"grid", "purpose", "review"}, in form order; a
    Welsh field (a Welsh force's) sits right after its English one, in the same group."""
    groups = {"grid": [], "purpose": [], "review": []}
    for name in form.fields:
        if name in labels and name not in ("date", "methods"):
            form.fields[name].label = labels[name]
            # A bound field keeps the label it was made with: a refused save has made it
            # already, while reporting its errors.
            form[name].label = labels[name]
    for name in form.fields:
        english = name.removesuffix(welsh.SUFFIX)
        if english != name and english in form.fields:
            label_welsh(form, name)
        if english in PURPOSE_FIELDS:
            groups["purpose"].append(form[name])
        elif name in REVIEW_FIELDS:
            groups["review"].append(form[name])
        else:
            groups["grid"].append(form[name])
    return groups


def _subheading(form):
    value = form["subheading"].value()
    return value or ""


def _is_blank_extra(form):
    """A row not saved yet that carries nothing: neither typed in nor copied."""
    if form.instance.pk is not None:
        return False
    if form.is_bound:
        return not form.has_changed()
    return not any(form.initial.get(name) for name in form.fields if name not in ("id", "ORDER"))


def spare_rows(forms):
    """(form, spare) per row of a part: a blank row below rows already there is spare.

    The page keeps it hidden until "Add" asks for a row, so a long profile is not
    interleaved with empty boxes; a part without rows shows its blank row to type in.
    """
    has_rows = any(not _is_blank_extra(form) for form in forms)
    return [(form, has_rows and _is_blank_extra(form)) for form in forms]


def item_rows(forms):
    """(form, head, spare) per item: head is the subheading a new group starts with, else None.

    Groups are runs of consecutive items sharing a subheading, as the read page prints
    them. A blank row at the end belongs to the group above it.
    """
    rows, current = [], ""
    for form, spare in spare_rows(forms):
        head = None
        subheading = _subheading(form)
        if subheading != current and not _is_blank_extra(form):
            head = subheading
            current = subheading
        rows.append((form, head, spare))
    return rows


def criterion_rows(forms):
    """(form, head, spare) per criterion: head is the (category, heading) a new group starts
    with, else None; groups are runs of criteria sharing both, as items share a subheading."""
    rows, current = [], ("", "")
    for form, spare in spare_rows(forms):
        head = None
        key = (form["category"].value() or "", form["heading"].value() or "")
        if key != current and not _is_blank_extra(form):
            head = current = key
        rows.append((form, head, spare))
    return rows


def criterion_categories(formset):
    """The category choices a group of criteria offers: none (such criteria print under
    Essential / Desirable alone), then the form field's."""
    field = formset.empty_form.fields["category"]
    none = [("", gettext("None (under Essential / Desirable only)"))]
    return none + [(value, label) for value, label in field.choices if value]


def statements(force):
    """The force's standard statements by placement: the read page's 'start' and the rest."""
    by_placement = {placement: [] for placement in PLACEMENTS}
    for standard in StandardSection.objects.filter(force_id=force.pk):
        by_placement.setdefault(standard.placement, []).append(standard)
    start = by_placement.pop("start")
    return start, [standard for placed in by_placement.values() for standard in placed]


def part(formset):
    """What the page prints of a formset besides its rows. A dict: the template's lookup of
    `formset.anything` tries `formset["anything"]` first, and a formset's `[]` builds all
    its forms."""
    return {
        "prefix": formset.prefix,
        "management_form": row_html.management_form(formset),
        "non_form_errors": formset.non_form_errors(),
    }


def section_context(form, spare, items, item_forms, words):
    """What templates/profiles/editor/section.html prints a section with: its form, its
    item formset and the forms of its items."""
    return {
        "form": form,
        "spare": spare,
        "items": part(items),
        "item_rows": row_html.item_rows(items.prefix, item_rows(item_forms), words),
        "hidden": row_html.hidden_html(form),
        "actions": row_html.actions_html(form, "sections", words),
    }


def page_context(editor, profile):
    labels = styles.style_of(profile.force)["labels"]
    start, later = statements(profile.force)
    words = row_html.Words()
    categories = criterion_categories(editor.formsets["criteria"])
    return {
        "labels": labels,
        "fields": field_groups(editor.form, labels),
        "parts": {prefix: part(formset) for prefix, formset in editor.formsets.items()},
        "wide_fields": WIDE_FIELDS,
        "welsh": profile.force.welsh_language,
        "sections": [
            section_context(form, spare, items, editor.forms(items), words)
            for (form, spare), (_form, items) in zip(
                spare_rows(editor.forms(editor.formsets["sections"])),
                editor.sections(),
                strict=True,
            )
        ],
        "rows": {
            prefix: row_html.part_rows(
                prefix, spare_rows(editor.forms(editor.formsets[prefix])), words
            )
            for prefix in ("details", "behaviours", "skills")
        },
        "criterion_rows": row_html.criterion_rows(
            criterion_rows(editor.forms(editor.formsets["criteria"])), categories, words
        ),
        "criteria_group_template": row_html.criteria_group_template(categories, words),
        "statements_start": start,
        "statements_later": later,
    }
