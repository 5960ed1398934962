"""A sixth force fits: month-precision review dates, ungrouped criteria, grades added by HR,
the fields that recur across forces with the force's own labels, and the publication
checklist on a draft."""

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from model_bakery import baker

from profiles.dates import DatePrecision, format_partial_date, parse_partial_date
from profiles.models import Criterion, Force, Grade, Layout, RoleProfile, SectionKind, Status
from profiles.printing import pdf
from profiles.printing.document import document_context, render_document_html
from tests.conftest import editor_data
from tests.html_forms import parse_form

pytestmark = pytest.mark.django_db

SIXTH_FORCE = Path(__file__).resolve().parent / "fixtures" / "sixth_force.json"


def edit_url(profile):
    return reverse("profiles:edit", args=[profile.force.slug, profile.slug])


def grid(profile):
    return {row["label"]: row["value"] for row in document_context(profile)["grid"]}


# Month-precision review dates ---------------------------------------------------------------


def test_a_review_date_is_read_at_the_precision_it_is_written():
    assert parse_partial_date("2023-02") == (date(2023, 2, 1), DatePrecision.MONTH)
    assert parse_partial_date("2023-02-14") == (date(2023, 2, 14), DatePrecision.DAY)
    assert format_partial_date(date(2023, 2, 1), DatePrecision.MONTH) == "February 2023"
    assert format_partial_date(date(2023, 2, 14), DatePrecision.DAY) == "14 February 2023"


@pytest.mark.parametrize("text", ["February 2023", "2023-2", "2023-13", "2023-02-30"])
def test_a_review_date_in_another_form_is_refused_with_the_forms_that_work(text):
    with pytest.raises(ValidationError) as caught:
        parse_partial_date(text)
    assert "Enter the date as YYYY-MM (a month) or YYYY-MM-DD (a day)." in caught.value.messages[0]


def test_the_sixth_forces_fixture_loads_with_a_month_only_review_date(national_data):
    call_command("load_force", str(SIXTH_FORCE), verbosity=0)
    profile = RoleProfile.objects.get(slug="police-staff-investigator")
    assert (profile.date_reviewed, profile.date_reviewed_precision) == (
        date(2023, 2, 1),
        DatePrecision.MONTH,
    )
    assert grid(profile)["Date reviewed"] == "February 2023"
    assert set(profile.criteria.values_list("category", flat=True)) == {""}


def test_a_fixture_with_a_badly_written_review_date_names_the_record_and_loads_nothing(
    national_data, tmp_path
):
    records = json.loads(SIXTH_FORCE.read_text())
    records[2]["fields"]["date_reviewed"] = "Feb 2023"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(records))
    with pytest.raises(CommandError) as caught:
        call_command("load_force", str(path), verbosity=0)
    message = str(caught.value)
    assert "profiles.roleprofile ('north-yorkshire', 'police-staff-investigator')" in message
    assert "field 'date_reviewed'" in message
    assert "Enter the date as YYYY-MM (a month) or YYYY-MM-DD (a day)." in message
    assert not Force.objects.filter(slug="north-yorkshire").exists()


def test_the_editor_saves_a_month_and_year_without_a_day(client, hr_user, profile):
    client.force_login(hr_user)
    form = parse_form(client.get(edit_url(profile)).content.decode(), "editor")
    form["profile-date_reviewed_month"] = "2"
    form["profile-date_reviewed_year"] = "2023"
    response = client.post(edit_url(profile), form.data())
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.date_reviewed, profile.date_reviewed_precision) == (date(2023, 2, 1), "month")
    page = client.get(profile.get_absolute_url()).content.decode()
    assert '<th scope="row">Date reviewed</th><td>February 2023</td>' in page


def test_the_editor_saves_a_day_when_one_is_given_and_shows_the_date_back(client, hr_user, profile):
    client.force_login(hr_user)
    data = editor_data(profile)
    data.update(
        {
            "profile-date_reviewed_day": "14",
            "profile-date_reviewed_month": "2",
            "profile-date_reviewed_year": "2023",
        }
    )
    assert client.post(edit_url(profile), data).status_code == 302
    profile.refresh_from_db()
    assert profile.date_reviewed_text() == "14 February 2023"
    form = parse_form(client.get(edit_url(profile)).content.decode(), "editor")
    assert [form[f"profile-date_reviewed_{part}"] for part in ("day", "month", "year")] == [
        "14",
        "2",
        "2023",
    ]


def test_the_editor_refuses_a_day_without_its_month_and_year(client, hr_user, profile):
    client.force_login(hr_user)
    data = editor_data(profile)
    data["profile-date_reviewed_day"] = "14"
    response = client.post(edit_url(profile), data)
    assert response.status_code == 200
    assert "Give the month and the year (the day is optional)." in response.content.decode()


def test_the_editor_refuses_a_day_the_month_does_not_have(client, hr_user, profile):
    client.force_login(hr_user)
    data = editor_data(profile)
    data.update(
        {
            "profile-date_reviewed_day": "30",
            "profile-date_reviewed_month": "2",
            "profile-date_reviewed_year": "2023",
        }
    )
    response = client.post(edit_url(profile), data)
    assert "February 2023 has no day 30." in response.content.decode()


def test_a_review_due_in_a_month_is_overdue_only_once_that_month_is_over(force):
    def make(slug, due):
        return baker.make(
            RoleProfile,
            force=force,
            slug=slug,
            status=Status.PUBLISHED,
            review_due=due,
            review_due_precision=DatePrecision.MONTH,
        )

    make("due-this-month", date(2026, 3, 1))
    make("due-last-month", date(2026, 2, 1))
    today = date(2026, 3, 20)
    assert [p.slug for p in RoleProfile.objects.overdue(today)] == ["due-last-month"]
    assert [p.slug for p in RoleProfile.objects.due_within(90, today)] == ["due-this-month"]
    assert RoleProfile.objects.get(slug="due-this-month").review_due_text() == "March 2026"


# Criteria without a category ----------------------------------------------------------------


def test_a_criterion_without_a_category_saves_from_the_editor(client, hr_user, profile):
    client.force_login(hr_user)
    form = parse_form(client.get(edit_url(profile)).content.decode(), "editor")
    form["criteria-0-requirement"] = "essential"
    form["criteria-0-text"] = "A full UK driving licence."
    response = client.post(edit_url(profile), form.data())
    assert response.status_code == 302, response.content.decode()
    criterion = Criterion.objects.get(profile=profile)
    assert (criterion.category, criterion.text) == ("", "A full UK driving licence.")


def test_ungrouped_criteria_print_under_essential_and_desirable_alone(profile):
    for order, requirement in enumerate(["essential", "desirable"], start=1):
        baker.make(
            Criterion,
            profile=profile,
            order=order,
            requirement=requirement,
            text=f"An ungrouped {requirement} criterion.",
        )
    for layout in Layout.values:
        Force.objects.filter(pk=profile.force_id).update(layout=layout)
        html = pdf.render_html(profile)
        assert "An ungrouped essential criterion." in html, layout
        assert "Other" not in html, layout
        # No heading ends in a colon with no group name after it (a heading's own colon,
        # "Essential criteria:", is the house style's).
        assert not re.search(r"(?<![Cc]riteria):\s*</h[34]>", html), layout
        assert "<h4></h4>" not in html and "<h4>:</h4>" not in html, layout
    Force.objects.filter(pk=profile.force_id).update(layout=Layout.DEFAULT)
    html = render_document_html(profile)
    assert "<h3>Essential criteria</h3>" in html
    assert "<h3>Desirable criteria</h3>" in html


# Grades added by HR -------------------------------------------------------------------------


def test_an_hr_editor_adds_a_grade_for_their_force_from_the_editor(
    client, hr_user, profile, other_force
):
    client.force_login(hr_user)
    baker.make(Grade, force=other_force, code="SC4")
    data = editor_data(profile)
    data["profile-grade"] = ""
    data["profile-new_grade"] = " SC4 "
    assert client.post(edit_url(profile), data).status_code == 302
    profile.refresh_from_db()
    assert (profile.grade.code, profile.grade.force_id) == ("SC4", profile.force_id)
    assert Grade.objects.filter(code="SC4").count() == 2
    # The new grade is offered next time, and typing it again reuses it.
    form = parse_form(client.get(edit_url(profile)).content.decode(), "editor")
    assert str(profile.grade.pk) in form.options["profile-grade"]
    data = editor_data(profile)
    data["profile-grade"] = ""
    data["profile-new_grade"] = "sc4"
    client.post(edit_url(profile), data)
    assert Grade.objects.filter(force=profile.force).count() == 2


def test_a_chosen_grade_and_a_new_one_together_are_refused(client, hr_user, profile):
    client.force_login(hr_user)
    data = editor_data(profile)
    data["profile-new_grade"] = "SC9"
    response = client.post(edit_url(profile), data)
    assert "Choose a grade or type a new one, not both." in response.content.decode()
    assert not Grade.objects.filter(code="SC9").exists()


def test_a_grade_note_prints_without_a_grade(profile):
    RoleProfile.objects.filter(pk=profile.pk).update(grade=None, grade_note="(non supervisory)")
    assert grid(profile)["Grade"] == "(non supervisory)"


# The fields that recur across forces --------------------------------------------------------

COMMON = {
    "officer_or_staff": ("staff", "Officer or staff", "Police staff"),
    "home_office_function": ("43", "Home Office function code", "43"),
    "limited_duties_category": ("Category B", "Limited duties category", "Category B"),
    "section_name": ("Major Crime Unit", "Section", "Major Crime Unit"),
    "internal_contacts": ("Forensic Services", "Internal contacts", "Forensic Services"),
    "external_contacts": ("Partner agencies", "External contacts", "Partner agencies"),
}


@pytest.mark.parametrize("layout", Layout.values)
def test_every_layout_prints_the_common_fields_under_their_labels(profile, layout):
    RoleProfile.objects.filter(pk=profile.pk).update(
        **{name: stored for name, (stored, _, _) in COMMON.items()}
    )
    Force.objects.filter(pk=profile.force_id).update(layout=layout)
    context = document_context(profile)
    rows = {row["name"]: (row["label"], row["value"]) for row in context["grid"]}
    html = pdf.render_html(profile)
    for name, (_, _label, shown) in COMMON.items():
        assert rows[name] == (context["labels"][name], shown)
        assert context["labels"][name] in html and shown in html, (name, layout)
    if layout == Layout.DEFAULT:
        assert [rows[name][0] for name in COMMON] == [label for _, label, _ in COMMON.values()]


def test_a_force_renames_a_printed_label(profile):
    RoleProfile.objects.filter(pk=profile.pk).update(home_office_function="43")
    Force.objects.filter(pk=profile.force_id).update(
        label_overrides={"home_office_function": "HO function", "reports_to": "Line manager"}
    )
    labels = document_context(profile)["labels"]
    assert (labels["home_office_function"], labels["reports_to"]) == ("HO function", "Line manager")
    assert '<th scope="row">HO function</th><td>43</td>' in render_document_html(profile)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"home_office_fuction": "HO"}, "No printed field is called home_office_fuction"),
        ({"section_name": "  "}, "Give section_name a label of some words."),
        (["section_name"], 'Give the labels as {"field name": "label"}'),
    ],
)
def test_a_label_override_for_no_printed_field_is_refused(force, overrides, message):
    force.label_overrides = overrides
    with pytest.raises(ValidationError) as caught:
        force.full_clean()
    assert message in " ".join(caught.value.message_dict["label_overrides"])


def test_the_editor_saves_the_common_fields(client, hr_user, profile):
    client.force_login(hr_user)
    form = parse_form(client.get(edit_url(profile)).content.decode(), "editor")
    form["profile-officer_or_staff"] = "either"
    form["profile-home_office_function"] = "43"
    form["profile-internal_contacts"] = "Detectives"
    assert client.post(edit_url(profile), form.data()).status_code == 302
    profile.refresh_from_db()
    assert (profile.officer_or_staff, profile.home_office_function, profile.internal_contacts) == (
        "either",
        "43",
        "Detectives",
    )
    assert grid(profile)["Officer or staff"] == "Police officer or police staff"


# The publication checklist ------------------------------------------------------------------


def checklist_text(html):
    start = html.index('id="publication-checklist"')
    return html[start : html.index("</section>", start)]


def test_a_draft_shows_what_it_lacks_for_publication_on_its_page_and_in_the_editor(
    client, hr_user, force
):
    draft = baker.make(RoleProfile, force=force, slug="bare", title="Bare")
    client.force_login(hr_user)
    for url in (draft.get_absolute_url(), edit_url(draft)):
        checklist = checklist_text(client.get(url).content.decode())
        assert "A published profile needs a grade." in checklist
        assert "A published profile needs a vetting level." in checklist
        assert "A published profile needs at least one responsibility." in checklist
        assert "Weightings that add up: done" in checklist


def test_the_checklist_names_weightings_that_do_not_add_up_and_is_the_submit_rule(
    client, hr_user, weighted_profile
):
    client.force_login(hr_user)
    checklist = checklist_text(client.get(weighted_profile.get_absolute_url()).content.decode())
    assert checklist.count(": done") == 4
    section = weighted_profile.sections.get(kind=SectionKind.RESPONSIBILITIES)
    section.items.filter(order=1).update(weighting=Decimal(31))
    checklist = checklist_text(client.get(weighted_profile.get_absolute_url()).content.decode())
    assert "Weightings that add up: missing" in checklist
    assert "add up to 81 %, but the section’s total is 80 %" in checklist
    # Submitting refuses it for the same reason.
    response = client.post(
        reverse("profiles:submit", args=[weighted_profile.force.slug, weighted_profile.slug]),
        follow=True,
    )
    assert "add up to 81 %, but the section’s total is 80 %" in response.content.decode()
    weighted_profile.refresh_from_db()
    assert weighted_profile.status == Status.DRAFT


def test_hiring_managers_and_published_profiles_show_no_checklist(
    client, hr_user, manager_user, weighted_profile
):
    RoleProfile.objects.filter(pk=weighted_profile.pk).update(status=Status.PUBLISHED)
    client.force_login(manager_user)
    assert (
        "publication-checklist"
        not in client.get(weighted_profile.get_absolute_url()).content.decode()
    )
    client.force_login(hr_user)
    assert (
        "publication-checklist"
        not in client.get(weighted_profile.get_absolute_url()).content.decode()
    )
