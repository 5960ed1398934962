"""Generated bad editor posts: never a server error, never a change by a refused post,
never a row of another profile or force touched.

Each example starts from what the editor page posts for the profile as it is now and
bends one to four things a hostile or clumsy client could: form counts, row ids (of this
profile, another profile of the force, another force, none), positions, texts, choices
and the revision.
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model_bakery import baker

from profiles.models import (
    Behaviour,
    Criterion,
    Item,
    PostDetail,
    RoleProfile,
    Section,
    SectionKind,
    SkillRequirement,
)
from tests.conftest import editor_data

pytestmark = pytest.mark.django_db

PREFIXES = ["details", "sections", "criteria", "behaviours", "skills", "sections-0-items"]
PREFIXES += ["sections-1-items"]
FIELDS = ["text", "heading", "label", "value", "kind", "requirement", "category", "level"]
FIELDS += ["weighting", "ORDER", "DELETE", "subheading", "shortlisting_code", "row", "methods"]
TABLES = [RoleProfile, PostDetail, Section, Item, Criterion, Behaviour, SkillRequirement]
PARTS = {
    "details": PostDetail,
    "sections": Section,
    "criteria": Criterion,
    "behaviours": Behaviour,
    "skills": SkillRequirement,
}
THROUGH = [Criterion.methods.through, Behaviour.methods.through]


def snapshot():
    """Every row of every profile and of their children, as stored."""
    return {
        model._meta.label: sorted(model.objects.values_list(), key=repr)
        for model in [*TABLES, *THROUGH]
    }


def owned_by_others(rows, profile_ids):
    """The rows of a snapshot that belong to profiles other than `profile_ids`."""
    return {
        "profiles": [row for row in rows["profiles.RoleProfile"] if row[0] not in profile_ids],
        "sections": [row for row in rows["profiles.Section"] if row[1] not in profile_ids],
    }


numbers = st.one_of(
    st.integers(-3, 130).map(str),
    st.sampled_from(["", "-1", "1e3", " 2", "٣", "100000", "2147483648", "0x10", "1.0"]),
)
texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["x" * 5001, "nul\x00byte", "<script>alert(1)</script>", "   "]),
)


@st.composite
def mutations(draw, foreign_ids):
    """One change to the posted data: (key, value), value None for a removed key."""
    prefix = draw(st.sampled_from(PREFIXES))
    index = draw(st.integers(-1, 20))
    kind = draw(st.sampled_from(["count", "id", "field", "revision", "remove"]))
    if kind == "count":
        name = draw(st.sampled_from(["TOTAL_FORMS", "INITIAL_FORMS"]))
        return f"{prefix}-{name}", draw(numbers)
    if kind == "id":
        value = draw(st.one_of(st.sampled_from(foreign_ids), numbers))
        return f"{prefix}-{index}-id", str(value)
    if kind == "field":
        value = draw(st.one_of(texts, numbers))
        return f"{prefix}-{index}-{draw(st.sampled_from(FIELDS))}", value
    if kind == "revision":
        return "seen_revision", draw(numbers)
    return f"{prefix}-{index}-{draw(st.sampled_from(['id', 'ORDER', 'text']))}", None


@pytest.fixture
def neighbours(full_profile, force, other_force):
    """A second profile of the force and one of another force, each with a section and item."""
    ids = []
    for owner_force, slug in ((force, "neighbour"), (other_force, "far-away")):
        other = baker.make(RoleProfile, force=owner_force, slug=slug, title=slug)
        section = baker.make(Section, profile=other, order=1, kind=SectionKind.CONTACTS)
        item = baker.make(Item, section=section, order=1, text="Not theirs to change.")
        ids += [other.pk, section.pk, item.pk]
    return ids


def test_generated_bad_posts_cause_no_error_and_change_nothing_they_should_not(
    client, hr_user, full_profile, neighbours
):
    client.force_login(hr_user)
    url = reverse("profiles:edit", args=["gwent", full_profile.slug])
    own = {full_profile.pk}
    outcomes = []

    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(mutations(neighbours), min_size=1, max_size=4))
    def post_a_bent_form(changes):
        data = editor_data(full_profile)
        for key, value in changes:
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        before = snapshot()

        response = client.post(url, data)

        after = snapshot()
        outcomes.append(response.status_code)
        assert response.status_code in (200, 302, 400), changes
        if response.status_code != 302:
            assert after == before, changes
        assert owned_by_others(after, own) == owned_by_others(before, own), changes
        if response.status_code == 302:
            # An accepted post keeps at most the rows it declared, numbered 1 … n.
            for prefix, model in PARTS.items():
                orders = sorted(
                    model.objects.filter(profile=full_profile).values_list("order", flat=True)
                )
                assert orders == list(range(1, len(orders) + 1)), changes
                assert len(orders) <= int(data[f"{prefix}-TOTAL_FORMS"]), changes

    post_a_bent_form()
    # The generated posts reached the refusals they are about.
    assert 400 in outcomes
