"""The editor's libraries: what an HR editor picks from, and who may see them."""

import pytest
from django.urls import reverse
from model_bakery import baker

pytestmark = pytest.mark.django_db

URL = reverse("profiles:library")


def test_the_text_library_offers_the_forces_statements_and_its_other_profiles_text(
    client, hr_user, full_profile, other_force
):
    baker.make(
        "profiles.StandardSection",
        force=full_profile.force,
        key="eo",
        heading="Equal opportunities",
        body="We welcome applications from everyone.",
    )
    baker.make(
        "profiles.StandardSection", force=other_force, key="eo", body="Another force's statement."
    )
    client.force_login(hr_user)
    html = client.get(URL, {"kind": "text"}).content.decode()
    assert "We welcome applications from everyone." in html
    assert "Responsibility 1" in html
    assert "Good written communication." in html
    assert "Another force's statement." not in html
    html = client.get(URL, {"kind": "text", "q": "written"}).content.decode()
    assert "Good written communication." in html
    assert "Responsibility 1" not in html


def test_the_behaviour_library_shows_a_level_with_its_indicators(
    client, hr_user, full_profile, competency_level
):
    client.force_login(hr_user)
    params = {
        "kind": "behaviours",
        "framework": competency_level.competency.framework_id,
        "level": competency_level.number,
    }
    html = client.get(URL, params).content.decode()
    assert "I take ownership." in html
    assert f'data-level="{competency_level.pk}"' in html


def test_hiring_managers_and_visitors_get_no_library(client, manager_user):
    assert client.get(URL, {"kind": "text"}).status_code == 302
    client.force_login(manager_user)
    assert client.get(URL, {"kind": "text"}).status_code == 403


def test_an_unknown_library_is_not_found(client, hr_user):
    client.force_login(hr_user)
    assert client.get(URL, {"kind": "nothing"}).status_code == 404


def test_the_method_library_lists_the_assessment_methods(client, hr_user, full_profile):
    client.force_login(hr_user)
    html = client.get(URL, {"kind": "methods"}).content.decode()
    method = full_profile.criteria.get().methods.get()
    assert f'data-method="{method.pk}"' in html
    assert "Tick on every criterion" in html
