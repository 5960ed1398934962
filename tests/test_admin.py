"""The admin: every add and change page posted back as rendered, and the domain rules on it."""

import threading
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from model_bakery import baker

from profiles.admin import section_deletion_breaches
from profiles.models import Criterion, Item, RoleProfile, SectionKind, Status
from profiles.services import editing
from tests.html_forms import form_data, parse_form
from tests.test_stale_save import _in_thread


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def admin_url(obj_or_label, action):
    if isinstance(obj_or_label, str):
        app_label, model_name = obj_or_label.split(".")
        return reverse(f"admin:{app_label}_{model_name}_{action}")
    meta = obj_or_label._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=[obj_or_label.pk])


def get_form(client, url, model):
    response = client.get(url)
    assert response.status_code == 200
    return parse_form(response.content, f"{model._meta.model_name}_form")


def errors_of(response):
    """The form's errors as the admin re-renders the page (200, not a redirect)."""
    assert response.status_code == 200, response.get("Location")
    return response.context["adminform"].form.errors


def inline_formset(response, prefix):
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    ]
    return formset


@pytest.fixture
def everything(weighted_profile, competency_level):
    """A profile with a row in every inline, and reference data with rows in theirs."""
    profile = weighted_profile
    framework = competency_level.competency.framework
    baker.make("competencies.Cluster", framework=framework, name="Resolute", order=1)
    baker.make("competencies.Value", framework=framework, name="Integrity", order=1)
    baker.make("competencies.Indicator", level=competency_level, order=1, text="I own it.")
    skill = baker.make("competencies.Skill", framework=framework, name="Decision Making")
    skill_level = baker.make("competencies.SkillLevel", skill=skill, name="Practitioner")
    baker.make("profiles.StandardSection", force=profile.force, key="equal-opportunities")
    method = baker.make("profiles.AssessmentMethod", name="Interview")
    baker.make("profiles.PostDetail", profile=profile, order=1, label="Agile working")
    criterion = baker.make(
        Criterion,
        profile=profile,
        order=1,
        category="skills",
        requirement="essential",
        text="Good written English.\nAccurate typing.",
        shortlisting_code="EE2",
    )
    criterion.methods.set([method])
    behaviour = baker.make("profiles.Behaviour", profile=profile, order=1, level=competency_level)
    behaviour.methods.set([method])
    baker.make("profiles.SkillRequirement", profile=profile, order=1, level=skill_level)
    baker.make("profiles.NosUnit", profile=profile, order=1, code="AA1")
    return {
        "profile": profile,
        "section": profile.sections.get(kind=SectionKind.RESPONSIBILITIES),
        "force": profile.force,
        "grade": profile.grade,
        "vetting_level": profile.vetting_level,
        "framework": framework,
        "competency": competency_level.competency,
        "competency_level": competency_level,
        "skill": skill,
    }


# (object in `everything`, a field to change on its change page, the new value)
CHANGES = [
    ("profile", "title", "Police Community Support Officer"),
    ("section", "heading", "Key responsibilities"),
    ("force", "name", "Heddlu Gwent Police"),
    ("grade", "code", "Scale 5"),
    ("vetting_level", "name", "Recruitment vetting (renewed)"),
    ("framework", "name", "Competency and Values Framework"),
    ("competency", "name", "We take ownership of our work"),
    ("competency_level", "name", "Practitioner"),
    ("skill", "name", "Decision making and judgement"),
]


def snapshot(obj):
    """An object's own fields, and every field of every row that hangs off it."""
    obj.refresh_from_db()
    related = {
        relation.get_accessor_name(): [
            model_to_dict(child)
            for child in getattr(obj, relation.get_accessor_name()).order_by("pk")
        ]
        for relation in obj._meta.related_objects
        # Every save is audited: the trail records that a save happened, not content.
        if relation.one_to_many and relation.get_accessor_name() != "audit"
    }
    return model_to_dict(obj), related


@pytest.mark.django_db
@pytest.mark.parametrize("key", [key for key, _, _ in CHANGES])
def test_a_change_page_posted_back_unchanged_saves_and_changes_nothing(
    admin_client, everything, key
):
    obj = everything[key]
    before = snapshot(obj)
    form = get_form(admin_client, admin_url(obj, "change"), type(obj))
    response = form.post(admin_client, admin_url(obj, "change"), submit="_save")
    assert response.status_code == 302, errors_of(response)
    assert snapshot(obj) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "field", "value"), CHANGES, ids=[key for key, _, _ in CHANGES])
def test_a_change_page_saves_a_change(admin_client, everything, key, field, value):
    obj = everything[key]
    _, related_before = snapshot(obj)
    form = get_form(admin_client, admin_url(obj, "change"), type(obj))
    form[field] = value
    response = form.post(admin_client, admin_url(obj, "change"), submit="_save")
    assert response.status_code == 302, errors_of(response)
    own, related = snapshot(obj)
    assert own[field] == value
    assert related == related_before


def add_values(everything):
    """What a person types into each add page: only the fields it requires."""
    force, framework = everything["force"], everything["framework"]
    return {
        "profiles.roleprofile": {
            "force": force.pk,
            "title": "Citizens in Policing Administrator",
            "slug": "citizens-in-policing-administrator",
        },
        "profiles.section": {
            "profile": everything["profile"].pk,
            "order": "3",
            "kind": SectionKind.NOTES,
            "heading": "Notes",
        },
        "profiles.force": {"name": "Avon and Somerset Constabulary", "slug": "avon-and-somerset"},
        "profiles.grade": {"force": force.pk, "code": "Scale 3"},
        "vetting.vettinglevel": {"code": "MV", "name": "Management Vetting"},
        "competencies.framework": {"code": "cvf-2024", "name": "CVF 2024"},
        "competencies.competency": {"framework": framework.pk, "name": "We are innovative"},
        "competencies.competencylevel": {
            "competency": everything["competency"].pk,
            "number": "2",
        },
        "competencies.skill": {"framework": framework.pk, "name": "Communication"},
    }


ADD_PAGES = [
    "profiles.roleprofile",
    "profiles.section",
    "profiles.force",
    "profiles.grade",
    "vetting.vettinglevel",
    "competencies.framework",
    "competencies.competency",
    "competencies.competencylevel",
    "competencies.skill",
]


@pytest.mark.django_db
@pytest.mark.parametrize("label", ADD_PAGES)
def test_an_add_page_saves_a_new_object(admin_client, everything, label):
    model = apps.get_model(label)
    count = model.objects.count()
    form = get_form(admin_client, admin_url(label, "add"), model)
    values = add_values(everything)[label]
    for name, value in values.items():
        form[name] = value
    response = form.post(admin_client, admin_url(label, "add"), submit="_save")
    assert response.status_code == 302, errors_of(response)
    assert model.objects.count() == count + 1
    created = model.objects.latest("pk")
    for name, value in values.items():
        saved = getattr(created, f"{name}_id", None) or getattr(created, name)
        assert str(saved) == str(value)


@pytest.mark.django_db
@pytest.mark.parametrize("label", ADD_PAGES)
def test_an_add_page_posted_empty_saves_nothing(admin_client, label):
    model = apps.get_model(label)
    form = get_form(admin_client, admin_url(label, "add"), model)
    response = form.post(admin_client, admin_url(label, "add"), submit="_save")
    assert errors_of(response)
    assert not model.objects.exists()


# The issue's acceptance scenario: Gwent's Community Support Officer.


def item_weightings(section):
    return list(section.items.order_by("order").values_list("weighting", flat=True))


@pytest.mark.django_db
def test_the_gwent_profile_weighted_80_and_20_percent_saves_in_the_admin(
    admin_client, weighted_profile
):
    url = admin_url(weighted_profile, "change")
    form = get_form(admin_client, url, RoleProfile)
    assert form.getlist("sections-0-weighting") == ["80.00"]
    assert form.getlist("sections-1-weighting") == ["20.00"]
    assert form.post(admin_client, url, submit="_save").status_code == 302

    section = weighted_profile.sections.get(order=1)
    url = admin_url(section, "change")
    form = get_form(admin_client, url, type(section))
    assert [form[f"items-{i}-weighting"] for i in range(13)] == [
        f"{w}.00" for w in (30, 15, 10, 2, 5, 5, 3, 2, 1, 3, 2, 1, 1)
    ]
    form["items-0-weighting"] = "29"
    form["items-1-weighting"] = "16"
    response = form.post(admin_client, url, submit="_save")
    assert response.status_code == 302, errors_of(response)
    assert item_weightings(section)[:2] == [Decimal(29), Decimal(16)]


@pytest.mark.django_db
def test_responsibilities_adding_up_to_81_percent_are_refused_on_the_section(
    admin_client, weighted_profile
):
    section = weighted_profile.sections.get(order=1)
    before = item_weightings(section)
    url = admin_url(section, "change")
    form = get_form(admin_client, url, type(section))
    form["items-12-weighting"] = "2"

    response = form.post(admin_client, url, submit="_save")

    [message] = errors_of(response)["weighting"]
    assert "Principal responsibilities" in message
    assert "81 %" in message and "80 %" in message
    assert not inline_formset(response, "items").non_form_errors()
    html = response.content.decode()
    assert html.count("add up to 81 %") == 1
    weighting_row = html[html.index('class="form-row errors field-weighting"') :]
    assert weighting_row.index("add up to 81 %") < weighting_row.index('name="weighting"')
    assert item_weightings(section) == before


@pytest.mark.django_db
def test_a_section_and_its_items_may_change_together(admin_client, weighted_profile):
    weighted_profile.sections.get(order=2).delete()
    section = weighted_profile.sections.get(order=1)
    url = admin_url(section, "change")
    form = get_form(admin_client, url, type(section))
    form["weighting"] = "81"
    form["items-12-weighting"] = "2"
    response = form.post(admin_client, url, submit="_save")
    assert response.status_code == 302, errors_of(response)
    section.refresh_from_db()
    assert section.weighting == 81
    assert sum(item_weightings(section)) == 81


@pytest.mark.django_db
def test_a_section_total_that_disagrees_with_its_saved_items_is_refused_on_the_profile_page(
    admin_client, weighted_profile
):
    url = admin_url(weighted_profile, "change")
    form = get_form(admin_client, url, RoleProfile)
    form["sections-0-weighting"] = "79"
    response = form.post(admin_client, url, submit="_save")
    assert response.status_code == 200
    sections = inline_formset(response, "sections")
    [message] = sections.forms[0].errors["weighting"]
    assert "80 %" in message and "79 %" in message
    assert weighted_profile.sections.get(order=1).weighting == 80


@pytest.mark.django_db
def test_sections_over_100_percent_are_refused_on_the_profile_page(admin_client, weighted_profile):
    url = admin_url(weighted_profile, "change")
    form = get_form(admin_client, url, RoleProfile)
    form["sections-1-weighting"] = "21"
    general = weighted_profile.sections.get(order=2)
    response = form.post(admin_client, url, submit="_save")
    assert response.status_code == 200
    [message] = inline_formset(response, "sections").non_form_errors()
    assert "101 %" in message
    general.refresh_from_db()
    assert general.weighting == 20


# Behaviours, shortlisting codes and publishing.


@pytest.mark.django_db
def test_a_behaviour_from_another_framework_is_refused_next_to_its_level(
    admin_client, profile, competency_level, foreign_level
):
    url = admin_url(profile, "change")
    form = get_form(admin_client, url, RoleProfile)
    good = form.add_inline_form("behaviours")
    form[f"{good}level"] = competency_level.pk
    form[f"{good}order"] = "1"
    bad = form.add_inline_form("behaviours")
    form[f"{bad}level"] = foreign_level.pk
    form[f"{bad}order"] = "2"

    response = form.post(admin_client, url, submit="_save")

    assert response.status_code == 200
    behaviours = inline_formset(response, "behaviours")
    assert behaviours.forms[0].errors == {}
    assert list(behaviours.forms[1].errors) == ["level"]
    [message] = behaviours.forms[1].errors["level"]
    assert "We are emotionally aware: level 2" in message and "CVF 2016" in message
    assert not profile.behaviours.exists()


@pytest.mark.django_db
def test_a_new_profile_with_a_behaviour_from_another_framework_is_refused_next_to_its_level(
    admin_client, force, framework, foreign_level
):
    url = admin_url("profiles.roleprofile", "add")
    form = get_form(admin_client, url, RoleProfile)
    form["force"] = force.pk
    form["title"] = "Governance Process Assistant"
    form["slug"] = "governance-process-assistant"
    form["framework"] = framework.pk
    added = form.add_inline_form("behaviours")
    form[f"{added}level"] = foreign_level.pk

    response = form.post(admin_client, url, submit="_save")

    assert response.status_code == 200
    [message] = inline_formset(response, "behaviours").forms[0].errors["level"]
    assert "not part of CVF 2016" in message
    assert not RoleProfile.objects.exists()


@pytest.mark.django_db
def test_changing_the_framework_under_saved_behaviours_is_refused_next_to_their_level(
    admin_client, profile, competency_level, foreign_level
):
    baker.make("profiles.Behaviour", profile=profile, order=1, level=competency_level)
    url = admin_url(profile, "change")
    form = get_form(admin_client, url, RoleProfile)
    form["framework"] = foreign_level.competency.framework.pk

    response = form.post(admin_client, url, submit="_save")

    assert response.status_code == 200
    [message] = inline_formset(response, "behaviours").forms[0].errors["level"]
    assert "not part of CVF 2024" in message
    profile.refresh_from_db()
    assert profile.framework.code == "cvf-2016"


@pytest.mark.django_db
def test_a_repeated_shortlisting_code_is_refused_next_to_each_code(admin_client, profile):
    for order, code in enumerate(["EE2", "EE3", "EA1"], start=1):
        baker.make(
            Criterion,
            profile=profile,
            order=order,
            category="skills",
            requirement="essential",
            shortlisting_code=code,
        )
    url = admin_url(profile, "change")
    form = get_form(admin_client, url, RoleProfile)
    form["criteria-2-shortlisting_code"] = "ee2"

    response = form.post(admin_client, url, submit="_save")

    assert response.status_code == 200
    criteria = inline_formset(response, "criteria")
    assert "shortlisting_code" in criteria.forms[0].errors
    assert "shortlisting_code" not in criteria.forms[1].errors
    [message] = criteria.forms[2].errors["shortlisting_code"]
    assert "EE2" in message and "more than once" in message
    assert profile.criteria.get(order=3).shortlisting_code == "EA1"


@pytest.mark.django_db
def test_publishing_an_incomplete_profile_is_refused_on_grade_vetting_level_and_status(
    admin_client, force
):
    profile = baker.make(RoleProfile, force=force, slug="draft", title="Draft")
    url = admin_url(profile, "change")
    form = get_form(admin_client, url, RoleProfile)
    form["status"] = Status.PUBLISHED

    response = form.post(admin_client, url, submit="_save")

    errors = errors_of(response)
    assert sorted(errors) == ["grade", "status", "vetting_level"]
    assert "grade" in errors["grade"][0]
    assert "vetting level" in errors["vetting_level"][0]
    assert "at least one responsibility" in errors["status"][0]
    profile.refresh_from_db()
    assert profile.status == Status.DRAFT


@pytest.mark.django_db
def test_publishing_a_complete_profile_in_the_admin_succeeds(admin_client, weighted_profile):
    url = admin_url(weighted_profile, "change")
    form = get_form(admin_client, url, RoleProfile)
    form["status"] = Status.PUBLISHED
    response = form.post(admin_client, url, submit="_save")
    assert response.status_code == 302, errors_of(response)
    weighted_profile.refresh_from_db()
    assert weighted_profile.status == Status.PUBLISHED


# Changelists issue a fixed number of queries.


def make_profiles(count):
    for n in range(count):
        force = baker.make("profiles.Force", slug=f"force-{n}", name=f"Force {n}")
        baker.make(
            RoleProfile,
            force=force,
            slug=f"profile-{n}",
            title=f"Profile {n}",
            grade=baker.make("profiles.Grade", force=force, code=f"Scale {n}"),
            vetting_level=baker.make("vetting.VettingLevel", code=f"V{n}"),
        )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_the_profile_changelist_issues_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, count
):
    make_profiles(count)
    url = admin_url("profiles.roleprofile", "changelist")
    admin_client.get(url)  # warm up the content types cache
    # 1 session, 2 user, 3-5 the choices of the force, grade and vetting level filters,
    # 6 filtered count, 7 full count, 8 the page of profiles joined to force, grade and
    # vetting level (list_select_related: no query per row).
    with django_assert_num_queries(8):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == count
    assert "Profile 0" in response.content.decode()


@pytest.mark.django_db
def test_items_are_saved_in_the_order_the_admin_gives_them(admin_client, weighted_profile):
    section = weighted_profile.sections.get(order=2)
    url = admin_url(section, "change")
    form = get_form(admin_client, url, type(section))
    added = form.add_inline_form("items")
    form[f"{added}order"] = "2"
    form[f"{added}subheading"] = "Finance"
    form[f"{added}text"] = "Keep to the budget."
    response = form.post(admin_client, url, submit="_save")
    assert response.status_code == 302, errors_of(response)
    assert list(Item.objects.filter(section=section).values_list("text", flat=True)) == [
        "Be cost effective.",
        "Keep to the budget.",
    ]


# A published profile keeps its responsibilities, whichever page takes them away.


@pytest.fixture
def published_profile(weighted_profile):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    return weighted_profile


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("sections-0-DELETE", "on"), ("sections-0-kind", SectionKind.NOTES)],
    ids=["deleted", "turned-into-notes"],
)
def test_a_published_profile_cannot_lose_its_responsibilities_on_the_profile_page(
    admin_client, published_profile, field, value
):
    url = admin_url(published_profile, "change")
    form = get_form(admin_client, url, RoleProfile)
    form[field] = value
    response = form.post(admin_client, url, submit="_save")
    assert response.status_code == 200
    [message] = inline_formset(response, "sections").non_form_errors()
    assert "at least one responsibility" in message
    assert published_profile.responsibility_count() == 13


@pytest.mark.django_db
def test_a_published_profile_cannot_lose_its_responsibilities_on_the_section_page(
    admin_client, published_profile
):
    section = published_profile.sections.get(order=1)
    url = admin_url(section, "change")
    form = get_form(admin_client, url, type(section))
    for index in range(13):
        form[f"items-{index}-DELETE"] = "on"
    response = form.post(admin_client, url, submit="_save")
    assert response.status_code == 200
    [message] = inline_formset(response, "items").non_form_errors()
    assert "at least one responsibility" in message
    assert published_profile.responsibility_count() == 13


@pytest.mark.django_db
def test_a_draft_may_lose_its_responsibilities(admin_client, weighted_profile):
    url = admin_url(weighted_profile, "change")
    form = get_form(admin_client, url, RoleProfile)
    form["sections-0-DELETE"] = "on"
    response = form.post(admin_client, url, submit="_save")
    assert response.status_code == 302, errors_of(response)
    assert weighted_profile.responsibility_count() == 0


@pytest.mark.django_db
def test_items_of_an_unweighted_section_may_not_take_the_profile_over_100_percent(
    admin_client, weighted_profile
):
    section = baker.make(
        "profiles.Section", profile=weighted_profile, order=3, kind=SectionKind.SPECIFIC_TASKS
    )
    url = admin_url(section, "change")
    form = get_form(admin_client, url, type(section))
    added = form.add_inline_form("items")
    form[f"{added}text"] = "Cover the front counter."
    form[f"{added}weighting"] = "5"
    response = form.post(admin_client, url, submit="_save")
    [message] = errors_of(response)["weighting"]
    assert "105 %" in message and "may not exceed 100 %" in message
    assert not section.items.exists()


def fill_profile(profile, level, count):
    skill_level = baker.make("competencies.SkillLevel", skill__framework=level.competency.framework)
    method = baker.make("profiles.AssessmentMethod", name="Interview")
    for order in range(1, count + 1):
        criterion = baker.make(
            Criterion, profile=profile, order=order, category="skills", requirement="essential"
        )
        criterion.methods.set([method])
        behaviour = baker.make("profiles.Behaviour", profile=profile, order=order, level=level)
        behaviour.methods.set([method])
        baker.make("profiles.Section", profile=profile, order=order, kind=SectionKind.NOTES)
        baker.make("profiles.PostDetail", profile=profile, order=order, label=f"Fact {order}")
        baker.make("profiles.SkillRequirement", profile=profile, order=order, level=skill_level)
        baker.make("profiles.NosUnit", profile=profile, order=order, code=f"AA{order}")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_the_profile_change_page_issues_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, profile, competency_level, count
):
    fill_profile(profile, competency_level, count)
    url = admin_url(profile, "change")
    admin_client.get(url)  # warm up the content types cache
    # 1 session, 2 user, 3 savepoint of the reversion revision block, 4 the profile;
    # choices shared by every row: 5 criterion methods, 6 behaviour levels, 7 behaviour
    # methods, 8 skill levels; the rows of each inline: 9 post details, 10 sections,
    # 11 criteria, 12 their methods, 13 behaviours with their levels, 14 their methods,
    # 15 skills with their levels, 16 NOS units; 17 release of the savepoint; the selected
    # option of each autocomplete: 18 force, 19 grade, 20 vetting level, 21 framework.
    with django_assert_num_queries(21):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert len(inline_formset(response, "behaviours").forms) == count


@pytest.mark.django_db
def test_behaviour_levels_are_offered_grouped_by_framework(
    admin_client, profile, competency_level, foreign_level
):
    form = get_form(admin_client, admin_url(profile, "change"), RoleProfile)
    assert form.options["behaviours-__prefix__-level"] == [
        "",
        str(competency_level.pk),
        str(foreign_level.pk),
    ]
    html = admin_client.get(admin_url(profile, "change")).content.decode()
    assert '<optgroup label="CVF 2016">' in html
    assert '<optgroup label="CVF 2024">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 13])
def test_the_section_change_page_issues_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, profile, count
):
    section = baker.make("profiles.Section", profile=profile, order=1, kind=SectionKind.NOTES)
    for order in range(1, count + 1):
        baker.make(Item, section=section, order=order, text=f"Note {order}")
    url = admin_url(section, "change")
    admin_client.get(url)  # warm up the content types cache
    # 1 session, 2 user, 3 the section, 4 its items, 5 the selected profile of the
    # autocomplete.
    with django_assert_num_queries(5):
        response = admin_client.get(url)
    assert len(inline_formset(response, "items").forms) == count


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?q=C3932",
        "?q=volunteers",
        "?q=citizens",
        "?status__exact=published",
        "?force__id__exact={force}",
    ],
    ids=["reference", "purpose", "title", "status", "force"],
)
def test_the_profile_changelist_finds_profiles_by_search_and_filter(
    admin_client, force, other_force, query
):
    baker.make(
        RoleProfile,
        force=force,
        slug="cip",
        title="Citizens in Policing Administrator",
        reference_code="C3932",
        purpose="Supports the force's volunteers.",
        status=Status.PUBLISHED,
    )
    baker.make(RoleProfile, force=other_force, slug="other", title="Other", status=Status.DRAFT)
    url = admin_url("profiles.roleprofile", "changelist") + query.format(force=force.pk)
    response = admin_client.get(url)
    assert response.status_code == 200
    assert [p.slug for p in response.context["cl"].result_list] == ["cip"]


# Deleting sections: the delete page and the "delete selected" action keep the rules too.


def delete_selected(client, objs):
    """Tick these rows on the changelist and confirm "Delete selected", as the pages post."""
    url = admin_url(type(objs[0])._meta.label_lower, "changelist")
    data = {
        "action": "delete_selected",
        "_selected_action": [str(obj.pk) for obj in objs],
    }
    confirmation = client.post(url, data)
    assert confirmation.status_code == 200
    return confirmation, client.post(url, {**data, "post": "yes"})


REFUSED = "“Community Support Officer” is published and must keep at least one responsibility."


@pytest.fixture
def second_responsibilities(weighted_profile):
    """A second responsibility section with one item: the profile keeps 14 responsibilities."""
    section = baker.make(
        "profiles.Section",
        profile=weighted_profile,
        order=3,
        kind=SectionKind.RESPONSIBILITIES,
        heading="Further responsibilities",
    )
    baker.make(Item, section=section, order=1, text="Cover the front counter.")
    return section


@pytest.mark.django_db
def test_the_delete_page_refuses_to_take_a_published_profiles_last_responsibilities(
    admin_client, published_profile
):
    section = published_profile.sections.get(kind=SectionKind.RESPONSIBILITIES)
    url = admin_url(section, "delete")

    page = admin_client.get(url)
    response = admin_client.post(url, {"post": "yes"})

    for shown in (page, response):
        assert shown.status_code == 200
        assert shown.context["protected"] == [REFUSED]
        html = shown.content.decode()
        assert "The section “Principal responsibilities” cannot be deleted:" in html
        assert "“Community Support Officer” is published and must keep" in html
        assert "Yes, I’m sure" not in html
    assert published_profile.sections.filter(pk=section.pk).exists()
    assert published_profile.responsibility_count() == 13


@pytest.mark.django_db
def test_the_refusal_shows_the_profiles_title_escaped(admin_client, published_profile):
    RoleProfile.objects.filter(pk=published_profile.pk).update(title="CSO <script>x()</script>")
    section = published_profile.sections.get(order=1)
    for response in (
        admin_client.get(admin_url(section, "delete")),
        delete_selected(admin_client, [section])[1],
    ):
        html = response.content.decode()
        assert "“CSO &lt;script&gt;x()&lt;/script&gt;” is published" in html
        assert "<script>x()" not in html


@pytest.mark.django_db
def test_the_delete_page_refuses_the_section_holding_the_only_responsibilities(
    admin_client, published_profile
):
    """An empty responsibility section left behind is not a responsibility."""
    baker.make(
        "profiles.Section", profile=published_profile, order=3, kind=SectionKind.RESPONSIBILITIES
    )
    section = published_profile.sections.get(order=1)
    response = admin_client.post(admin_url(section, "delete"), {"post": "yes"})
    assert response.status_code == 200
    assert response.context["protected"] == [REFUSED]
    assert published_profile.responsibility_count() == 13


@pytest.mark.django_db
def test_the_delete_page_refuses_a_delete_that_became_breaking_after_it_was_shown(
    admin_client, published_profile, second_responsibilities
):
    """Confirmed while another section still held responsibilities, which then went."""
    section = published_profile.sections.get(order=1)
    url = admin_url(section, "delete")
    assert admin_client.get(url).context["protected"] == []
    second_responsibilities.delete()

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 200
    assert response.context["protected"] == [REFUSED]
    assert published_profile.responsibility_count() == 13


@pytest.mark.django_db
def test_the_delete_page_deletes_one_of_two_sections_of_responsibilities(
    admin_client, published_profile, second_responsibilities
):
    section = published_profile.sections.get(order=1)
    url = admin_url(section, "delete")
    assert admin_client.get(url).context["protected"] == []

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not published_profile.sections.filter(pk=section.pk).exists()
    assert published_profile.responsibility_count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
def test_the_delete_page_deletes_the_last_responsibilities_of_a_profile_not_published(
    admin_client, weighted_profile, status
):
    RoleProfile.objects.filter(pk=weighted_profile.pk).update(status=status)
    section = weighted_profile.sections.get(order=1)
    response = admin_client.post(admin_url(section, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert weighted_profile.responsibility_count() == 0


@pytest.mark.django_db
def test_the_delete_page_deletes_other_sections_of_a_published_profile(
    admin_client, published_profile
):
    section = published_profile.sections.get(kind=SectionKind.GENERAL_TASKS)
    response = admin_client.post(admin_url(section, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert list(published_profile.sections.values_list("order", flat=True)) == [1]


@pytest.mark.django_db
def test_delete_selected_refuses_the_whole_batch_if_one_profile_would_lose_its_responsibilities(
    admin_client, published_profile, other_force
):
    draft = baker.make(RoleProfile, force=other_force, slug="draft", title="Draft")
    draft_section = baker.make(
        "profiles.Section", profile=draft, order=1, kind=SectionKind.RESPONSIBILITIES
    )
    baker.make(Item, section=draft_section, order=1, text="Answer the phone.")
    sections = [*published_profile.sections.all(), draft_section]

    confirmation, response = delete_selected(admin_client, sections)

    for shown in (confirmation, response):
        assert shown.status_code == 200
        assert shown.context["protected"] == [REFUSED]
        html = shown.content.decode()
        assert "The selected sections cannot be deleted (all or nothing):" in html
        assert "“Community Support Officer” is published and must keep" in html
    assert published_profile.sections.count() == 2
    assert draft.sections.get() == draft_section
    assert published_profile.responsibility_count() == 13


@pytest.mark.django_db
def test_delete_selected_names_every_profile_that_would_lose_its_responsibilities(
    admin_client, published_profile, other_force, grade, vetting_level
):
    other = baker.make(
        RoleProfile,
        force=other_force,
        slug="cse",
        title="CSE Administration Assistant",
        status=Status.PUBLISHED,
        grade=baker.make("profiles.Grade", force=other_force, code="LC4"),
        vetting_level=vetting_level,
    )
    other_section = baker.make(
        "profiles.Section", profile=other, order=1, kind=SectionKind.RESPONSIBILITIES
    )
    baker.make(Item, section=other_section, order=1, text="Keep the records.")
    sections = [published_profile.sections.get(order=1), other_section]

    _, response = delete_selected(admin_client, sections)

    assert sorted(response.context["protected"]) == [
        "“CSE Administration Assistant” is published and must keep at least one responsibility.",
        REFUSED,
    ]
    assert published_profile.responsibility_count() == 13
    assert other.responsibility_count() == 1


@pytest.mark.django_db
def test_delete_selected_refuses_both_responsibility_sections_of_a_published_profile(
    admin_client, published_profile, second_responsibilities
):
    """Each could go alone; the batch would take them all."""
    sections = list(published_profile.sections.filter(kind=SectionKind.RESPONSIBILITIES))
    _, response = delete_selected(admin_client, sections)
    assert response.context["protected"] == [REFUSED]
    assert published_profile.responsibility_count() == 14


@pytest.mark.django_db
def test_delete_selected_deletes_sections_that_keep_every_rule(
    admin_client, published_profile, second_responsibilities, other_force
):
    draft = baker.make(RoleProfile, force=other_force, slug="draft", title="Draft")
    draft_section = baker.make(
        "profiles.Section", profile=draft, order=1, kind=SectionKind.RESPONSIBILITIES
    )
    baker.make(Item, section=draft_section, order=1, text="Answer the phone.")
    sections = [
        published_profile.sections.get(order=1),
        published_profile.sections.get(order=2),
        draft_section,
    ]

    confirmation, response = delete_selected(admin_client, sections)

    assert confirmation.context["protected"] == []
    assert response.status_code == 302
    assert list(published_profile.sections.all()) == [second_responsibilities]
    assert not draft.sections.exists()


@pytest.mark.django_db
def test_the_section_page_refuses_to_turn_the_last_responsibilities_into_notes(
    admin_client, published_profile
):
    section = published_profile.sections.get(order=1)
    url = admin_url(section, "change")
    form = get_form(admin_client, url, type(section))
    form["kind"] = SectionKind.NOTES
    response = form.post(admin_client, url, submit="_save")
    assert response.status_code == 200
    [message] = inline_formset(response, "items").non_form_errors()
    assert "at least one responsibility" in message
    section.refresh_from_db()
    assert section.kind == SectionKind.RESPONSIBILITIES


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "parent"),
    [
        ("section", "profile"),
        ("grade", "force"),
        ("competency", "framework"),
        ("competency_level", "competency"),
    ],
)
def test_an_object_stays_with_the_parent_it_was_added_to(admin_client, everything, key, parent):
    """Moved, it would take responsibilities from a profile, or leave a profile with a
    grade of another force or behaviours outside its framework, without a rule seeing."""
    obj = everything[key]
    change = get_form(admin_client, admin_url(obj, "change"), type(obj))
    assert parent not in change and parent not in change.options
    add = get_form(admin_client, admin_url(obj._meta.label_lower, "add"), type(obj))
    assert parent in add.options


@pytest.mark.django_db(transaction=True)
def test_a_delete_racing_another_waits_for_it_then_is_refused(published_profile, admin_user):
    """Two administrators each delete one of the two sections that hold responsibilities.

    The first holds its transaction open after deleting; on PostgreSQL the second waits for
    the profile's row, then finds the first section gone and refuses. SQLite cannot wait for
    a table another connection is writing and refuses at once ("database table is locked"),
    which the outage page answers (503).
    Either way the profile keeps a responsibility.
    """
    first_section = published_profile.sections.get(order=1)
    second_section = baker.make(
        "profiles.Section", profile=published_profile, order=3, kind=SectionKind.RESPONSIBILITIES
    )
    baker.make(Item, section=second_section, order=1, text="Cover the front counter.")
    deleted, release = threading.Event(), threading.Event()
    # Signed in before the race: a sign-in writes the session and the user, which on SQLite
    # could lock a table the first administrator's transaction needs.
    client = Client()
    client.force_login(admin_user)

    def first_administrator():
        with transaction.atomic():
            assert section_deletion_breaches([first_section], lock=True) == []
            first_section.delete()
            deleted.set()
            release.wait(10)

    def second_administrator():
        deleted.wait(10)
        threading.Timer(1.0, release.set).start()
        response = client.post(admin_url(second_section, "delete"), {"post": "yes"})
        if response.status_code == 503:  # the database refused: the outage page answers
            return response.status_code, None
        return response.status_code, response.context["protected"]

    first, first_outcome = _in_thread(first_administrator)
    second, second_outcome = _in_thread(second_administrator)
    first.join(20)
    second.join(20)
    assert first_outcome == {"result": None}
    if connection.vendor == "postgresql":
        assert second_outcome == {"result": (200, [REFUSED])}
    else:
        assert second_outcome == {"result": (503, None)}
    assert list(published_profile.sections.values_list("pk", flat=True)) == [
        published_profile.sections.get(order=2).pk,
        second_section.pk,
    ]
    assert published_profile.responsibility_count() == 1


def responsibility_sections(profile, count):
    """`count` more sections of responsibilities on `profile`, `count` items in each."""
    sections = []
    for n in range(1, count + 1):
        section = baker.make(
            "profiles.Section", profile=profile, order=10 + n, kind=SectionKind.RESPONSIBILITIES
        )
        for order in range(1, count + 1):
            baker.make(Item, section=section, order=order, text=f"Responsibility {order}")
        sections.append(section)
    return sections


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_the_section_delete_page_issues_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, published_profile, count
):
    section = responsibility_sections(published_profile, count)[0]
    url = admin_url(section, "delete")
    admin_client.get(url)  # warm up the content types cache
    # 1 session, 2 user, 3 the section, 4 its items (what would be deleted with it),
    # 5 the published profiles that would lose responsibilities, with how many they keep.
    with django_assert_num_queries(5):
        response = admin_client.get(url)
    assert response.context["protected"] == []
    assert len(response.context["deleted_objects"][1]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_delete_selected_asks_for_confirmation_in_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, published_profile, count
):
    sections = responsibility_sections(published_profile, count)
    url = admin_url("profiles.section", "changelist")
    data = {"action": "delete_selected", "_selected_action": [s.pk for s in sections]}
    admin_client.post(url, data)  # warm up the content types cache
    # 1 session, 2 user, 3 the choices of the force filter, 4 filtered count, 5 full count,
    # 6 the force filter again (the action asks the changelist for its queryset anew);
    # 7 savepoint of the action's transaction, 8 Django's look at the first selected
    # section, 9 the selected sections, 10 their items; 11 lock of the published profiles
    # that would lose responsibilities, 12 those profiles with how many they keep;
    # 13 release of the savepoint.
    with django_assert_num_queries(13):
        response = admin_client.post(url, data)
    assert response.context["protected"] == []
    assert len(response.context["queryset"]) == count


# A section changed here changes its profile: a form open on the profile becomes stale.


@pytest.mark.django_db
def test_saving_or_deleting_sections_here_raises_their_profiles_revision(
    admin_client, weighted_profile, second_responsibilities
):
    section = weighted_profile.sections.get(order=1)
    form = get_form(admin_client, admin_url(section, "change"), type(section))
    form["heading"] = "Renamed in the admin"
    response = form.post(admin_client, admin_url(section, "change"), submit="_save")
    assert response.status_code == 302, errors_of(response)
    weighted_profile.refresh_from_db()
    assert weighted_profile.revision == 1

    assert (
        admin_client.post(admin_url(second_responsibilities, "delete"), {"post": "yes"}).status_code
        == 302
    )
    weighted_profile.refresh_from_db()
    assert weighted_profile.revision == 2

    _, response = delete_selected(admin_client, [section])
    assert response.status_code == 302
    weighted_profile.refresh_from_db()
    assert weighted_profile.revision == 3


@pytest.mark.django_db
def test_an_editor_form_opened_before_an_admin_section_change_is_refused_as_stale(
    client, admin_user, hr_user, weighted_profile, second_responsibilities
):
    editor = reverse("profiles:edit", args=[weighted_profile.force.slug, weighted_profile.slug])
    client.force_login(hr_user)
    data = form_data(client.get(editor).content, "editor")
    client.force_login(admin_user)
    client.post(admin_url(second_responsibilities, "delete"), {"post": "yes"})

    client.force_login(hr_user)
    data["profile-purpose"] = ["Saved over the admin's change."]
    response = client.post(editor, data)

    assert response.status_code == 200
    assert editing.STALE_MESSAGE in response.content.decode()
    weighted_profile.refresh_from_db()
    assert weighted_profile.purpose != "Saved over the admin's change."
