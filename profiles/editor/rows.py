"""The editor's rows (post details, items, criteria, behaviours, skills) built in Python.

A long profile's editor has a few hundred rows; as a template include each, with its own
translated words, they were most of the page's time. These functions print the markup
those templates printed (a section, and the part around its rows, stay templates under
templates/profiles/editor/), with the fields as crispy prints them
(profiles.editor.fields.html); the fixed words are translated once per page (`Words`).
What a user typed reaches the page only through a field or `escape`.
"""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from profiles.editor.fields import escape
from profiles.editor.fields import html as field


class Words:
    """The rows' fixed words in the page's language, translated once (as `{% translate %}`
    prints them: our own words, not escaped)."""

    def __init__(self):
        self.drag = gettext("Drag to move")
        self.move_up = gettext("Move up")
        self.move_down = gettext("Move down")
        self.remove = gettext("Remove")
        self.more = gettext("Method note, shortlisting code, table row")
        self.subheading = gettext("Subheading")
        self.category = gettext("Category")
        self.printed_as = gettext("Printed as")
        self.category_placeholder = gettext("the category's name")
        self.group_actions = gettext("Group actions")
        self.move_group_up = gettext("Move group up")
        self.move_group_down = gettext("Move group down")
        self.actions = {
            part: gettext("%(what)s actions") % {"what": escape(what)}
            for part, what in (
                ("details", gettext("Post detail")),
                ("sections", gettext("Section")),
                ("items", gettext("Item")),
                ("criteria", gettext("Criterion")),
                ("behaviours", gettext("Behaviour")),
                ("skills", gettext("Skill")),
            )
        }


def hidden(form):
    """The row's hidden fields and errors with no field of their own."""
    out = []
    for bound in form.hidden_fields():
        out.append(field(bound))
        for number, error in enumerate(bound.errors, start=1):
            out.append(
                f'<div class="invalid-feedback d-block" id="error_{number}_{escape(bound.auto_id)}">'
                f"{escape(bound.label)}: {escape(error)}</div>"
            )
    for error in form.non_field_errors():
        out.append(f'<div class="invalid-feedback d-block">{escape(error)}</div>')
    return "".join(out)


def actions(form, part, words):
    """Move up and down, and Remove (a row's of a formset that deletes)."""
    remove = ""
    if "DELETE" in form.fields:
        delete = form["DELETE"]
        name, id_ = escape(delete.html_name), escape(delete.auto_id)
        remove = (
            f'\n  <span class="form-check remove-check"><input type="checkbox"'
            f' class="form-check-input" name="{name}" id="{id_}"'
            f'{" checked" if delete.value() else ""}><label class="form-check-label"'
            f' for="{id_}">{words.remove}</label></span>'
        )
    return (
        f'<div class="row-actions" role="group" aria-label="{words.actions[part]}">\n'
        f'  <button type="button" class="btn btn-outline-secondary btn-sm" data-move="up">'
        f'<span aria-hidden="true">↑</span><span class="visually-hidden">{words.move_up}'
        f"</span></button>\n"
        f'  <button type="button" class="btn btn-outline-secondary btn-sm" data-move="down">'
        f'<span aria-hidden="true">↓</span><span class="visually-hidden">{words.move_down}'
        f"</span></button>{remove}\n</div>"
    )


def _row(kind, form, spare, part, words, body):
    """A compact row: its hidden fields, the drag handle, `body` and its actions."""
    return (
        f'<div class="{kind}-row compact-row" data-row{" hidden" if spare else ""}>\n'
        f"  {hidden(form)}\n"
        f'  <span class="drag-handle" aria-hidden="true" title="{words.drag}">⠿</span>\n'
        f"  {body}\n"
        f"  {actions(form, part, words)}\n</div>"
    )


def _welsh(form, name, css):
    """A Welsh field's cell beside its English one (a Welsh force's form has it)."""
    if name not in form.fields:
        return ""
    return f'<div class="{css} welsh-twin">{field(form[name])}</div>'


def detail(form, spare, words):
    body = (
        f'<div class="detail-label">{field(form["label"])}</div>\n'
        f'  <div class="detail-value">{field(form["value"])}</div>\n'
        f"  {_welsh(form, 'label_cy', 'detail-label')}{_welsh(form, 'value_cy', 'detail-value')}"
    )
    return _row("detail", form, spare, "details", words, body)


def item(form, spare, words):
    body = (
        f'<div class="item-text">{field(form["text"])}</div>\n'
        f"  {_welsh(form, 'text_cy', 'item-text')}\n"
        f'  <div class="item-weighting">{field(form["weighting"])}</div>'
    )
    return _row("item", form, spare, "items", words, body)


def criterion(form, spare, words):
    extra = [form[name] for name in ("method_note", "shortlisting_code", "row")]
    opened = any(bound.errors or bound.value() for bound in extra)
    welsh_note = field(form["method_note_cy"]) if "method_note_cy" in form.fields else ""
    body = (
        f'<div class="criterion-kind">{field(form["requirement"])}'
        f'<div class="criterion-minimum">{field(form["minimum"])}</div></div>\n'
        f'  <div class="criterion-main">\n'
        f'    <div class="criterion-text">{field(form["text"])}</div>\n'
        f"    {_welsh(form, 'text_cy', 'criterion-text')}\n"
        f'    <div class="criterion-methods">{field(form["methods"])}</div>\n'
        f'    <details class="criterion-more"{" open" if opened else ""}>\n'
        f"      <summary>{words.more}</summary>\n"
        f'      <div class="criterion-extra">{field(extra[0])}{welsh_note}'
        f"{field(extra[1])}{field(extra[2])}</div>\n"
        f"    </details>\n  </div>"
    )
    return _row("criterion", form, spare, "criteria", words, body)


def behaviour(form, spare, words):
    body = (
        f'<div class="behaviour-main">\n'
        f'    <div class="behaviour-level">{field(form["level"])}</div>\n'
        f'    <div class="behaviour-note">{field(form["method_note"])}</div>\n'
        f"    {_welsh(form, 'method_note_cy', 'behaviour-note')}\n"
        f'    <div class="behaviour-pdr">{field(form["for_pdr"])}</div>\n'
        f'    <div class="criterion-methods">{field(form["methods"])}</div>\n  </div>'
    )
    return _row("behaviour", form, spare, "behaviours", words, body)


def skill(form, spare, words):
    body = (
        f'<div class="skill-level">{field(form["level"])}</div>\n'
        f'  <div class="skill-pdr">{field(form["for_pdr"])}</div>'
    )
    return _row("skill", form, spare, "skills", words, body)


ROWS = {
    "details": detail,
    "items": item,
    "criteria": criterion,
    "behaviours": behaviour,
    "skills": skill,
}


def group_head(prefix, subheading, index, words):
    """The subheading a group of items is typed under, once per group."""
    id_ = f"{escape(prefix)}-group-{index}"
    return (
        f'<div class="group-head" data-group-head>\n'
        f'  <label class="group-label" for="{id_}">{words.subheading}</label>\n'
        f'  <input type="text" class="form-control form-control-sm group-subheading"'
        f' id="{id_}" value="{escape(subheading)}" maxlength="200" data-group-input'
        f' data-group-field="subheading">\n'
        f"  {_group_actions(words)}\n</div>"
    )


def criteria_group_head(categories, category, heading, index, words):
    """The category (and the heading printed for it) a group of criteria is under."""
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if value == category else ""}>'
        f"{escape(label)}</option>"
        for value, label in categories
    )
    return (
        f'<div class="group-head criteria-group-head" data-group-head>\n'
        f'  <label class="group-label" for="criteria-group-{index}-category">'
        f"{words.category}</label>\n"
        f'  <select class="form-select form-select-sm group-category"'
        f' id="criteria-group-{index}-category" data-group-field="category">{options}</select>\n'
        f'  <label class="group-label" for="criteria-group-{index}-heading">'
        f"{words.printed_as}</label>\n"
        f'  <input type="text" class="form-control form-control-sm group-subheading"'
        f' id="criteria-group-{index}-heading" value="{escape(heading)}" maxlength="200"'
        f' placeholder="{words.category_placeholder}" data-group-field="heading">\n'
        f"  {_group_actions(words)}\n</div>"
    )


def _group_actions(words):
    return (
        f'<div class="row-actions" role="group" aria-label="{words.group_actions}">\n'
        f'    <button type="button" class="btn btn-outline-secondary btn-sm"'
        f' data-move-group="up"><span aria-hidden="true">↑</span>'
        f'<span class="visually-hidden">{words.move_group_up}</span></button>\n'
        f'    <button type="button" class="btn btn-outline-secondary btn-sm"'
        f' data-move-group="down"><span aria-hidden="true">↓</span>'
        f'<span class="visually-hidden">{words.move_group_down}</span></button>\n  </div>'
    )


def part_rows(part, rows, words):
    """The rows of a part without groups: (form, spare) pairs."""
    row = ROWS[part]
    return mark_safe("".join(row(form, spare, words) for form, spare in rows))


def item_rows(prefix, rows, words):
    """A section's items, each group under its subheading: (form, head, spare) triples."""
    out = []
    for index, (form, head, spare) in enumerate(rows, start=1):
        if head is not None:
            out.append(group_head(prefix, head, index, words))
        out.append(item(form, spare, words))
    return mark_safe("".join(out))


def criterion_rows(rows, categories, words):
    """The criteria, each group under its category: (form, (category, heading), spare)."""
    out = []
    for index, (form, head, spare) in enumerate(rows, start=1):
        if head is not None:
            out.append(criteria_group_head(categories, head[0], head[1], index, words))
        out.append(criterion(form, spare, words))
    return mark_safe("".join(out))


def hidden_html(form):
    return mark_safe(hidden(form))


def actions_html(form, part, words):
    return mark_safe(actions(form, part, words))


def management_form(formset):
    """The formset's management form: its hidden fields, as Django's form template prints
    them (through the widget templates, a tenth of a long editor's time)."""
    return mark_safe("".join(field(bound) for bound in formset.management_form))


def criteria_group_template(categories, words):
    """The head of a group of criteria the page copies when "Add a group" is pressed."""
    return mark_safe(criteria_group_head(categories, "", "", "__group__", words))


def row(part, form, words):
    """One blank row added by "Add" (not a section's: templates/profiles/editor/section.html)."""
    return mark_safe(ROWS[part](form, False, words))
