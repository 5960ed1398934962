"""The editor's fields built in Python (profiles.editor.fields) are the fields crispy prints, and
a GET's rows printed without a form each (profiles.editor.shown) are the rows forms print."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.http import QueryDict
from django.template.loader import render_to_string

from profiles import welsh
from profiles.access import working_draft
from profiles.editor import fields as editor_fields
from profiles.editor.forms import ProfileEditor, fetch_for_editor
from profiles.editor.new_profile import NewProfileEditor, source_snapshot, unsaved_profile
from profiles.editor.page import page_context
from profiles.models import Item, RoleProfile
from tests.conftest import editor_data

pytestmark = pytest.mark.django_db


def normalised(html):
    """The markup with the whitespace between tags dropped and other runs made one space."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def every_field(editor):
    forms = [editor.form]
    for formset in [*editor.formsets.values(), *editor.item_formsets.values()]:
        forms += [*formset.forms, formset.empty_form]
    return [form[name] for form in forms for name in form.fields]


def editor_for(profile, data=None):
    profile = fetch_for_editor(profile)
    if data is None:
        return ProfileEditor(profile)
    post = QueryDict(mutable=True)
    for name, value in data.items():
        post.setlist(name, value if isinstance(value, list) else [value])
    editor = ProfileEditor(profile, post)
    editor.is_valid()
    return editor


def refused_post(profile):
    """The page's post with a wrong value in a field of every kind."""
    data = editor_data(profile)
    data["sections-0-items-0-text"] = ""
    data["sections-0-items-0-weighting"] = "much"
    data["sections-0-kind"] = "no-such-kind"
    data["criteria-0-methods"] = ["999999"]
    data["criteria-0-requirement"] = "optional"
    data["behaviours-0-level"] = "999999"
    data["skills-0-level"] = ""
    data["details-0-label"] = "x" * 500
    data["profile-title"] = ""
    return data


def assert_same_fields(profile, data=None):
    ours, crispy = editor_for(profile, data), editor_for(profile, data)
    handled = 0
    for our_field, crispy_field in zip(every_field(ours), every_field(crispy), strict=True):
        rendered = editor_fields.render(our_field)
        if rendered is None:
            continue
        handled += 1
        assert normalised(rendered) == normalised(as_crispy_field(crispy_field)), (
            our_field.html_name
        )
    return handled


def seed(slug):
    return RoleProfile.objects.get(slug=slug, draft_of=None)


def test_every_field_of_a_welsh_force_s_editor_is_printed_as_crispy_prints_it(seed_forces):
    profile = RoleProfile.objects.filter(force__welsh_language=True, draft_of=None).first()
    assert assert_same_fields(profile) > 50


def test_every_field_of_an_english_force_s_editor_is_printed_as_crispy_prints_it(seed_forces):
    profile = RoleProfile.objects.filter(force__welsh_language=False, draft_of=None).first()
    assert assert_same_fields(profile) > 50


def test_fields_refused_by_a_save_carry_the_same_errors_as_crispy_prints_them(seed_forces):
    profile = RoleProfile.objects.filter(force__welsh_language=True, draft_of=None).first()
    data = refused_post(profile)
    profile = working_draft(profile) or profile
    editor = editor_for(profile, data)
    assert editor.formsets["criteria"].forms[0].errors
    assert editor.item_formsets["sections-0"].forms[0].errors
    assert assert_same_fields(profile, data) > 50


class FormsEditor(ProfileEditor):
    """The editor printing an unbound page's rows from a form each, as it did before
    profiles.editor.shown."""

    def forms(self, formset):
        return formset.forms


class FormsNewProfileEditor(NewProfileEditor):
    def forms(self, formset):
        return formset.forms


def printed_rows(editor):
    """Everything of the page printed from its formsets: rows, sections, management forms."""
    context = page_context(editor, editor.profile)
    printed = [context["rows"][prefix] for prefix in ("details", "behaviours", "skills")]
    printed += [
        context["criterion_rows"],
        *(part["management_form"] for part in context["parts"].values()),
    ]
    for section in context["sections"]:
        printed.append(
            render_to_string("profiles/editor/section.html", {**section, "row_url": "/r"})
        )
    return normalised("".join(printed))


@pytest.mark.parametrize("welsh_force", [True, False])
def test_a_get_s_rows_without_a_form_each_are_printed_as_their_forms_print_them(
    seed_forces, welsh_force
):
    profile = RoleProfile.objects.filter(force__welsh_language=welsh_force, draft_of=None).first()
    profile = working_draft(profile) or profile
    item = Item.objects.filter(section__profile=profile).order_by("pk").first()
    if welsh_force:
        # One Welsh text whose English changed since: it says "needs translation".
        item.text_cy = "Testun"
        welsh.mark_translated(item, "text")
        Item.objects.filter(pk=item.pk).update(
            text_cy=item.text_cy, welsh_sources=item.welsh_sources, text=item.text + " (changed)"
        )
    shown = printed_rows(ProfileEditor(fetch_for_editor(profile)))
    assert shown == printed_rows(FormsEditor(fetch_for_editor(profile)))
    assert ("needs translation" in shown) is welsh_force
    assert item.text in shown


@pytest.mark.parametrize("welsh_force", [True, False])
def test_a_new_profile_s_copied_rows_are_printed_as_their_forms_print_them(
    seed_forces, welsh_force
):
    source = RoleProfile.objects.filter(force__welsh_language=welsh_force, draft_of=None).first()
    snapshot = source_snapshot(source)
    shown = printed_rows(
        NewProfileEditor(unsaved_profile(source.force, snapshot), snapshot=snapshot)
    )
    forms = printed_rows(
        FormsNewProfileEditor(unsaved_profile(source.force, snapshot), snapshot=snapshot)
    )
    assert shown == forms
    assert source.sections.first().items.first().text in shown
