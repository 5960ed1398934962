"""profiles.services: a profile made from a ProfileDraft of plain values (as the importer
makes one), and the copy paths that share one snapshot -> apply step."""

from dataclasses import replace
from decimal import Decimal

import pytest
from model_bakery import baker
from reversion.models import Version

from profiles.draft import (
    BehaviourDraft,
    CriterionDraft,
    ItemDraft,
    NosUnitDraft,
    PostDetailDraft,
    ProfileDraft,
    SectionDraft,
    SkillDraft,
    fetch_for_draft,
)
from profiles.models import AuditAction, AuditEntry, RoleProfile, SectionKind, Status
from profiles.services import copying

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(grade, vetting_level, framework, competency_level):
    interview = baker.make("profiles.AssessmentMethod", name="Interview")
    skill_level = baker.make("competencies.SkillLevel", name="Practitioner")
    return ProfileDraft(
        fields={
            "title": "Community Support Officer",
            "reference_code": "C3932",
            "purpose": "To provide a visible presence.",
            "grade": grade,
            "vetting_level": vetting_level,
            "framework": framework,
        },
        post_details=[PostDetailDraft(label="Agile working", value="To be confirmed")],
        sections=[
            SectionDraft(
                kind=SectionKind.RESPONSIBILITIES,
                heading="Principal responsibilities",
                weighting=Decimal(80),
                items=[
                    ItemDraft(text="Patrol the neighbourhood.", weighting=Decimal(50)),
                    ItemDraft(text="Attend meetings.", weighting=Decimal(30)),
                ],
            ),
            SectionDraft(
                kind=SectionKind.GENERAL_TASKS,
                weighting=Decimal(20),
                items=[ItemDraft(subheading="Finance", text="Be cost effective.")],
            ),
        ],
        criteria=[
            CriterionDraft(
                requirement="essential",
                category="experience",
                text="Working with the public.",
                methods=[interview],
                shortlisting_code="EE2",
            )
        ],
        behaviours=[BehaviourDraft(level=competency_level, methods=[interview], for_pdr=True)],
        skills=[SkillDraft(level=skill_level)],
        nos_units=[NosUnitDraft(code="AA1", name="Promote equality")],
    )


def test_a_profile_made_from_a_draft_reads_back_as_the_same_draft(force, hr_user, draft):
    profile = copying.create_from_draft(force, draft, user=hr_user, comment="Imported.")

    assert (profile.force, profile.slug, profile.status) == (
        force,
        "community-support-officer",
        Status.DRAFT,
    )
    read_back = ProfileDraft.from_profile(fetch_for_draft(profile.pk))
    assert {name: read_back.fields[name] for name in draft.fields} == draft.fields
    assert replace(read_back, fields={}) == replace(draft, fields={}, force_id=force.pk)
    assert [s.order for s in profile.sections.order_by("order")] == [1, 2]
    entry = AuditEntry.objects.get(subject_id=profile.pk)
    assert (entry.action, entry.user, entry.comment) == (AuditAction.CREATE, hr_user, "Imported.")
    assert Version.objects.get_for_object(profile).count() == 1


def test_a_draft_that_breaks_a_rule_is_refused_with_every_error_and_nothing_written(
    force, other_force, hr_user, draft
):
    draft.sections[0].items[0].weighting = Decimal(51)
    draft.fields["grade_to"] = baker.make("profiles.Grade", force=other_force, code="LC4")

    with pytest.raises(copying.DraftRefused) as caught:
        copying.create_from_draft(force, draft, user=hr_user)

    assert {error.location for error in caught.value.errors} == {
        ("grade_to",),
        ("sections", 0, "weighting"),
    }
    assert any("81 %" in message for message in caught.value.messages)
    assert not RoleProfile.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_second_profile_of_the_same_title_gets_its_own_slug(force, hr_user, draft):
    copying.create_from_draft(force, draft, user=hr_user)
    second = copying.create_from_draft(force, draft, user=hr_user)
    assert second.slug == "community-support-officer-2"


def test_a_copy_holds_the_same_snapshot_under_its_own_title(full_profile, force, hr_user):
    copy = copying.create_profile(force, "Copy of CSO", user=hr_user, source=full_profile)
    original = copying.snapshot_of(full_profile)
    copied = copying.snapshot_of(copy)
    assert copied["fields"].pop("title") == "Copy of CSO"
    assert original["fields"].pop("title") == "Community Support Officer"
    assert copied == original
