"""The editor's fields built in Python (profiles.editor.fields) are the fields crispy prints."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.http import QueryDict

from profiles.access import working_draft
from profiles.editor import fields as editor_fields
from profiles.editor.forms import ProfileEditor, fetch_for_editor
from profiles.models import RoleProfile
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
