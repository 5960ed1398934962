"""Minimum criteria (Disability Confident) in the editor: a checkbox on each criterion row."""

import pytest
from django.urls import reverse

from profiles.models import AssessmentMethod, Criterion
from profiles.printing import shortlisting
from tests.html_forms import parse_form

MINIMUM = "criteria-{}-minimum"


@pytest.fixture
def criteria(weighted_profile, national_data):
    """Essential at application (a minimum by the rule), essential at interview (not),
    desirable at application (never)."""
    application = AssessmentMethod.objects.get(name="Application Form")
    interview = AssessmentMethod.objects.get(name="Interview")
    made = []
    for order, (requirement, text, method) in enumerate(
        [
            ("essential", "Experience of working with the public.", application),
            ("essential", "Calm under pressure.", interview),
            ("desirable", "Welsh at level 2.", application),
        ],
        start=1,
    ):
        criterion = Criterion.objects.create(
            profile=weighted_profile, order=order, requirement=requirement, text=text
        )
        criterion.methods.set([method])
        made.append(criterion)
    return made


def editor_form(client, profile):
    url = reverse("profiles:edit", args=[profile.force.slug, profile.slug])
    response = client.get(url)
    assert response.status_code == 200
    return url, parse_form(response.content.decode(), "editor")


def stored(criteria):
    return [Criterion.objects.get(pk=c.pk).minimum for c in criteria]


def test_each_criterion_row_has_a_minimum_checkbox_ticked_as_the_rule_has_it(
    client, hr_user, weighted_profile, criteria
):
    client.force_login(hr_user)
    _, form = editor_form(client, weighted_profile)

    assert form.getlist(MINIMUM.format(0)) == ["on"]
    # Rendered, unticked: the interview-only and the desirable criterion, and the spare row.
    for index in (1, 2, 3):
        assert MINIMUM.format(index) not in form
        assert form.options[MINIMUM.format(index)] == ["on"]


def test_a_save_that_leaves_the_boxes_alone_keeps_the_rule_and_the_forces_marks(
    client, hr_user, weighted_profile, criteria
):
    Criterion.objects.filter(pk=criteria[1].pk).update(minimum=True)
    client.force_login(hr_user)
    url, form = editor_form(client, weighted_profile)

    assert form.post(client, url).status_code == 302

    # Unset stays unset (the rule decides); the force's own mark survives the save.
    assert stored(criteria) == [None, True, None]


def test_the_force_marks_and_unmarks_minimum_criteria_in_the_editor(
    client, hr_user, weighted_profile, criteria
):
    client.force_login(hr_user)
    url, form = editor_form(client, weighted_profile)
    form.uncheck(MINIMUM.format(0))
    form[MINIMUM.format(1)] = "on"

    assert form.post(client, url).status_code == 302

    assert stored(criteria) == [False, True, None]
    rows = Criterion.objects.filter(profile=weighted_profile).prefetch_related("methods")
    assert [shortlisting.is_minimum(c) for c in rows] == [False, True, False]
    # The advert marks the force's choice.
    advert = client.get(
        reverse("profiles:advert", args=["gwent", weighted_profile.slug]), {"format": "text"}
    ).content.decode()
    assert "Calm under pressure. *" in advert
    assert "Experience of working with the public. *" not in advert


def test_a_desirable_criterion_cannot_be_a_minimum_one_and_nothing_is_saved(
    client, hr_user, weighted_profile, criteria
):
    client.force_login(hr_user)
    url, form = editor_form(client, weighted_profile)
    form.uncheck(MINIMUM.format(0))
    form[MINIMUM.format(2)] = "on"

    response = form.post(client, url)

    assert response.status_code == 200
    assert "Only an essential criterion can be a minimum criterion." in response.content.decode()
    assert stored(criteria) == [None, None, None]
