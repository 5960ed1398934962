"""A real force's first week (issue 19): publishing needs nothing invented, one label chain,
and finding things. Each test is one defect the HR officer met, in the words they saw."""

import io
from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from model_bakery import baker
from pypdf import PdfReader

from profiles import search
from profiles.dates import DatePrecision
from profiles.models import (
    AuditAction,
    Force,
    Grade,
    HouseStyle,
    OfficerOrStaff,
    Role,
    RoleProfile,
    SectionKind,
    Status,
)
from profiles.printing import pdf
from profiles.services import lifecycle, national
from tests.conftest import editor_data, make_member
from tests.html_forms import parse_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def mv(db):
    return baker.make("vetting.VettingLevel", code="MV", name="Management Vetting")


@pytest.fixture
def unvetted(weighted_profile):
    """The weighted profile as a document that names no vetting level."""
    RoleProfile.objects.filter(pk=weighted_profile.pk).update(vetting_level=None)
    weighted_profile.refresh_from_db()
    return weighted_profile


@pytest.fixture
def force_defaults(force, mv):
    force.default_vetting_level = mv
    force.default_officer_or_staff = OfficerOrStaff.STAFF
    force.default_working_arrangement = "Flexible"
    force.save()
    return force


def read(client, profile):
    return client.get(profile.get_absolute_url()).content.decode()


def pdf_text(profile):
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(pdf.render_html(profile))))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# Publishing without inventing -----------------------------------------------------------------


def test_approval_keeps_the_documents_date_reviewed_and_the_pdf_prints_it(
    weighted_profile, hr_user
):
    reviewer = make_member(weighted_profile.force, Role.HR_EDITOR, "reviewer-gwent")
    weighted_profile.date_reviewed = date(2023, 2, 1)
    weighted_profile.date_reviewed_precision = DatePrecision.MONTH
    weighted_profile.save()
    lifecycle.submit(weighted_profile, hr_user)

    published = lifecycle.approve(weighted_profile, reviewer)

    assert published.date_reviewed_text() == "February 2023"
    assert published.approved_on == date.today()
    assert "Date reviewed February 2023" in pdf_text(published)


def test_a_profile_without_a_vetting_level_takes_the_force_default_shown_as_such(
    client, unvetted, hr_user, force_defaults
):
    client.force_login(hr_user)
    page = read(client, unvetted)

    assert "A vetting level: done (force default: MV)" in page
    assert "Management Vetting (MV)</strong> <span" in page and "force default</span>" in page
    assert "Police staff" in page and "Flexible" in page
    text = pdf_text(unvetted)
    assert "Vetting level MV" in text
    assert "Working arrangement Flexible" in text


def test_without_a_force_default_the_checklist_still_asks_for_a_vetting_level(
    client, unvetted, hr_user
):
    client.force_login(hr_user)
    assert "A vetting level: missing" in read(client, unvetted)
    with pytest.raises(ValidationError, match="needs a vetting level"):
        lifecycle.submit(unvetted, hr_user)


def test_publishing_writes_the_force_defaults_into_the_profile_and_says_so(
    unvetted, hr_user, force_defaults, vetting_level
):
    reviewer = make_member(unvetted.force, Role.HR_EDITOR, "reviewer-gwent")
    lifecycle.submit(unvetted, hr_user)
    published = lifecycle.approve(unvetted, reviewer)

    published.refresh_from_db()
    assert published.vetting_level.code == "MV"
    assert published.officer_or_staff == OfficerOrStaff.STAFF
    assert published.working_arrangement == "Flexible"
    entry = published.audit.get(action=AuditAction.PUBLISH)
    assert entry.comment == (
        "Force defaults used: vetting level MV; officer or staff Police staff; "
        "working arrangement Flexible."
    )
    # A later change of the default leaves the approved profile as it was approved.
    force_defaults.default_vetting_level = vetting_level
    force_defaults.save()
    published.refresh_from_db()
    assert published.vetting_level.code == "MV"


def test_the_house_style_page_sets_the_force_defaults(client, hr_user, force, mv):
    client.force_login(hr_user)
    url = reverse("profiles:house_style", args=[force.slug])
    form = parse_form(client.get(url).content.decode(), "house-style")
    form["force-default_vetting_level"] = str(mv.pk)
    form["force-default_officer_or_staff"] = "officer"
    form["force-default_working_arrangement"] = "Shifts"
    response = form.post(client, url, follow=True)

    assert "The house style of Gwent Police is saved." in response.content.decode()
    force.refresh_from_db()
    assert (force.default_vetting_level, force.default_officer_or_staff) == (mv, "officer")
    assert force.default_working_arrangement == "Shifts"


def test_the_profile_page_says_who_can_approve(client, weighted_profile, hr_user):
    second = make_member(weighted_profile.force, Role.HR_EDITOR, "hr2-gwent")
    second.first_name, second.last_name = "Rhian", "Evans"
    second.save()
    lifecycle.submit(weighted_profile, hr_user)
    client.force_login(hr_user)

    page = read(client, weighted_profile)

    assert (
        "Who can approve: Rhian Evans (an HR editor or approver of Gwent Police other than its "
        "author), "
        "or an administrator." in page
    )
    assert "Waiting for another HR editor to review it." in page


def test_a_force_with_one_hr_editor_is_told_no_one_can_approve_yet(
    client, weighted_profile, hr_user
):
    lifecycle.submit(weighted_profile, hr_user)
    client.force_login(hr_user)

    page = read(client, weighted_profile)

    assert "Who can approve: no one at Gwent Police yet." in page
    assert "Approve and publish" not in page


def test_single_person_approval_lets_the_author_publish_with_the_reason_in_the_audit_trail(
    client, weighted_profile, hr_user
):
    force = weighted_profile.force
    force.single_approver_reason = "A team of one until April."
    force.save()
    lifecycle.submit(weighted_profile, hr_user)
    client.force_login(hr_user)
    page = read(client, weighted_profile)
    assert "the author included" in page and "A team of one until April." in page

    response = client.post(
        reverse("profiles:approve", args=[force.slug, weighted_profile.slug]), follow=True
    )

    assert "is published as version 1." in response.content.decode()
    entry = RoleProfile.objects.get(pk=weighted_profile.pk).audit.get(action=AuditAction.PUBLISH)
    assert entry.comment == "Approved by one person: A team of one until April."


SETUP_URL = "admin:profiles_force_setup"


def setup_form(client):
    form = parse_form(client.get(reverse(SETUP_URL)).content.decode(), "force-setup")
    for name, value in {
        "name": "Dyfed-Powys Police",
        "slug": "dyfed-powys",
        "grades": "Scale 3\nScale 4",
        "hr_username": "hr-dyfed-powys",
        "hr_password": "a long enough passphrase 1",
        "manager_username": "manager-dyfed-powys",
        "manager_password": "a long enough passphrase 2",
    }.items():
        form[name] = value
    return form


def test_set_up_asks_for_a_second_approver_or_single_person_approval(client, admin_user):
    client.force_login(admin_user)
    response = setup_form(client).post(client, reverse(SETUP_URL))

    assert (
        "One HR editor cannot publish alone: give a second HR editor to approve, "
        "or choose single-person approval by giving its reason." in response.content.decode()
    )
    assert not Force.objects.filter(slug="dyfed-powys").exists()


def test_set_up_records_single_person_approval_and_the_force_defaults(client, admin_user, mv):
    client.force_login(admin_user)
    form = setup_form(client)
    form["single_approver_reason"] = "One HR officer for now."
    form["default_vetting_level"] = str(mv.pk)
    form["default_officer_or_staff"] = "staff"
    form.post(client, reverse(SETUP_URL))

    force = Force.objects.get(slug="dyfed-powys")
    assert force.single_approver_reason == "One HR officer for now."
    assert force.default_vetting_level == mv and force.default_officer_or_staff == "staff"
    entry = LogEntry.objects.get(object_id=str(force.pk))
    assert entry.get_change_message() == "Set up; single-person approval: One HR officer for now."


def test_set_up_creates_the_second_approver(client, admin_user):
    client.force_login(admin_user)
    form = setup_form(client)
    form["approver_username"] = "hr2-dyfed-powys"
    form["approver_password"] = "a long enough passphrase 3"
    form.post(client, reverse(SETUP_URL))

    force = Force.objects.get(slug="dyfed-powys")
    editors = force.memberships.filter(role=Role.HR_EDITOR).values_list("user__username")
    assert sorted(name for (name,) in editors) == ["hr-dyfed-powys", "hr2-dyfed-powys"]
    assert force.single_approver_reason == ""


def test_a_profile_derived_from_a_national_one_starts_with_its_own_dates_empty(
    force, hr_user, vetting_level
):
    college = baker.make(Force, slug="college-of-policing", name="College", national=True)
    parent = baker.make(
        RoleProfile,
        force=college,
        slug="pcso",
        title="PCSO",
        status=Status.PUBLISHED,
        date_reviewed=date(2024, 5, 1),
        review_due=date(2026, 5, 1),
        approved_by="College reviewer",
        approved_on=date(2024, 5, 1),
    )
    baker.make("profiles.Section", profile=parent, order=1, kind=SectionKind.RESPONSIBILITIES)

    derived = national.derive(parent, force, hr_user)

    derived.refresh_from_db()
    assert (derived.date_reviewed, derived.review_due) == (None, None)
    assert (derived.approved_by, derived.approved_on) == ("", None)


def test_a_profile_in_review_offers_no_edit_link_and_says_why_in_a_sentence(
    client, weighted_profile, hr_user
):
    lifecycle.submit(weighted_profile, hr_user)
    client.force_login(hr_user)
    edit = reverse("profiles:edit", args=[weighted_profile.force.slug, weighted_profile.slug])

    assert f'href="{edit}"' not in read(client, weighted_profile)
    response = client.get(edit, follow=True)
    assert (
        "“Community Support Officer” is in review, so it cannot be edited now. "
        "Only a draft can be edited." in response.content.decode()
    )


def test_the_live_checklist_counts_a_grade_typed_into_or_a_new_grade(
    client, weighted_profile, hr_user
):
    RoleProfile.objects.filter(pk=weighted_profile.pk).update(grade=None)
    client.force_login(hr_user)
    edit = reverse("profiles:edit", args=[weighted_profile.force.slug, weighted_profile.slug])
    form = parse_form(client.get(edit).content.decode(), "editor")
    form["profile-new_grade"] = "Scale 5"

    response = client.post(edit + "checklist/", form.data())

    assert "A grade: done" in response.content.decode()
    assert not Grade.objects.filter(code="Scale 5").exists()


# One label chain everywhere --------------------------------------------------------------------


def test_the_editors_labels_stay_the_forces_after_a_refused_save(client, weighted_profile, hr_user):
    client.force_login(hr_user)
    edit = reverse("profiles:edit", args=[weighted_profile.force.slug, weighted_profile.slug])
    data = editor_data(weighted_profile)
    data["profile-title"] = ""

    page = client.post(edit, data).content.decode()

    assert "Nothing was saved: please correct the problems marked below." in page
    assert "Job title" in page and "Supervisory responsibility" in page
    assert ">\n                Title" not in page and "People responsibility" not in page


def test_a_forces_label_overrides_reach_the_read_page_the_compare_page_and_the_pdf(
    client, weighted_profile, hr_user
):
    force = weighted_profile.force
    force.label_overrides = {"title": "Role name", "criteria": "What we look for"}
    force.save()
    HouseStyle.objects.create(force=force, labels={"reference_code": "Post ref"})
    baker.make(
        "profiles.Criterion",
        profile=weighted_profile,
        order=1,
        requirement="essential",
        text="Tact.",
    )
    weighted_profile.reference_code = "GW1"
    weighted_profile.save()
    client.force_login(hr_user)
    data = editor_data(weighted_profile)
    data["profile-title"] = "Community Safety Officer"
    edit = reverse("profiles:edit", args=[force.slug, weighted_profile.slug])
    client.post(edit, data)
    weighted_profile.refresh_from_db()

    page = read(client, weighted_profile)
    assert "Post ref GW1" in page and ">What we look for</h2>" in page
    compare = client.get(
        reverse("profiles:compare", args=[force.slug, weighted_profile.slug])
    ).content.decode()
    assert '<th scope="row">Role name</th>' in compare
    assert '<th scope="row">Title</th>' not in compare
    text = pdf_text(weighted_profile)
    assert "What we look for" in text and "Post ref GW1" in text


# Finding things ------------------------------------------------------------------------------


@pytest.fixture
def national_profile(db, vetting_level):
    college = baker.make(Force, slug="college-of-policing", name="College", national=True)
    profile = baker.make(
        RoleProfile, force=college, slug="pcso", title="PCSO", status=Status.PUBLISHED
    )
    search.refresh(profile.pk)
    return profile


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.HR_EDITOR])
def test_national_profiles_are_found_in_all_forces_by_every_signed_in_user(
    client, force, national_profile, weighted_profile, role
):
    RoleProfile.objects.filter(pk=weighted_profile.pk).update(status=Status.PUBLISHED)
    client.force_login(make_member(force, role, f"{role}-gwent"))

    response = client.get(reverse("profiles:list"))

    assert {p.slug for p in response.context["profiles"]} == {"pcso", weighted_profile.slug}
    searched = client.get(reverse("profiles:list"), {"q": "PCSO"})
    assert [p.slug for p in searched.context["profiles"]] == ["pcso"]


def test_a_national_draft_is_not_found_in_all_forces(client, manager_user, national_profile):
    RoleProfile.objects.filter(pk=national_profile.pk).update(status=Status.DRAFT)
    client.force_login(manager_user)
    assert list(client.get(reverse("profiles:list")).context["profiles"]) == []


def test_the_status_filter_offers_a_hiring_manager_only_what_they_can_see(
    client, manager_user, hr_user
):
    client.force_login(manager_user)
    page = client.get(reverse("profiles:list")).content.decode()
    assert '<option value="published">Published</option>' in page
    for hidden in ("Draft", "In review", "Archived"):
        assert f">{hidden}</option>" not in page
    client.force_login(hr_user)
    page = client.get(reverse("profiles:list")).content.decode()
    assert all(f">{status}</option>" in page for status in ("Draft", "In review", "Archived"))


def test_each_competency_in_the_filter_says_its_framework(client, manager_user, national_data):
    client.force_login(manager_user)
    page = client.get(reverse("profiles:list")).content.decode()
    assert ">We are emotionally aware (CVF 2016)</option>" in page
    assert ">We are emotionally aware (CVF 2024)</option>" in page


def test_a_grade_added_from_the_editor_sorts_after_the_forces_grades(
    client, weighted_profile, hr_user
):
    force = weighted_profile.force
    Grade.objects.filter(force=force).update(order=1)
    baker.make(Grade, force=force, code="Scale 5", order=2)
    client.force_login(hr_user)
    data = editor_data(weighted_profile)
    data["profile-grade"] = ""
    data["profile-new_grade"] = "Apprentice"
    edit = reverse("profiles:edit", args=[force.slug, weighted_profile.slug])
    client.post(edit, data)

    assert list(Grade.objects.filter(force=force).values_list("code", flat=True)) == [
        "Scale 4",
        "Scale 5",
        "Apprentice",
    ]
