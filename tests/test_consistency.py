"""A force's profiles seen together: wording advice, similar profiles, the vetting register."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from model_bakery import baker

from profiles import similarity, wording
from profiles.draft import ProfileDraft, fetch_for_draft
from profiles.models import Force, Requirement, Role, RoleProfile, Status
from profiles.services import copying
from tests.conftest import make_member

pytestmark = pytest.mark.django_db

DOMINANT = "Ideally you will be a strong, dominant team player."


@pytest.fixture
def coded_profile(profile):
    baker.make(
        "profiles.Criterion",
        profile=profile,
        order=1,
        category="skills",
        requirement=Requirement.ESSENTIAL,
        text=DOMINANT,
    )
    return profile


def checklist_of(client, profile):
    html = client.get(profile.get_absolute_url()).content.decode()
    return html[html.index('id="publication-checklist"') :]


# Wording -------------------------------------------------------------------------------------


def test_a_coded_essential_criterion_gets_findings_on_its_words_and_its_ideally(
    client, hr_user, coded_profile
):
    client.force_login(hr_user)
    checklist = checklist_of(client, coded_profile)
    assert "Wording (advice: it does not stop publication)" in checklist
    assert "Essential criterion 1: “strong”, masculine-coded word" in checklist
    assert "Essential criterion 1: “dominant”, masculine-coded word" in checklist
    assert "Essential criterion 1: “ideally”, &#x27;ideally&#x27; says this is desirable" in (
        checklist
    )
    # Advice never blocks: it is no row of what publication needs.
    assert "Wording: missing" not in checklist and "Wording: done" not in checklist


def test_the_force_report_and_the_command_list_the_same_findings(
    client, hr_user, coded_profile, capsys
):
    client.force_login(hr_user)
    page = client.get(reverse("profiles:wording_report", args=["gwent"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert coded_profile.title in text
    assert "dominant" in text and "ideally" in text

    call_command("check_language", "--force", "gwent")
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split("\t") for line in lines]
    assert [coded_profile.slug, "criteria[0]", "dominant"] in [row[:3] for row in rows]
    assert [coded_profile.slug, "criteria[0]", "ideally"] in [row[:3] for row in rows]
    assert all(len(row) == 4 and row[3] for row in rows)


def test_a_force_adds_words_of_its_own(coded_profile):
    coded_profile.force.flagged_words = "team player: a cliché, say what the team needs\nrota"
    draft = ProfileDraft.from_profile(fetch_for_draft(coded_profile.pk))
    extra = wording.parse_extra_words(coded_profile.force.flagged_words)
    found = {(f.word, f.why) for f in wording.findings(draft, extra)}
    assert ("team player", "a cliché, say what the team needs") in found
    assert extra["rota"] == "on the force's own list"


def test_an_acronym_is_explained_once_and_words_are_matched_whole(profile):
    draft = ProfileDraft.from_profile(fetch_for_draft(profile.pk))
    explained = draft.__class__(
        fields={**draft.fields, "purpose": "Check the Police National Computer (PNC). Use PNC."},
    )
    unexplained = draft.__class__(fields={**draft.fields, "purpose": "Use the PNC daily."})
    confidential = draft.__class__(fields={**draft.fields, "purpose": "Keep records confidential."})
    assert [f.word for f in wording.findings(explained) if f.word == "PNC"] == []
    assert [(f.field, f.word) for f in wording.findings(unexplained) if f.word == "PNC"] == [
        ("purpose", "PNC")
    ]
    # "confident" is coded; "confidential" is not.
    assert wording.findings(confidential) == []


def test_hard_reading_and_long_sentences_are_measured_per_part(profile):
    long = " ".join(
        ["The postholder will undertake comprehensive administrative responsibilities"] * 8
    )
    draft = ProfileDraft.from_profile(fetch_for_draft(profile.pk))
    draft = draft.__class__(fields={**draft.fields, "purpose": long + "."})
    found = [f for f in wording.findings(draft) if f.field == "purpose"]
    assert any(f.word.startswith("reading ease") for f in found)
    assert any(f.word == "56-word sentence" for f in found)


def test_the_wording_report_is_for_the_force_s_hr_editors(
    client, force, manager_user, other_hr_user, hr_user
):
    url = reverse("profiles:wording_report", args=[force.slug])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(manager_user)
    assert client.get(url).status_code == 403
    client.force_login(other_hr_user)
    assert client.get(url).status_code == 404
    client.force_login(hr_user)
    assert client.get(url).status_code == 200


# Similar profiles ----------------------------------------------------------------------------


@pytest.fixture
def gwent_copy(seed_forces, django_capture_on_commit_callbacks):
    gwent = Force.objects.get(slug="gwent")
    original = gwent.profiles.get(slug="community-support-officer")
    user = make_member(gwent, Role.HR_EDITOR, "hr-gwent")
    # Another profile of the force, unlike it, so the copy has more than one to choose from.
    baker.make("profiles.RoleProfile", force=gwent, slug="finance-officer", title="Finance Officer")
    with django_capture_on_commit_callbacks(execute=True):
        draft = ProfileDraft.from_profile(fetch_for_draft(original.pk))
        draft = draft.__class__(
            fields={**draft.fields, "title": "Community Support Officer (Newport)"},
            post_details=draft.post_details,
            sections=draft.sections,
            criteria=draft.criteria,
            behaviours=draft.behaviours,
            skills=draft.skills,
            nos_units=draft.nos_units,
        )
        copy = copying.create_from_draft(gwent, draft, user=user)
    return original, copy, user


def test_a_copy_of_the_gwent_cso_shows_the_original_as_most_similar(client, gwent_copy):
    original, copy, user = gwent_copy
    client.force_login(user)
    page = client.get(reverse("profiles:similar_panel", args=["gwent", copy.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    first = html.index("<li>")
    assert html.index(original.title, first) < html.index("Finance Officer", first)
    assert reverse("profiles:compare_profiles", args=["gwent", copy.slug, original.slug]) in html
    scores = similarity.most_similar(copy)
    assert scores[0][0]["slug"] == original.slug and scores[0][1] > 0.9


def test_the_pairs_report_and_command_list_the_copy_and_its_original(client, gwent_copy, capsys):
    original, copy, user = gwent_copy
    call_command("similar_profiles", "--force", "gwent")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    slugs = lines[0].split("\t")[:2]
    assert sorted(slugs) == sorted([original.slug, copy.slug])
    assert float(lines[0].split("\t")[2]) >= similarity.REPORT_THRESHOLD
    client.force_login(user)
    page = client.get(reverse("profiles:similar_report", args=["gwent"]))
    assert page.status_code == 200 and copy.title in page.content.decode()


def test_the_compare_page_shows_what_differs_between_two_profiles(client, gwent_copy):
    original, copy, user = gwent_copy
    client.force_login(user)
    page = client.get(
        reverse("profiles:compare_profiles", args=["gwent", copy.slug, original.slug])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 difference" in html  # the title alone
    assert "<td>Community Support Officer<ins> (Newport)</ins></td>" in html


def test_the_similar_profiles_command_refuses_an_unknown_force():
    with pytest.raises(Exception, match="No force with the slug 'nowhere'"):
        call_command("similar_profiles", "--force", "nowhere")


# The vetting register ------------------------------------------------------------------------


def test_the_register_lists_every_seed_force_post_with_its_vetting_level(client, seed_forces):
    for force in Force.objects.filter(national=False):
        published = list(force.profiles.all())
        assert published
        unit = make_member(force, Role.VETTING_UNIT, f"vetting-{force.slug}")
        client.force_login(unit)
        url = reverse("profiles:vetting_register", args=[force.slug])
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        for profile in published:
            assert profile.title in html
            assert str(profile.vetting_level or "No vetting level") in html
        response = client.get(url, {"format": "csv"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:4] == ["Vetting level", "Status", "Designated for", "Profile"]
        assert sorted(row[3] for row in rows[1:]) == sorted(p.title for p in published)
        for row in rows[1:]:
            profile = next(p for p in published if p.title == row[3])
            level = profile.vetting_level
            assert row[:3] == [
                str(level or "No vetting level"),
                profile.get_status_display(),
                level.designation if level else "",
            ]


def test_posts_needing_management_vetting_are_designated(client, seed_forces):
    btp = Force.objects.get(slug="british-transport-police")
    client.force_login(make_member(btp, Role.HR_EDITOR, "hr-btp"))
    response = client.get(reverse("profiles:vetting_register", args=[btp.slug]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    governance = next(row for row in rows if row[3] == "Governance Process Assistant")
    assert governance[:3] == ["Management Vetting (MV)", "Published", "Management vetting"]


def test_the_register_is_for_the_force_s_hr_editors_and_vetting_unit(
    client, force, manager_user, other_hr_user, hr_user, django_assert_num_queries
):
    url = reverse("profiles:vetting_register", args=[force.slug])
    assert client.get(url).status_code == 302
    client.force_login(manager_user)
    assert client.get(url).status_code == 403
    client.force_login(other_hr_user)
    assert client.get(url).status_code == 404
    client.force_login(hr_user)
    baker.make(RoleProfile, force=force, status=Status.PUBLISHED, title="Detention Officer")
    # session, user (+ membership), force, its profiles with force, level and grade
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
