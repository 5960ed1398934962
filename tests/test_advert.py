"""Advert text: the parts an advert carries, as clean HTML and plain text, with Copy buttons."""

import re

import pytest
from django.urls import reverse

from profiles.models import Criterion, RoleProfile, Status
from profiles.printing import advert


@pytest.fixture
def published(weighted_profile):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    return weighted_profile


def url(profile):
    return reverse("profiles:advert", args=[profile.force.slug, profile.slug])


def test_the_avon_advert_carries_title_grade_criteria_vetting_and_equal_opportunities(
    seed_forces,
):
    avon = RoleProfile.objects.get(force__slug="avon-and-somerset")
    parts = advert.advert(avon)

    html, text = advert.render_html(parts), advert.render_text(parts)

    assert text.startswith("Citizens in Policing Administrator\n")
    assert "<h3>Main responsibilities</h3>" in html
    assert "<li>To maintain, create and update records on a variety of systems" in html
    # every essential criterion is assessed at application, so each is a minimum criterion
    assert "- Be computer literate and have an understanding of Microsoft packages. *" in text
    assert "<li>Experience of taking minutes at meetings.</li>" in html
    assert "Disability Confident employer" in text
    assert "Recruitment Vetting (RV)" in text
    assert "committed to the principles of Equal Opportunities" in html
    assert set(re.findall(r"<(\w+)", html)) <= {"h2", "h3", "p", "ul", "li"}


def test_the_gwent_advert_states_its_welsh_requirement(seed_forces):
    gwent = RoleProfile.objects.get(force__slug="gwent")

    text = advert.render_text(advert.advert(gwent))

    assert "Welsh language\n- Level 1 welsh (training will be given)." in text
    assert "- To conduct high visibility uniformed foot patrol" in text


def test_what_users_typed_is_escaped_and_the_page_has_no_inline_script(
    client, hr_user, weighted_profile
):
    Criterion.objects.create(
        profile=weighted_profile, order=1, requirement="essential", text="<script>x()</script>"
    )
    client.force_login(hr_user)

    page = client.get(url(weighted_profile)).content.decode()

    assert "<script>x()" not in page
    assert "&lt;script&gt;x()&lt;/script&gt; *" in page
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    assert 'src="/static/js/advert.js"' in page
    assert 'data-copy="advert-text"' in page


def test_the_text_alone_and_a_bad_format(client, hr_user, weighted_profile):
    client.force_login(hr_user)

    text = client.get(url(weighted_profile), {"format": "text"})
    bad = client.get(url(weighted_profile), {"format": "pdf"})

    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert "- Responsibility 13" in text.content.decode()
    assert bad.status_code == 400


def test_a_manager_reads_published_adverts_only_and_other_forces_get_404(
    client, manager_user, other_hr_user, weighted_profile
):
    assert client.get(url(weighted_profile))["Location"].startswith("/accounts/login/")
    client.force_login(manager_user)
    assert client.get(url(weighted_profile)).status_code == 404
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    assert client.get(url(weighted_profile)).status_code == 200
    client.force_login(other_hr_user)
    assert client.get(url(weighted_profile)).status_code == 404


def test_the_advert_page_costs_a_fixed_number_of_queries(
    client, manager_user, published, django_assert_num_queries
):
    client.force_login(manager_user)

    # session, user with membership; the profile; then document_context's fetch: the
    # profile with force, house style, grades, vetting, framework; post details, sections,
    # items, criteria, behaviours, skills, NOS units; the force's standard sections; the
    # framework's values.
    with django_assert_num_queries(13):
        response = client.get(url(published))

    assert response.status_code == 200
