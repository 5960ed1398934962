"""Setting up a new force on one admin page, and memberships on the user's own admin page."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from pypdf import PdfReader

from profiles.models import (
    Force,
    Grade,
    Item,
    Layout,
    Membership,
    Role,
    RoleProfile,
    Section,
    SectionKind,
)
from profiles.printing import pdf
from tests.html_forms import parse_form

pytestmark = pytest.mark.django_db

SETUP_URL = "admin:profiles_force_setup"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def setup_form(client):
    response = client.get(reverse(SETUP_URL))
    assert response.status_code == 200
    form = parse_form(response.content.decode(), "force-setup")
    values = {
        "name": "North Yorkshire Police",
        "slug": "north-yorkshire",
        "short_name": "NYP",
        "grades": "Band B\nBand C\n\nBand D",
        "hr_username": "hr-north-yorkshire",
        "hr_email": "hr@example.org",
        "hr_password": "a long enough passphrase 1",
        "approver_username": "hr2-north-yorkshire",
        "approver_password": "a long enough passphrase 3",
        "manager_username": "manager-north-yorkshire",
        "manager_password": "a long enough passphrase 2",
    }
    for name, value in values.items():
        form[name] = value
    return form


def test_the_force_list_links_to_the_set_up_page(admin_client):
    page = admin_client.get(reverse("admin:profiles_force_changelist")).content.decode()
    assert reverse(SETUP_URL) in page
    assert "Set up a new force" in page


def test_one_page_sets_up_a_force_with_its_grades_and_two_accounts(admin_client):
    form = setup_form(admin_client)
    response = form.post(admin_client, reverse(SETUP_URL), follow=True)
    force = Force.objects.get(slug="north-yorkshire")
    assert response.redirect_chain[-1][0] == reverse("admin:profiles_force_change", args=[force.pk])
    assert (
        "Set up North Yorkshire Police with 3 grade(s) and the accounts hr-north-yorkshire, "
        "hr2-north-yorkshire and manager-north-yorkshire." in response.content.decode()
    )
    assert list(Grade.objects.filter(force=force).values_list("code", "order")) == [
        ("Band B", 1),
        ("Band C", 2),
        ("Band D", 3),
    ]
    users = get_user_model().objects.select_related("membership__force")
    hr = users.get(username="hr-north-yorkshire")
    manager = users.get(username="manager-north-yorkshire")
    assert hr.check_password("a long enough passphrase 1")
    assert manager.check_password("a long enough passphrase 2")
    assert (hr.membership.force, hr.membership.role) == (force, Role.HR_EDITOR)
    assert (manager.membership.force, manager.membership.role) == (force, Role.HIRING_MANAGER)
    assert not hr.is_staff and hr.email == "hr@example.org"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("grades", "  \n ", "Give the force at least one grade."),
        ("grades", "Band C\nBand C", "Grade Band C is listed twice."),
        ("hr_username", "admin", "The user name admin is taken."),
        ("manager_username", "hr-north-yorkshire", "The user name hr-north-yorkshire is taken."),
        ("hr_password", "short", "This password is too short."),
        ("slug", "gwent", "Force with this Slug already exists."),
    ],
)
def test_a_bad_set_up_says_what_is_wrong_and_creates_nothing(
    admin_client, force, field, value, message
):
    users = get_user_model().objects.count()
    form = setup_form(admin_client)
    form[field] = value
    response = form.post(admin_client, reverse(SETUP_URL))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Force.objects.filter(name="North Yorkshire Police").exists()
    assert get_user_model().objects.count() == users


def test_only_administrators_reach_the_set_up_page(client, hr_user):
    client.force_login(hr_user)
    response = client.get(reverse(SETUP_URL))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_user_page_shows_and_saves_the_membership(admin_client, hr_user, other_force):
    url = reverse("admin:auth_user_change", args=[hr_user.pk])
    response = admin_client.get(url)
    form = parse_form(response.content.decode(), "user_form")
    assert form["membership-0-role"] == Role.HR_EDITOR
    form["membership-0-force"] = str(other_force.pk)
    form["membership-0-role"] = Role.HIRING_MANAGER
    response = form.post(admin_client, url, submit="_save")
    assert response.status_code == 302
    membership = Membership.objects.get(user=hr_user)
    assert (membership.force, membership.role) == (other_force, Role.HIRING_MANAGER)
    page = admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Hiring manager, Lancashire Constabulary" in page


def test_a_force_set_up_on_the_page_prints_its_first_profile_in_the_style_chosen_there(
    admin_client, client
):
    form = setup_form(admin_client)
    form["layout"] = Layout.WEIGHTED_TABLE
    form.post(admin_client, reverse(SETUP_URL))
    force = Force.objects.get(slug="north-yorkshire")
    profile = RoleProfile.objects.create(
        force=force, slug="custody-officer", title="Custody Officer", purpose="Keeps custody."
    )
    section = Section.objects.create(
        profile=profile, order=1, kind=SectionKind.RESPONSIBILITIES, heading="Main duties"
    )
    Item.objects.create(section=section, order=1, text="Books detainees in.", weighting=60)
    Item.objects.create(section=section, order=2, text="Keeps the custody record.", weighting=40)
    client.force_login(get_user_model().objects.get(username="hr-north-yorkshire"))

    response = client.get(reverse("profiles:pdf", args=[force.slug, profile.slug]))

    assert response.status_code == 200
    assert '<table class="weighted">' in pdf.render_html(profile)
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(b"".join(response))).pages
    )
    assert "Custody Officer" in text
    assert "Books detainees in. 60%" in text
