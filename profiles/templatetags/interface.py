"""The editor's scripts speak the interface language: their words, translated here, reach
them as JSON in the page (`{% editor_strings %}`), since the CSP allows no inline script."""

from django import template
from django.utils.html import json_script
from django.utils.translation import gettext as _

register = template.Library()


def editor_words():
    """{key: words} for static/js/editor*.js; "{name}" marks where a script puts a value."""
    return {
        "subheading": _("Subheading"),
        "group_actions": _("Group actions"),
        "move_group_up": _("Move group up"),
        "move_group_down": _("Move group down"),
        "moved_to": _("Moved to position {position} of {count}."),
        "under": _("Under {group}."),
        "group_moved_up": _("Group moved up."),
        "group_moved_down": _("Group moved down."),
        "group_added_subheading": _("Group added: type its subheading."),
        "group_added_category": _("Group added: choose its category."),
        "new_section": _("New section"),
        "one_problem": _("1 problem"),
        "problems": _("{count} problems"),
        "weighting": _("Weighting {total}"),
        "to_be_removed": _("to be removed"),
        "unsaved_changes": _("unsaved changes"),
        "row_marked": _("Row marked for removal when you save."),
        "row_kept": _("Row kept."),
        "row_added": _("Row added."),
        "row_failed": _("The row could not be added ({status})."),
        "several_label": _("One per line (paste a list from a document)"),
        "add_these": _("Add these"),
        "cancel": _("Cancel"),
        "kept": _("Unsaved changes, kept in this browser."),
        "not_kept": _("Unsaved changes (this browser could not keep a copy)."),
        "recovery": _("This browser kept changes you had not saved ({when})."),
        "saved_since": _("The profile has been saved since: restoring puts your version over it."),
        "restored": _("Your unsaved changes are back on the page. Press Save to keep them."),
        "discarded": _("The kept changes were discarded."),
        "library_text": _("Standard statements and text from the force's profiles"),
        "library_behaviours": _("Behaviours of the competency framework"),
        "library_skills": _("Skills of the professional framework"),
        "library_methods": _("Assessment methods"),
        "ticked_one": _("Ticked on 1 criterion."),
        "ticked": _("Ticked on {count} criteria."),
        "added": _("Added ✓ "),
        "added_to": _("Added to {part}."),
    }


@register.simple_tag
def editor_strings():
    return json_script(editor_words(), "editor-strings")
